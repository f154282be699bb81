"""Living documents: anyone reads them and what changed; stewards create them; owners
revise them and settle the changes members propose."""

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from accord.cli.base import AsOption, acting, fail, out, read_text
from accord.domain.errors import DomainError
from accord.domain.living_documents import TARGET
from accord.governance import queries, services
from accord.governance.schemas import (
    ChangeDecisionIn,
    ChangeIn,
    DeclineIn,
    DocumentIn,
    RevisionIn,
)
from accord.people.schemas import parse

document_app = typer.Typer(help="Living documents and their revisions.", no_args_is_help=True)

SlugArgument = Annotated[str, typer.Argument(help="The document's slug.")]
ProposalArgument = Annotated[int, typer.Argument(help="The proposed change's number.")]
TextOption = Annotated[Path, typer.Option("--text", help="A UTF-8 file with the whole text.")]
SummaryOption = Annotated[str, typer.Option(help="What changed, and why.")]


@document_app.command("list")
def list_documents() -> None:
    """Every document with its current revision."""
    table = Table("Slug", "Title", "Kind", "Governed", "Revision")
    for line in queries.list_documents():
        d = line.document
        table.add_row(
            d.slug,
            d.title,
            d.get_kind_display(),
            "yes" if d.governed else "no",
            str(line.current.number),
        )
    out.print(table)


@document_app.command("show")
def show(slug: SlugArgument) -> None:
    """A document's current text, its score and its history."""
    try:
        page = queries.document_page(None, slug)
    except DomainError as exc:
        fail(exc.detail)
    r = page.current.revision
    out.print(f"{page.document.title}, revision {r.number}", markup=False)
    score = page.current.readability
    if score is not None:
        out.print(f"Readability {score.score} (target {TARGET}+): {score.meaning}.")
    out.print(r.body, markup=False)
    for line in page.history:
        out.print(f"  {line.revision.number}. {line.revision.summary}", markup=False)


@document_app.command("create")
def create(
    title: Annotated[str, typer.Argument(help="The document's title.")],
    *,
    as_member: AsOption,
    kind: Annotated[
        str, typer.Option(help="funding, decision_rights, accountability, plan, conduct.")
    ],
    text: TextOption,
    governed: Annotated[
        bool, typer.Option(help="Changes only through a passed decision.")
    ] = False,
    group: Annotated[str, typer.Option(help="The owning group's slug (default: stewards).")] = "",
    summary: SummaryOption = "First version.",
) -> None:
    """Publish a document with its first revision (stewards)."""
    actor = acting(as_member)
    fields: dict[str, Any] = {
        "title": title,
        "kind": kind,
        "governed": governed,
        "group": group or None,
        "body": read_text(text),
        "summary": summary,
    }
    try:
        made = services.create_document(actor, parse(DocumentIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Published {made.slug}, revision 1.", markup=False)


@document_app.command("revise")
def revise(
    slug: SlugArgument, *, as_member: AsOption, text: TextOption, summary: SummaryOption
) -> None:
    """Record a new revision of a document that is not governed (its owners)."""
    actor = acting(as_member)
    try:
        data = parse(RevisionIn, {"body": read_text(text), "summary": summary})
        made = services.revise_document(actor, slug, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Published revision {made.number} of {slug}.", markup=False)


@document_app.command("propose")
def propose(
    slug: SlugArgument, *, as_member: AsOption, text: TextOption, summary: SummaryOption
) -> None:
    """Propose a new text for a document (any member)."""
    actor = acting(as_member)
    try:
        data = parse(ChangeIn, {"body": read_text(text), "summary": summary})
        made = services.propose_change(actor, slug, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Proposed change {made.pk} to {slug}.", markup=False)


@document_app.command("accept")
def accept(slug: SlugArgument, proposal_id: ProposalArgument, as_member: AsOption) -> None:
    """Accept a change to a document that is not governed (its owners)."""
    try:
        made = services.accept_change(acting(as_member), slug, proposal_id)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Change {proposal_id} accepted: revision {made.number} of {slug}.", markup=False)


@document_app.command("decline")
def decline(
    slug: SlugArgument,
    proposal_id: ProposalArgument,
    *,
    as_member: AsOption,
    reason: Annotated[str, typer.Option(help="Why, in plain words.")],
) -> None:
    """Decline a change, saying why (its owners)."""
    actor = acting(as_member)
    try:
        services.decline_change(actor, slug, proposal_id, parse(DeclineIn, {"reason": reason}))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Change {proposal_id} declined.")


@document_app.command("decide")
def decide(
    slug: SlugArgument,
    proposal_id: ProposalArgument,
    *,
    as_member: AsOption,
    closes: Annotated[str, typer.Option(help="Closing time, e.g. 2027-03-01T18:00+01:00.")],
) -> None:
    """Put a change to a consent decision (its owners); open it with `accord decision open`."""
    actor = acting(as_member)
    try:
        data = parse(ChangeDecisionIn, {"closes_at": closes})
        change = services.put_change_to_decision(actor, slug, proposal_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Change {proposal_id} is put to decision {change.decision_id} (a draft).")


@document_app.command("adopt")
def adopt(slug: SlugArgument, proposal_id: ProposalArgument, as_member: AsOption) -> None:
    """Adopt a change whose decision has closed and passed (its owners)."""
    try:
        made = services.adopt_change(acting(as_member), slug, proposal_id)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Change {proposal_id} adopted: revision {made.number} of {slug}.", markup=False)


@document_app.command("diff")
def diff(
    slug: SlugArgument,
    start: Annotated[int | None, typer.Option("--from", help="Default: the one before.")] = None,
    to: Annotated[int | None, typer.Option(help="Default: the current revision.")] = None,
) -> None:
    """What changed between two revisions: [-removed-] and {+added+}."""
    try:
        found = queries.diff_page(slug, start, to)
    except DomainError as exc:
        fail(exc.detail)
    marks = {"same": ("", ""), "del": ("[-", "-]"), "ins": ("{+", "+}")}
    shown = "".join(f"{marks[p.kind][0]}{p.text}{marks[p.kind][1]}" for p in found.pieces)
    out.print(f"Revision {found.old.number} to {found.new.number}:", markup=False)
    out.print(shown, markup=False, highlight=False)
