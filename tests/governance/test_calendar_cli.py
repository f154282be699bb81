"""The `accord calendar` commands, run in process: each calls its service and says what went
wrong in one line."""

from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.governance.models import CalendarEvent
from accord.people.models import Member
from tests.conftest import Cast


def _run(member: Member, *args: str) -> Result:
    assert member.user is not None
    return CliRunner().invoke(app, ["calendar", *args, "--as", member.user.email])


def test_a_steward_adds_lists_and_cancels_a_ritual(cast: Cast) -> None:
    added = _run(
        cast.steward,
        *("add", "Monthly check-in", "--start", "2027-01-05T18:00", "--zone", "Europe/Paris"),
        *("--kind", "ritual", "--rule", "FREQ=MONTHLY;BYDAY=1TU"),
    )
    pk = CalendarEvent.objects.get().pk
    listed = _run(cast.member, "list", "--month", "2027-03")
    cancelled = _run(cast.steward, "cancel", str(pk))

    assert added.exit_code == 0, added.output
    assert f"Added event {pk}: Monthly check-in, repeating FREQ=MONTHLY;BYDAY=1TU." in added.stdout
    assert "2027-03-02 18:00" in listed.stdout
    assert cancelled.exit_code == 0
    assert CalendarEvent.objects.get().cancelled_at is not None


def test_a_bad_rule_fails_in_one_line(cast: Cast) -> None:
    result = _run(cast.steward, "add", "X", "--start", "2027-01-05T18:00", "--rule", "FREQ=OFTEN")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "accord: error: A calendar event recurs DAILY, WEEKLY, MONTHLY, YEARLY (not OFTEN)."
    ]
    assert CalendarEvent.objects.count() == 0


def test_a_member_may_not_add(cast: Cast) -> None:
    result = _run(cast.member, "add", "X", "--start", "2027-01-05T18:00")

    assert result.exit_code == 1
    assert "Only stewards" in result.stderr
