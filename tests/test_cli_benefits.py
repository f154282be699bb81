"""The command line for contributions, policies and distributions, as an operator uses it."""

import json
import re
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accord.demo import policies
from tests.benefits.flow import FLOW_KINDS, collapsed
from tests.test_cli import accord

pytestmark = pytest.mark.slow

STEWARD = "steward@demo.accord.example"
TREASURER = "treasurer@demo.accord.example"


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
    undecided = accord(
        "policy", "publish", str(doc), "--as", STEWARD, "--reason", "Yearly review",
        "--effective", "2030-01-01", data_dir=demo_dir,
    )  # fmt: skip
    proposed = accord(
        "decision", "propose", "Publish the 2030 policy", "--as", STEWARD, "--body", "Review.",
        "--closes", "2029-12-01T18:00+00:00", "--action", "policy.publish",
        "--policy", str(doc), "--effective", "2030-01-01", data_dir=demo_dir,
    )  # fmt: skip
    number = proposed.stdout.split()[2].rstrip(":")
    early = accord("decision", "carry-out", number, "--as", STEWARD, data_dir=demo_dir)

    for failed in (bad_json, bad_date, not_steward, undecided, early):
        assert failed.returncode == 1
        assert len(failed.stderr.strip().splitlines()) == 1
    assert "Only stewards" in not_steward.stderr
    assert "needs a passed decision" in undecided.stderr
    assert proposed.returncode == 0, proposed.stderr
    assert proposed.stdout.startswith("Drafted decision ")
    assert "closed and passed" in early.stderr


def test_distribute_preview_and_commit(demo_dir: Path) -> None:
    neither = accord("distribute", "featured-spots", "--as", STEWARD, data_dir=demo_dir)
    missing = accord("distribute", "no-such-pool", "--as", STEWARD, "--preview", data_dir=demo_dir)
    preview = accord(
        "distribute", "featured-spots", "--as", STEWARD, "--preview", data_dir=demo_dir
    )
    commit = accord(
        "distribute", "featured-spots", "--as", TREASURER, "--commit", data_dir=demo_dir
    )
    # Round 1 leaves one spot (each member's cap is one); round 2 shares it; then it is empty.
    again, spent = (
        accord(
            *("distribute", "featured-spots", "--as", TREASURER, "--commit", "--key", key),
            data_dir=demo_dir,
        )
        for key in ("k2", "k3")
    )
    by_steward = accord(
        "distribute", "featured-spots", "--as", STEWARD, "--commit", data_dir=demo_dir
    )
    verify = accord("verify", data_dir=demo_dir, env={"DEBUG": "1"})

    assert neither.returncode == 2
    assert missing.returncode == 1
    assert "No pool 'no-such-pool'" in missing.stderr
    assert preview.returncode == 0, preview.stderr
    assert "to share" in preview.stdout
    assert commit.returncode == 0, commit.stderr
    assert "Committed round 1 of Featured spots" in commit.stdout
    assert again.returncode == 0, again.stderr
    assert "Committed round 2 of Featured spots" in again.stdout
    assert spent.returncode == 1
    assert "nothing to distribute" in spent.stderr
    assert by_steward.returncode == 1
    assert by_steward.stderr.strip() == "accord: error: Only treasurers commit distributions."
    assert verify.returncode == 0, verify.stderr


def test_tick_runs_the_jobs_that_fall_due_once(demo_dir: Path) -> None:
    ticked = accord("tick", data_dir=demo_dir)

    assert ticked.returncode == 0, ticked.stderr
    assert ticked.stdout.startswith("settle statements past their choice deadline: ")


MEMBER = "member@demo.accord.example"


def _kinds_from(path: Path, subject: str) -> list[str]:
    """The kinds of the ledger entries from the first one about `subject` on, in order."""
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    entries = [json.loads(e["entry"]) for e in lines if e["type"] == "entry"]
    kinds = [(e["kind"], e["subject"]) for e in entries]
    first = next(i for i, (_, s) in enumerate(kinds) if s == subject)
    return [k for k, _ in kinds[first:]]


def test_a_steward_runs_a_pool_and_a_member_takes_it_from_the_command_line(
    demo_dir: Path, tmp_path: Path
) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return accord(*args, data_dir=demo_dir)

    today = timezone.localdate()
    create = [
        *("pool", "create", "CLI grants", "--as", STEWARD, "--unit", "EUR"),
        *("--method", "immediate", "--policy", "3", "--format", "bank transfer"),
        # from the day the demo's version 3 took effect: a pool's policy covers its period
        *("--start", (today - timedelta(days=90)).isoformat(), "--end", today.isoformat()),
    ]
    refused = accord(*create[:3], "--as", MEMBER, *create[5:], data_dir=demo_dir)
    created = run(*create)
    bad_fund = run(
        "pool", "fund", "cli-grants", "--as", TREASURER, "--amount", "0", "--source", "x"
    )
    funded = run(
        *("pool", "fund", "cli-grants", "--as", TREASURER, "--amount", "900000"),
        *("--source", "Harbour Radio", "--key", "cli-1"),
    )
    hidden = run("distribute", "cli-grants", "--as", MEMBER, "--preview")
    preview = run("distribute", "cli-grants", "--as", STEWARD, "--preview")
    committed = run("distribute", "cli-grants", "--as", TREASURER, "--commit", "--round", "1")
    repeated = run("distribute", "cli-grants", "--as", TREASURER, "--commit", "--round", "1")
    listed = run("statement", "list", "--as", MEMBER)
    mine = re.search(r"^\D*(\d+)\s.*cli-grants", listed.stdout, re.MULTILINE)
    assert mine is not None, listed.stdout
    taken = run("statement", "choose", mine[1], "--as", MEMBER, "--choice", "take")
    ledger = tmp_path / "ledger.jsonl"
    exported = run("export", "ledger", "--out", str(ledger))

    assert refused.returncode == 1
    assert "Only stewards create pools" in refused.stderr
    assert created.returncode == 0, created.stderr
    assert "Created pool cli-grants" in created.stdout
    assert bad_fund.returncode == 1
    assert len(bad_fund.stderr.strip().splitlines()) == 1
    assert funded.returncode == 0, funded.stderr
    assert hidden.returncode == 1
    assert "Only stewards, treasurers and auditors preview" in hidden.stderr
    assert "Round 1:" in preview.stdout
    assert committed.returncode == 0, committed.stderr
    assert repeated.returncode == 0  # the same round again: the committed one, once
    assert taken.returncode == 0, taken.stderr
    assert exported.returncode == 0, exported.stderr
    assert collapsed(_kinds_from(ledger, "pool:cli-grants")) == FLOW_KINDS


def test_closing_a_pool_from_the_command_line(demo_dir: Path) -> None:
    closed = accord(
        *("pool", "close", "training-credits", "--as", TREASURER, "--reason", "Lumen left"),
        data_dir=demo_dir,
    )
    again = accord(
        *("pool", "close", "training-credits", "--as", TREASURER, "--reason", "again"),
        data_dir=demo_dir,
    )

    assert closed.returncode == 0, closed.stderr
    assert "Closed Training credits" in closed.stdout
    assert again.returncode == 1
    assert "is closed" in again.stderr


def test_editing_a_pool_from_the_command_line(demo_dir: Path) -> None:
    edited = accord(
        *("pool", "edit", "community-micro-grants", "--as", STEWARD),
        *("--minimum-payout", "3000", "--choice-days", "21"),
        data_dir=demo_dir,
    )
    nothing = accord("pool", "edit", "community-micro-grants", "--as", STEWARD, data_dir=demo_dir)
    refused = accord(
        *("pool", "edit", "community-micro-grants", "--as", "member@demo.accord.example"),
        *("--choice-days", "5"),
        data_dir=demo_dir,
    )
    bad = accord(
        *("pool", "edit", "community-micro-grants", "--as", STEWARD, "--choice-days", "0"),
        data_dir=demo_dir,
    )

    assert edited.returncode == 0, edited.stderr
    assert "Edited Community micro-grants: choice_days, minimum_payout." in edited.stdout
    assert nothing.returncode == 2
    assert refused.returncode == 1
    assert len(refused.stderr.strip().splitlines()) == 1
    assert bad.returncode == 1
    assert "choice_days" in bad.stderr
