"""The command line for contributions, policies and distributions, as an operator uses it."""

import json
from pathlib import Path

import pytest

from accord.demo import policies
from tests.test_cli import accord

pytestmark = pytest.mark.slow

STEWARD = "steward@demo.accord.example"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo")
    result = accord("demo", "--members", "40", "--no-serve", data_dir=path, env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    return path


def test_import_contributions_all_or_nothing(demo_dir: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text(
        "source_key,member,kind,title,date,hours,level\n"
        "cli-1,member@demo.accord.example,code,Fixed a bug,2026-01-05,1.5,2\n",
        encoding="utf-8",
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(
        good.read_text() + "cli-2,nobody@x.org,code,Bad,2026-01-05,1,9\n", encoding="utf-8"
    )

    dry = accord(
        "import", "contributions", str(good), "--as", STEWARD, "--dry-run", data_dir=demo_dir
    )
    refused = accord("import", "contributions", str(bad), "--as", STEWARD, data_dir=demo_dir)
    done = accord("import", "contributions", str(good), "--as", STEWARD, data_dir=demo_dir)
    again = accord("import", "contributions", str(good), "--as", STEWARD, data_dir=demo_dir)

    assert dry.returncode == 0
    assert "Would import 1 contribution" in dry.stdout
    assert refused.returncode == 1
    assert "1 bad row(s), nothing imported; first: line 3" in refused.stderr
    assert done.returncode == 0
    assert "Imported 1 contribution(s); 0 duplicate(s)" in done.stdout
    assert "Imported 0 contribution(s); 1 duplicate(s) skipped" in again.stdout


def test_policy_publish(demo_dir: Path, tmp_path: Path) -> None:
    doc = tmp_path / "policy.json"
    doc.write_text(json.dumps(policies.version(3)), encoding="utf-8")
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")

    bad_json = accord(
        "policy",
        "publish",
        str(broken),
        "--as",
        STEWARD,
        "--reason",
        "x",
        "--effective",
        "2030-01-01",
        data_dir=demo_dir,
    )
    bad_date = accord(
        "policy",
        "publish",
        str(doc),
        "--as",
        STEWARD,
        "--reason",
        "x",
        "--effective",
        "soon",
        data_dir=demo_dir,
    )
    not_steward = accord(
        "policy",
        "publish",
        str(doc),
        "--as",
        "member@demo.accord.example",
        "--reason",
        "x",
        "--effective",
        "2030-01-01",
        data_dir=demo_dir,
    )
    ok = accord(
        "policy",
        "publish",
        str(doc),
        "--as",
        STEWARD,
        "--reason",
        "Yearly review",
        "--effective",
        "2030-01-01",
        data_dir=demo_dir,
    )

    for failed in (bad_json, bad_date, not_steward):
        assert failed.returncode == 1
        assert len(failed.stderr.strip().splitlines()) == 1
    assert "Only stewards" in not_steward.stderr
    assert ok.returncode == 0, ok.stderr
    assert "Published policy version 4" in ok.stdout


def test_distribute_preview_and_commit(demo_dir: Path) -> None:
    neither = accord("distribute", "featured-spots", "--as", STEWARD, data_dir=demo_dir)
    missing = accord("distribute", "no-such-pool", "--as", STEWARD, "--preview", data_dir=demo_dir)
    preview = accord(
        "distribute", "featured-spots", "--as", STEWARD, "--preview", data_dir=demo_dir
    )
    commit = accord("distribute", "featured-spots", "--as", STEWARD, "--commit", data_dir=demo_dir)
    again = accord(
        "distribute",
        "featured-spots",
        "--as",
        STEWARD,
        "--commit",
        "--key",
        "k2",
        data_dir=demo_dir,
    )
    verify = accord("verify", data_dir=demo_dir, env={"DEBUG": "1"})

    assert neither.returncode == 2
    assert missing.returncode == 1
    assert "no pool 'no-such-pool'" in missing.stderr
    assert preview.returncode == 0, preview.stderr
    assert "to share" in preview.stdout
    assert commit.returncode == 0, commit.stderr
    assert "Committed round 1 of Featured spots" in commit.stdout
    assert again.returncode == 1
    assert "nothing to distribute" in again.stderr
    assert verify.returncode == 0, verify.stderr


def test_tick_runs_the_jobs_that_fall_due_once(demo_dir: Path) -> None:
    ticked = accord("tick", data_dir=demo_dir)

    assert ticked.returncode == 0, ticked.stderr
    assert ticked.stdout.startswith("settle statements past their choice deadline: ")
