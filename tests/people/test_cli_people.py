"""`accord group ...`, `accord role set` and `accord erase`, as staff script them: each
calls the one service; a refusal is one line on stderr and a non-zero exit."""

from pathlib import Path

import pytest

from tests.test_cli import accord

pytestmark = pytest.mark.slow

STEWARD = "steward@demo.accord.example"
MEMBER = "member@demo.accord.example"
AUDITOR = "auditor@demo.accord.example"


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo")
    result = accord("demo", "--members", "20", "--no-serve", data_dir=path, env={"DEBUG": "1"})
    assert result.returncode == 0, result.stderr
    return path


def test_a_member_starts_a_group_and_a_steward_runs_it(demo_dir: Path) -> None:
    def run(*args: str):  # type: ignore[no-untyped-def]
        return accord(*args, data_dir=demo_dir)

    started = run("group", "create", "Night Owls", "--as", MEMBER, "--kind", "affinity")
    bad_kind = run("group", "create", "Odd", "--as", MEMBER, "--kind", "club")
    edited = run("group", "edit", "night-owls", "--as", STEWARD, "--term-limit", "3")
    refused_edit = run("group", "edit", "night-owls", "--as", AUDITOR, "--name", "Mine")
    role = run("group", "role", "night-owls", AUDITOR, "co_lead", "--as", STEWARD)
    run("group", "create", "Early Birds", "--as", AUDITOR)
    joined = run("group", "role", "early-birds", MEMBER, "shadow", "--as", AUDITOR)
    term = run(
        "group", "term", "night-owls", MEMBER, "--start", "2026-01-01", "--end", "2026-12-31",
        "--as", STEWARD,
    )  # fmt: skip
    overlap = run(
        "group", "term", "night-owls", AUDITOR, "--start", "2026-06-01", "--end", "2027-05-31",
        "--as", STEWARD,
    )  # fmt: skip
    bad_date = run(
        "group", "term", "night-owls", MEMBER, "--start", "soon", "--end", "2027-01-01",
        "--as", STEWARD,
    )  # fmt: skip

    assert started.returncode == 0, started.stderr
    assert "Started Night Owls (night-owls)." in started.stdout
    assert bad_kind.returncode == 1
    assert "'club' is not a group kind" in bad_kind.stderr
    assert edited.returncode == 0, edited.stderr
    assert refused_edit.returncode == 1
    assert "Only stewards and the group's leads edit a group." in refused_edit.stderr
    # the auditor is not in Night Owls: nobody outside a group gets a role in it
    assert role.returncode == 1
    assert "No such member in Night Owls" in role.stderr
    assert joined.returncode == 1  # the member is not in Early Birds either
    assert term.returncode == 0, term.stderr
    assert "Recorded lead term of night-owls: 2026-01-01 to 2026-12-31." in term.stdout
    assert overlap.returncode == 1
    assert "already has a lead for part of that period" in overlap.stderr
    assert bad_date.returncode == 1
    assert "start" in bad_date.stderr
    assert len(bad_date.stderr.strip().splitlines()) == 1


def test_archive_and_merge_are_for_stewards(demo_dir: Path) -> None:
    def run(*args: str):  # type: ignore[no-untyped-def]
        return accord(*args, data_dir=demo_dir)

    run("group", "create", "Left Side", "--as", MEMBER)
    run("group", "create", "Right Side", "--as", MEMBER)
    run("group", "create", "Spare Room", "--as", MEMBER)

    refused = run("group", "merge", "left-side", "--into", "right-side", "--as", MEMBER)
    merged = run("group", "merge", "left-side", "--into", "right-side", "--as", STEWARD)
    refused_archive = run("group", "archive", "spare-room", "--as", MEMBER)
    archived = run("group", "archive", "spare-room", "--as", STEWARD, "--reason", "unused")
    again = run("group", "archive", "spare-room", "--as", STEWARD)

    assert refused.returncode == 1
    assert "Only stewards merge groups." in refused.stderr
    assert merged.returncode == 0, merged.stderr
    assert "Merged left-side into right-side: 0 moved, 1 already there." in merged.stdout
    assert refused_archive.returncode == 1
    assert archived.returncode == 0
    assert again.returncode == 1
    assert "is archived" in again.stderr


def test_site_roles_and_erasure(demo_dir: Path) -> None:
    def run(*args: str):  # type: ignore[no-untyped-def]
        return accord(*args, data_dir=demo_dir)

    refused = run("role", "set", AUDITOR, "steward", "--as", MEMBER)
    own = run("role", "set", STEWARD, "member", "--as", STEWARD)
    bad = run("role", "set", AUDITOR, "king", "--as", STEWARD)
    done = run("role", "set", AUDITOR, "member", "--as", STEWARD)
    back = run("role", "set", AUDITOR, "auditor", "--as", STEWARD)
    no_reason = run("erase", MEMBER, "--as", STEWARD, "--reason", " ")
    not_steward = run("erase", MEMBER, "--as", AUDITOR, "--reason", "asked")
    erased = run("erase", MEMBER, "--as", STEWARD, "--reason", "Asked by e-mail")
    gone = run("erase", MEMBER, "--as", STEWARD, "--reason", "again")
    verified = run("verify")

    assert refused.returncode == 1
    assert "Only stewards change site roles." in refused.stderr
    assert own.returncode == 1
    assert "own" in own.stderr
    assert bad.returncode == 1
    assert "'king' is not a site role" in bad.stderr
    assert done.returncode == 0
    assert f"{AUDITOR} is now member." in done.stdout
    assert back.returncode == 0
    assert no_reason.returncode == 1
    assert "Record why" in no_reason.stderr
    assert not_steward.returncode == 1
    assert erased.returncode == 0, erased.stderr
    assert gone.returncode == 1  # the account is gone: the email names no one now
    assert verified.returncode == 0, verified.stderr
