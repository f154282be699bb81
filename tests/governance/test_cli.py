"""The `accord decision` commands, run in process: each calls its service and says what went
wrong in one line."""

from datetime import timedelta

from django.utils import timezone
from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.governance.models import Ballot, Decision, Status
from accord.people.models import Member
from tests.conftest import Cast
from tests.governance.conftest import past_closing


def _run(member: Member, *args: str) -> Result:
    assert member.user is not None
    return CliRunner().invoke(app, ["decision", *args, "--as", member.user.email])


def test_a_ranked_decision_through_the_command_line(cast: Cast) -> None:
    closes = (timezone.now() + timedelta(days=2)).isoformat()

    proposed = _run(
        cast.member,
        *("propose", "Where do we meet?", "--body", "Pick a venue.", "--poll", "ranked"),
        *("--option", "Library", "--option", "Cafe", "--option", "Park", "--closes", closes),
    )
    pk = Decision.objects.get().pk
    opened = _run(cast.steward, "open", str(pk))
    votes = [
        _run(cast.member, "vote", str(pk), "--rank", "1", "--rank", "0"),
        _run(cast.other, "vote", str(pk), "--rank", "1"),
        _run(cast.group_lead, "vote", str(pk), "--rank", "2", "--rank", "0"),
    ]
    shown = _run(cast.member, "show", str(pk))
    past_closing(Decision.objects.get(pk=pk))
    closed = _run(cast.steward, "close", str(pk))
    listed = _run(cast.other, "list", "--status", "closed")
    recorded = _run(cast.steward, "outcome", str(pk), "--statement", "The cafe it is.")

    for result in (proposed, opened, *votes, shown, closed, listed, recorded):
        assert (result.exit_code, result.stderr) == (0, ""), result.output
    assert "Drafted decision" in proposed.stdout
    assert "open to 6 voter(s)" in opened.stdout
    assert "Your ballot: {'ranking': [1, 0]}" in shown.stdout
    assert "it passed" in closed.stdout
    assert "outcome due" in listed.stdout
    decision = Decision.objects.get(pk=pk)
    assert decision.tally is not None
    assert decision.tally["winner"] == 1
    assert (decision.status, decision.outcome) == (Status.CLOSED, "The cafe it is.")


def test_a_refused_command_says_why_in_one_line_and_changes_nothing(cast: Cast) -> None:
    closes = (timezone.now() + timedelta(days=2)).isoformat()
    _run(cast.member, "propose", "T", "--body", "B", "--closes", closes)
    pk = str(Decision.objects.get().pk)

    opening = _run(cast.member, "open", pk)
    _run(cast.steward, "open", pk)
    voting = _run(cast.member, "vote", pk, "--stance", "perhaps")
    proposing = _run(cast.member, "propose", "T", "--body", "B", "--closes", "yesterday")

    assert opening.exit_code != 0
    assert opening.stderr == "accord: error: Only stewards open this decision.\n"
    assert voting.exit_code != 0
    assert voting.stderr.startswith("accord: error: stance:")
    assert len(voting.stderr.splitlines()) == 1
    assert proposing.exit_code != 0
    assert Ballot.objects.count() == 0
    assert Decision.objects.count() == 1
