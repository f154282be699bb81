"""Partners: stewards add and edit partners and appoint or remove their representatives."""

from pathlib import Path
from typing import Annotated

import typer

from accord.cli.base import AsOption, acting, fail, out, read_bytes
from accord.domain.documents import DOCUMENT_MAX_BYTES
from accord.domain.errors import DomainError
from accord.partners import services
from accord.partners.models import PartnerKind
from accord.partners.queries import review_of
from accord.partners.schemas import (
    AmendmentIn,
    CommitmentIn,
    DocumentIn,
    FulfilmentIn,
    GoalIn,
    PartnerIn,
    PartnerPatch,
    ReadingIn,
    RepresentativeIn,
    ReviewIn,
    RoleIn,
)
from accord.people.schemas import parse

KIND_HELP = f"The partner's type: {', '.join(PartnerKind.values)}."

partner_app = typer.Typer(help="Partners and their representatives.", no_args_is_help=True)

SlugArgument = Annotated[str, typer.Argument(help="The partner's slug (from its address).")]
MemberArgument = Annotated[str, typer.Argument(help="The member's e-mail address or handle.")]


@partner_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The partner's name.")],
    as_member: AsOption,
    kind: Annotated[str, typer.Option(help=KIND_HELP)],
    website: Annotated[str, typer.Option(help="https://...")] = "",
    description: Annotated[str, typer.Option(help="About the partner (public).")] = "",
) -> None:
    """Add a partner."""
    actor = acting(as_member)
    try:
        data = parse(
            PartnerIn, {"name": name, "kind": kind, "website": website, "description": description}
        )
        partner = services.create_partner(actor, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Added partner {partner.name} ({partner.slug}).")


@partner_app.command("edit")
def edit(
    slug: SlugArgument,
    *,
    as_member: AsOption,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    kind: Annotated[str | None, typer.Option(help="A new type.")] = None,
    website: Annotated[str | None, typer.Option(help="A new website (empty to clear).")] = None,
    description: Annotated[str | None, typer.Option(help="A new description.")] = None,
) -> None:
    """Change a partner's name, kind, website or description."""
    actor = acting(as_member)
    given = {"name": name, "kind": kind, "website": website, "description": description}
    try:
        data = parse(PartnerPatch, {k: v for k, v in given.items() if v is not None})
        partner = services.edit_partner(actor, slug, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Saved partner {partner.name} ({partner.slug}).")


@partner_app.command("appoint")
def appoint(slug: SlugArgument, member: MemberArgument, as_member: AsOption) -> None:
    """Appoint a member as the partner's representative (bound to this partner only)."""
    actor = acting(as_member)
    try:
        rep = services.appoint_representative(
            actor, slug, parse(RepresentativeIn, {"member": member})
        )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"{rep.member.display_name} now represents {rep.partner.name}.")


@partner_app.command("remove")
def remove(slug: SlugArgument, member: MemberArgument, as_member: AsOption) -> None:
    """End a representative's binding to the partner (by e-mail or handle)."""
    actor = acting(as_member)
    try:
        removed = services.remove_representative(actor, slug, member)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"{removed.display_name} no longer represents {slug}.")


# -- goals and commitments ---------------------------------------------------------------------

goal_app = typer.Typer(help="An agreement's goals and their readings.", no_args_is_help=True)
commitment_app = typer.Typer(
    help="An agreement's commitments and their fulfilment.", no_args_is_help=True
)
partner_app.add_typer(goal_app, name="goal")
partner_app.add_typer(commitment_app, name="commitment")

AgreementArgument = Annotated[int, typer.Argument(help="The agreement's number.")]
DateOption = Annotated[str | None, typer.Option(help="A date, YYYY-MM-DD (default: today).")]


def _given(**values: object) -> dict[str, object]:
    return {k: v for k, v in values.items() if v is not None}


@goal_app.command("add")
def goal_add(
    agreement: AgreementArgument,
    name: Annotated[str, typer.Argument(help="The goal, e.g. 'Member engagement'.")],
    *,
    as_member: AsOption,
    metric: Annotated[str, typer.Option(help="What is measured.")],
    unit: Annotated[str, typer.Option(help="The metric's unit, e.g. members or EUR.")],
    target: Annotated[str, typer.Option(help="The value aimed for, e.g. 120.")],
    due: Annotated[str, typer.Option(help="When it is due, YYYY-MM-DD.")],
    baseline: Annotated[str, typer.Option(help="Where it starts.")] = "0",
    starts: DateOption = None,
) -> None:
    """Set a goal of an agreement (stewards)."""
    actor = acting(as_member)
    raw = _given(
        name=name, metric=metric, unit=unit, target=target, baseline=baseline, due_on=due,
        starts_on=starts,
    )  # fmt: skip
    try:
        goal = services.add_goal(actor, agreement, parse(GoalIn, raw))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Added goal {goal.pk}: {goal.name}.", markup=False)


@goal_app.command("reading")
def goal_reading(
    goal: Annotated[int, typer.Argument(help="The goal's number.")],
    value: Annotated[str, typer.Argument(help="The metric's value, e.g. 42.5.")],
    as_member: AsOption,
    on: DateOption = None,
) -> None:
    """Record a goal's reading (stewards, the partner's representatives)."""
    actor = acting(as_member)
    try:
        reading = services.record_reading(
            actor, goal, parse(ReadingIn, _given(value=value, on=on))
        )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Recorded {reading.value} on {reading.on} for goal {goal}.")


@commitment_app.command("add")
def commitment_add(
    agreement: AgreementArgument,
    description: Annotated[str, typer.Argument(help="What is committed.")],
    *,
    as_member: AsOption,
    party: Annotated[str, typer.Option(help="Who commits: community or partner.")],
    kind: Annotated[
        str,
        typer.Option(help="financial, expertise, technology, staff, in_kind or events."),
    ],
    due: Annotated[str, typer.Option(help="When it is due, YYYY-MM-DD.")],
    amount: Annotated[str, typer.Option(help="Financial only, e.g. 1500.00.")] = "",
) -> None:
    """Record a commitment of one party (stewards)."""
    actor = acting(as_member)
    raw = {"party": party, "kind": kind, "description": description, "amount": amount}
    try:
        made = services.add_commitment(
            actor, agreement, parse(CommitmentIn, {**raw, "due_on": due})
        )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Added commitment {made.pk}.")


@commitment_app.command("fulfil")
def commitment_fulfil(
    commitment: Annotated[int, typer.Argument(help="The commitment's number.")],
    *,
    as_member: AsOption,
    amount: Annotated[str, typer.Option(help="Money received, e.g. 250.00.")] = "",
    on: DateOption = None,
    note: Annotated[str, typer.Option(help="What was delivered (kept off the ledger).")] = "",
    completes: Annotated[bool, typer.Option(help="Non-financial: this completes it.")] = False,
    key: Annotated[str, typer.Option(help="Idempotency key for money received.")] = "",
) -> None:
    """Record a delivery; money a partner paid goes into the community fund (treasurers)."""
    actor = acting(as_member)
    raw = _given(amount=amount, on=on, note=note, completes=completes, key=key)
    try:
        done = services.record_fulfilment(actor, commitment, parse(FulfilmentIn, raw))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Recorded a delivery on {done.on} for commitment {commitment}.")


@partner_app.command("review")
def review(
    agreement: AgreementArgument,
    as_member: AsOption,
    every: Annotated[int | None, typer.Option(help="Review every this many months.")] = None,
    held: Annotated[str | None, typer.Option(help="A review held on YYYY-MM-DD.")] = None,
) -> None:
    """Set an agreement's review cadence or record a review held (stewards)."""
    actor = acting(as_member)
    try:
        data = parse(ReviewIn, _given(every_months=every, reviewed_on=held))
        done = services.schedule_review(actor, agreement, data)
    except DomainError as exc:
        fail(exc.detail)
    upcoming = review_of(done).next_on
    out.print(f"Next review: {upcoming or 'once the agreement is active'}.")


@partner_app.command("amend")
def amend(
    agreement: AgreementArgument,
    summary: Annotated[str, typer.Argument(help="What changed and why.")],
    as_member: AsOption,
    purpose: Annotated[str | None, typer.Option(help="The new shared purpose.")] = None,
    member_needs: Annotated[str | None, typer.Option(help="The new member needs.")] = None,
) -> None:
    """Amend an agreement's purpose or member needs; each version is kept (stewards)."""
    actor = acting(as_member)
    raw = _given(summary=summary, purpose=purpose, member_needs=member_needs)
    try:
        version = services.amend_agreement(actor, agreement, parse(AmendmentIn, raw))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Agreement {agreement} is now at version {version.number}.")


@partner_app.command("role")
def role(
    agreement: AgreementArgument,
    area: Annotated[str, typer.Argument(help="The area, e.g. 'Programme content'.")],
    *,
    as_member: AsOption,
    party: Annotated[str, typer.Option(help="community or partner")],
    leads: Annotated[str, typer.Option(help="Who leads the work in this area.")],
    decides: Annotated[str, typer.Option(help="Who decides in this area.")],
) -> None:
    """Publish who leads and who decides in one area of an agreement (stewards)."""
    actor = acting(as_member)
    raw = {"party": party, "area": area, "leads": leads, "decides": decides}
    try:
        services.set_role(actor, agreement, parse(RoleIn, raw))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Set who leads and decides {area} for the {party}.", markup=False)


@partner_app.command("attach")
def attach(
    agreement: AgreementArgument,
    path: Annotated[
        Path, typer.Argument(help="The file: pdf, png, jpg, odt, docx, txt, md, csv.")
    ],
    as_member: AsOption,
) -> None:
    """Attach a document to an agreement (stewards; at most 5 MB)."""
    actor = acting(as_member)
    content = read_bytes(
        path,
        max_bytes=DOCUMENT_MAX_BYTES,
        too_large=lambda size: f"{size:,} bytes; at most {DOCUMENT_MAX_BYTES:,} may be attached",
    )
    try:
        data = parse(DocumentIn, {"name": path.name, "content": content})
        document = services.attach_document(actor, agreement, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Attached {document.name} ({document.size:,} bytes).", markup=False)
