"""Positions, calls for volunteers and the institutional memory: stewards create positions,
record terms and run calls; members answer calls and add to the memory."""

from typing import Annotated, Any

import typer
from django.utils import timezone
from rich.table import Table

from accord.cli.base import AsOption, acting, fail, out
from accord.domain.errors import DomainError
from accord.governance import services
from accord.governance.queries import succession as q
from accord.governance.schemas import (
    AnswerIn,
    CallIn,
    HideIn,
    MemoryIn,
    PlanPersonIn,
    PositionIn,
    PositionTermIn,
)
from accord.people.schemas import parse

position_app = typer.Typer(help="Positions, terms and succession plans.", no_args_is_help=True)
call_app = typer.Typer(help="Calls for volunteers.", no_args_is_help=True)
memory_app = typer.Typer(help="The institutional memory.", no_args_is_help=True)

PositionArgument = Annotated[int, typer.Argument(help="The position's number.")]
CallArgument = Annotated[int, typer.Argument(help="The call's number.")]


@position_app.command("list")
def list_positions(as_member: AsOption) -> None:
    """Every position: seats held, rotation due, at risk."""
    try:
        page = q.positions_page(acting(as_member), today=timezone.localdate())
    except DomainError as exc:
        fail(exc.detail)
    table = Table("#", "Position", "Held", "Holders", "Rotation", "Risk")
    for ln in page.lines:
        p = ln.position
        table.add_row(
            str(p.pk),
            p.title,
            f"{ln.filled}/{p.seats}",
            ", ".join(ln.holders) or "vacant",
            "due" if ln.rotation_due else "",
            ln.at_risk,
        )
    out.print(table)


@position_app.command("create")
def create(
    title: Annotated[str, typer.Argument(help="The office, e.g. Treasurer.")],
    *,
    as_member: AsOption,
    group: Annotated[str, typer.Option(help="A group's slug (default: the community).")] = "",
    seats: Annotated[int, typer.Option(help="How many hold it at a time.")] = 1,
    term_months: Annotated[int, typer.Option(help="A term's usual length.")] = 12,
    term_limit: Annotated[int, typer.Option(help="Consecutive terms allowed.")] = 2,
    description: Annotated[str, typer.Option(help="What it does.")] = "",
) -> None:
    """Create a position (stewards)."""
    fields: dict[str, Any] = {
        "title": title,
        "group": group or None,
        "seats": seats,
        "term_months": term_months,
        "term_limit": term_limit,
        "description": description,
    }
    try:
        made = services.create_position(acting(as_member), parse(PositionIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Created position {made.pk}: {made.title}.", markup=False)


@position_app.command("term")
def term(
    position_id: PositionArgument,
    *,
    as_member: AsOption,
    member: Annotated[str, typer.Option(help="The holder's public handle.")],
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")],
    end: Annotated[str, typer.Option(help="Last day, YYYY-MM-DD.")],
) -> None:
    """Record a member's term in a position (stewards)."""
    try:
        data = parse(PositionTermIn, {"member": member, "start": start, "end": end})
        services.record_position_term(acting(as_member), position_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Term recorded in position {position_id}: {start} to {end}.")


@position_app.command("plan")
def plan(
    position_id: PositionArgument,
    *,
    as_member: AsOption,
    member: Annotated[str, typer.Option(help="The member's public handle.")],
    role: Annotated[str, typer.Option(help="successor or shadow.")] = "successor",
) -> None:
    """Name a successor candidate or shadow (stewards and the position's holders)."""
    try:
        data = parse(PlanPersonIn, {"member": member, "role": role})
        services.add_to_plan(acting(as_member), position_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Named in the succession plan of position {position_id} as {role}.")


@call_app.command("list")
def list_calls(as_member: AsOption) -> None:
    """Every call for volunteers, with counts under 10 withheld."""
    acting(as_member)
    table = Table("#", "Position", "Status", "Answer by", "Answered")
    for ln in q.list_calls(today=timezone.localdate()):
        c = ln.call
        table.add_row(
            str(c.pk),
            c.position.title,
            "open" if ln.is_open else "closed",
            f"{c.closes_on:%Y-%m-%d}",
            str(ln.answered),
        )
    out.print(table)


@call_app.command("open")
def open_call(
    position_id: PositionArgument,
    *,
    as_member: AsOption,
    asks: Annotated[str, typer.Option(help="Who is asked for, and what it involves.")],
    closes_on: Annotated[str, typer.Option(help="Last day to answer, YYYY-MM-DD.")],
    background: Annotated[
        list[str] | None, typer.Option(help="A background the body aims for (repeat).")
    ] = None,
) -> None:
    """Open a call for volunteers (stewards)."""
    fields = {
        "position": position_id,
        "asks": asks,
        "closes_on": closes_on,
        "backgrounds": background or [],
    }
    try:
        made = services.open_call(acting(as_member), parse(CallIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Opened call {made.pk}; answers until {made.closes_on}.")


@call_app.command("answer")
def answer(
    call_id: CallArgument,
    *,
    as_member: AsOption,
    background: Annotated[
        list[str] | None, typer.Option(help="A background of the call's that fits you.")
    ] = None,
    note: Annotated[str, typer.Option(help="A note to the stewards.")] = "",
) -> None:
    """Volunteer for a call (or change your answer)."""
    try:
        data = parse(AnswerIn, {"backgrounds": background or [], "note": note})
        services.answer_call(acting(as_member), call_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Your answer to call {call_id} is recorded; only stewards see it.")


@call_app.command("close")
def close(call_id: CallArgument, as_member: AsOption) -> None:
    """Close a call (stewards)."""
    try:
        services.close_call(acting(as_member), call_id)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Call {call_id} is closed.")


@memory_app.command("list")
def list_memory(
    as_member: AsOption,
    kind: Annotated[str, typer.Option(help="lesson, decision, strategy or caution.")] = "",
) -> None:
    """The institutional memory, newest first."""
    try:
        lines = q.list_memory(acting(as_member), kind=kind or None)
    except DomainError as exc:
        fail(exc.detail)
    table = Table("#", "Kind", "Title", "Date")
    for ln in lines:
        e = ln.entry
        table.add_row(str(e.pk), e.kind, e.title, f"{e.at:%Y-%m-%d}")
    out.print(table)


@memory_app.command("add")
def add(
    title: Annotated[str, typer.Argument(help="What is remembered, in a line.")],
    *,
    as_member: AsOption,
    kind: Annotated[str, typer.Option(help="lesson, decision, strategy or caution.")],
    body: Annotated[str, typer.Option(help="What is to be remembered.")],
    decision: Annotated[int | None, typer.Option(help="The decision it came from.")] = None,
    agreement: Annotated[int | None, typer.Option(help="The partnership it came from.")] = None,
) -> None:
    """Add an entry to the institutional memory."""
    fields = {
        "kind": kind,
        "title": title,
        "body": body,
        "decision": decision,
        "agreement": agreement,
    }
    try:
        made = services.add_memory(acting(as_member), parse(MemoryIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Added memory entry {made.pk}.")


@memory_app.command("hide")
def hide(
    entry_id: Annotated[int, typer.Argument(help="The entry's number.")],
    *,
    as_member: AsOption,
    reason: Annotated[str, typer.Option(help="Why it is hidden.")],
) -> None:
    """Hide an entry, with a reason (stewards)."""
    try:
        services.hide_memory(acting(as_member), entry_id, parse(HideIn, {"reason": reason}))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Memory entry {entry_id} is hidden.")
