"""`accord partner ...` as a steward scripts it: the same services as the pages and API."""

from pathlib import Path

import pytest

from tests.test_cli import accord

pytestmark = pytest.mark.slow

STEWARD = "steward@demo.accord.example"
MEMBER = "member@demo.accord.example"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo")
    result = accord("demo", "--members", "30", "--no-serve", data_dir=path, env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    return path


def partner(*args: str, data_dir: Path):  # type: ignore[no-untyped-def]
    return accord("partner", *args, data_dir=data_dir)


def test_a_steward_adds_edits_appoints_and_removes(demo_dir: Path) -> None:
    added = partner(
        "add",
        "Harbour Trust",
        "--kind",
        "foundation",
        "--website",
        "https://harbour.example",
        "--description",
        "Funds the sailing club",
        "--as",
        STEWARD,
        data_dir=demo_dir,
    )
    edited = partner("edit", "harbour-trust", "--kind", "ngo", "--as", STEWARD, data_dir=demo_dir)
    appointed = partner("appoint", "harbour-trust", MEMBER, "--as", STEWARD, data_dir=demo_dir)
    twice = partner("appoint", "harbour-trust", MEMBER, "--as", STEWARD, data_dir=demo_dir)
    removed = partner("remove", "harbour-trust", MEMBER, "--as", STEWARD, data_dir=demo_dir)

    assert added.returncode == 0, added.stderr
    assert "Added partner Harbour Trust (harbour-trust)." in added.stdout
    assert edited.returncode == 0, edited.stderr
    assert appointed.returncode == 0, appointed.stderr
    assert "now represents Harbour Trust" in appointed.stdout
    assert twice.returncode == 1
    assert "already represents" in twice.stderr
    assert removed.returncode == 0, removed.stderr
    assert "no longer represents harbour-trust" in removed.stdout


def test_refusals_and_bad_input_exit_non_zero_with_one_line(demo_dir: Path) -> None:
    not_steward = partner(
        "add", "Lumen Labs", "--kind", "vendor", "--as", MEMBER, data_dir=demo_dir
    )
    bad_kind = partner("add", "Lumen Labs", "--kind", "cartel", "--as", STEWARD, data_dir=demo_dir)
    bad_site = partner(
        "add", "Lumen Labs", "--kind", "vendor", "--website", "ftp://x", "--as", STEWARD,
        data_dir=demo_dir,
    )  # fmt: skip
    no_partner = partner("appoint", "no-such-partner", MEMBER, "--as", STEWARD, data_dir=demo_dir)
    missing = partner("edit", "no-such-partner", "--name", "X", "--as", MEMBER, data_dir=demo_dir)

    for failed in (not_steward, bad_kind, bad_site, no_partner, missing):
        assert failed.returncode == 1, failed.stdout
        assert len(failed.stderr.strip().splitlines()) == 1, failed.stderr
    assert "Only stewards add partners." in not_steward.stderr
    assert "not a partner kind" in bad_kind.stderr
    assert "web address" in bad_site.stderr
    assert "No partner 'no-such-partner'" in no_partner.stderr
