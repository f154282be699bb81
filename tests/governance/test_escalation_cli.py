"""The `accord concern` commands, run in process: each calls its service and says what went
wrong in one line."""

from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.governance.models import Concern, ConcernStatus, EscalationLevel
from accord.people.models import Member
from tests.conftest import Cast


def _run(member: Member, *args: str) -> Result:
    assert member.user is not None
    return CliRunner().invoke(app, ["concern", *args, "--as", member.user.email])


def test_a_concern_through_the_command_line(cast: Cast) -> None:
    for rank, name, hours, handler in (
        (1, "Leads", "72", cast.group_lead),
        (2, "Board", "336", cast.auditor),
    ):
        made = _run(
            cast.steward,
            *("set-level", str(rank), "--name", name, "--hours", hours),
            *("--handler", handler.pseudonym),
        )
        assert made.exit_code == 0, made.output
    raised = _run(cast.member, "raise", "Late meetings", "--body", "Past ten.", "--anonymous")
    pk = Concern.objects.get().pk

    acknowledged = _run(cast.group_lead, "acknowledge", str(pk))
    escalated = _run(cast.group_lead, "escalate", str(pk))
    resolved = _run(cast.auditor, "resolve", str(pk), "--resolution", "Ends at nine now.")
    shown = _run(cast.member, "show", str(pk))
    listed = _run(cast.member, "list")
    ladders = _run(cast.member, "levels")

    assert raised.exit_code == 0, raised.output
    assert f"Raised concern {pk}: with Leads" in raised.output
    assert (acknowledged.exit_code, escalated.exit_code, resolved.exit_code) == (0, 0, 0)
    assert "escalated to Board" in escalated.output
    assert Concern.objects.get().status == ConcernStatus.RESOLVED
    assert "Resolution: Ends at nine now." in shown.output
    assert "Late meetings" in listed.output
    assert "Leads" in ladders.output
    assert EscalationLevel.objects.count() == 2


def test_refusals_and_bad_input_fail_in_one_line(cast: Cast) -> None:
    no_path = _run(cast.member, "raise", "S", "--body", "B")
    bad_kind = _run(cast.member, "raise", "S", "--body", "B", "--kind", "weather")
    not_lead = _run(cast.member, "set-level", "1", "--name", "L", "--hours", "1", "--handler", "x")

    for result in (no_path, bad_kind, not_lead):
        assert result.exit_code != 0
        assert len(result.stderr.splitlines()) == 1
        assert result.stderr.startswith("accord: error: ")
    assert "No escalation path" in no_path.stderr
