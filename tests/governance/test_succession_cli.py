"""The `accord position`, `accord call` and `accord memory` commands, run in process."""

from datetime import timedelta

from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.governance.models import CallAnswer, MemoryEntry, PlanPerson, Position, VolunteerCall
from accord.people.models import Member
from tests.conftest import Cast
from tests.governance.succession_factories import today


def _run(member: Member, *args: str) -> Result:
    assert member.user is not None
    return CliRunner().invoke(app, [*args, "--as", member.user.email])


def test_a_position_and_a_call_through_the_command_line(cast: Cast) -> None:
    created = _run(cast.steward, "position", "create", "Treasurer", "--seats", "1")
    pk = Position.objects.get().pk
    start, end = today().isoformat(), (today() + timedelta(days=30)).isoformat()
    termed = _run(
        cast.steward,
        "position",
        "term",
        str(pk),
        "--member",
        cast.member.pseudonym,
        "--start",
        start,
        "--end",
        end,
    )
    planned = _run(
        cast.member,
        "position",
        "plan",
        str(pk),
        "--member",
        cast.other.pseudonym,
        "--role",
        "shadow",
    )
    listed = _run(cast.other, "position", "list")
    closes = (today() + timedelta(days=7)).isoformat()
    opened = _run(
        cast.steward,
        "call",
        "open",
        str(pk),
        "--asks",
        "A treasurer",
        "--closes-on",
        closes,
        "--background",
        "Students",
    )
    call_pk = VolunteerCall.objects.get().pk
    answered = _run(cast.other, "call", "answer", str(call_pk), "--background", "Students")
    calls = _run(cast.other, "call", "list")
    closed = _run(cast.steward, "call", "close", str(call_pk))

    for result in (created, termed, planned, listed, opened, answered, calls, closed):
        assert result.exit_code == 0, result.output
    assert PlanPerson.objects.get().role == "shadow"
    assert CallAnswer.objects.get().member == cast.other
    assert "Treasurer" in listed.output


def test_bad_input_exits_non_zero_with_one_line(cast: Cast) -> None:
    refused = _run(cast.member, "position", "create", "Chair")
    bad_date = _run(cast.steward, "call", "open", "1", "--asks", "x", "--closes-on", "soon")

    assert refused.exit_code != 0
    assert "Only stewards" in refused.output
    assert bad_date.exit_code != 0
    assert len(bad_date.output.strip().splitlines()) == 1


def test_memory_through_the_command_line(cast: Cast) -> None:
    added = _run(
        cast.member, "memory", "add", "Pilot first", "--kind", "strategy", "--body", "It worked."
    )
    entry = MemoryEntry.objects.get()
    listed = _run(cast.other, "memory", "list", "--kind", "strategy")
    hidden = _run(cast.steward, "memory", "hide", str(entry.pk), "--reason", "Duplicate")
    refused = _run(cast.member, "memory", "hide", str(entry.pk), "--reason", "x")

    assert added.exit_code == 0, added.output
    assert "Pilot first" in listed.output
    assert hidden.exit_code == 0
    assert refused.exit_code != 0
