"""Concerns: members raise and follow them; the handlers of a concern's level acknowledge,
resolve or escalate it; stewards (a group's leads for the group) set up escalation paths."""

from typing import Annotated

import typer
from rich.table import Table

from accord.cli.base import AsOption, acting, fail, out
from accord.domain.errors import DomainError
from accord.governance import queries, services
from accord.governance.models import ConcernKind
from accord.governance.schemas import ConcernIn, LevelIn, ResolutionIn
from accord.people.schemas import parse

concern_app = typer.Typer(help="Concerns and escalation paths.", no_args_is_help=True)

ConcernArgument = Annotated[int, typer.Argument(help="The concern's number.")]
KINDS = ", ".join(k.value for k in ConcernKind)


def _table(lines: list[queries.ConcernLine]) -> Table:
    table = Table("#", "Summary", "Kind", "Status", "Level", "Deadline")
    for line in lines:
        c = line.concern
        state = f"{c.status} (overdue)" if c.overdue else c.status
        deadline = "—" if c.status == "resolved" else f"{c.deadline:%Y-%m-%d %H:%M %Z}"
        table.add_row(
            str(c.pk), c.summary, c.kind, state, f"{c.level.rank}: {c.level.name}", deadline
        )
    return table


@concern_app.command("list")
def list_concerns(
    as_member: AsOption,
    queue: Annotated[bool, typer.Option(help="Those waiting for you as a handler.")] = False,
) -> None:
    """The concerns you raised (or, with --queue, those waiting for you to handle)."""
    try:
        viewer = acting(as_member)
        lines = queries.concern_queue(viewer) if queue else queries.my_concerns(viewer)
    except DomainError as exc:
        fail(exc.detail)
    out.print(_table(lines))


@concern_app.command("show")
def show(concern_id: ConcernArgument, as_member: AsOption) -> None:
    """A concern: where it stands, its next deadline, its path and its resolution."""
    try:
        page = queries.concern_page(acting(as_member), concern_id)
    except DomainError as exc:
        fail(exc.detail)
    c = page.line.concern
    out.print(f"Concern {c.pk}: {c.summary} ({c.kind}, {c.status})", markup=False)
    out.print(c.body, markup=False)
    out.print(f"Raised by {page.line.raiser}; level {c.level.rank}: {c.level.name}.", markup=False)
    if c.status != "resolved":
        nxt = f"; then {page.next_level.name}" if page.next_level else " (the top level)"
        overdue = ", overdue" if c.overdue else ""
        out.print(f"Next deadline: {c.deadline:%Y-%m-%d %H:%M %Z}{nxt}{overdue}.", markup=False)
    for e in page.history:
        out.print(f"  {e.at:%Y-%m-%d %H:%M} {e.get_kind_display()} (level {e.level.rank})")
    if c.resolution:
        out.print(f"Resolution: {c.resolution}", markup=False)


@concern_app.command("raise")
def raise_one(
    summary: Annotated[str, typer.Argument(help="What it is about, in a line.")],
    *,
    as_member: AsOption,
    body: Annotated[str, typer.Option(help="What happened, and what you would like.")],
    kind: Annotated[str, typer.Option(help=f"One of: {KINDS}.")] = "conduct",
    group: Annotated[str, typer.Option(help="A group's slug (its path, if it has one).")] = "",
    agreement: Annotated[int | None, typer.Option(help="The partnership it is about.")] = None,
    decision: Annotated[int | None, typer.Option(help="The decision it is about.")] = None,
    anonymous: Annotated[bool, typer.Option(help="Only its handlers learn who.")] = False,
) -> None:
    """Raise a concern; it starts at level 1 of its escalation path."""
    actor = acting(as_member)
    fields = {
        "summary": summary,
        "body": body,
        "kind": kind,
        "group": group or None,
        "agreement": agreement,
        "decision": decision,
        "anonymous": anonymous,
    }
    try:
        made = services.raise_concern(actor, parse(ConcernIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(
        f"Raised concern {made.pk}: with {made.level.name} until "
        f"{made.deadline:%Y-%m-%d %H:%M %Z}.",
        markup=False,
    )


@concern_app.command("acknowledge")
def acknowledge(concern_id: ConcernArgument, as_member: AsOption) -> None:
    """Tell the raiser someone has it (the deadline stands)."""
    try:
        services.acknowledge_concern(acting(as_member), concern_id)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Concern {concern_id} acknowledged.")


@concern_app.command("escalate")
def escalate(concern_id: ConcernArgument, as_member: AsOption) -> None:
    """Pass it up to the next level, whose clock starts now."""
    try:
        made = services.escalate_concern(acting(as_member), concern_id)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Concern {concern_id} escalated to {made.level.name}.", markup=False)


@concern_app.command("resolve")
def resolve(
    concern_id: ConcernArgument,
    *,
    as_member: AsOption,
    resolution: Annotated[str, typer.Option(help="What was done, in plain words.")],
) -> None:
    """Resolve it with a written resolution the raiser reads."""
    try:
        data = parse(ResolutionIn, {"resolution": resolution})
        services.resolve_concern(acting(as_member), concern_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Concern {concern_id} resolved.")


@concern_app.command("levels")
def levels(as_member: AsOption) -> None:
    """Every escalation path and its levels."""
    try:
        ladders = queries.ladders(acting(as_member))
    except DomainError as exc:
        fail(exc.detail)
    table = Table("Path", "Level", "Handlers", "Hours")
    for ladder in ladders:
        for line in ladder.levels:
            named = ", ".join(line.handlers) + (" (and others)" if line.unnamed else "")
            table.add_row(
                ladder.label,
                f"{line.level.rank}: {line.level.name}",
                named,
                str(line.level.response_hours),
            )
    out.print(table)


@concern_app.command("set-level")
def set_level(
    rank: Annotated[int, typer.Argument(help="1 is where concerns start.")],
    *,
    as_member: AsOption,
    name: Annotated[str, typer.Option(help="The level's name, e.g. Group leads.")],
    hours: Annotated[int, typer.Option(help="How long its handlers have to answer.")],
    handler: Annotated[list[str], typer.Option(help="A handler's handle (repeat).")],
    group: Annotated[str, typer.Option(help="A group's slug (default: the community).")] = "",
) -> None:
    """Set up or change one level of the community's path or a group's."""
    actor = acting(as_member)
    fields = {
        "group": group or None,
        "rank": rank,
        "name": name,
        "response_hours": hours,
        "handlers": handler,
    }
    try:
        made = services.set_escalation_level(actor, parse(LevelIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(
        f"Level {made.rank}, {made.name}, answers within {made.response_hours} hours.",
        markup=False,
    )
