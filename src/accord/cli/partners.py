"""Partners: stewards add and edit partners and appoint or remove their representatives."""

from typing import Annotated

import typer

from accord.cli.base import AsOption, acting, fail, out
from accord.domain.errors import DomainError
from accord.partners import queries, services
from accord.partners.models import OfferingKind, PartnerKind
from accord.partners.schemas import (
    ClaimIn,
    OfferingIn,
    PartnerIn,
    PartnerPatch,
    RepresentativeIn,
    ReviewIn,
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


# -- offerings ---------------------------------------------------------------------------

offering_app = typer.Typer(
    help="Partners' offerings to members: list, create, close, claim, review.",
    no_args_is_help=True,
)
OfferingArgument = Annotated[int, typer.Argument(help="The offering's number.")]
OFFERING_KINDS = ", ".join(OfferingKind.values)


@offering_app.command("list")
def list_offerings() -> None:
    """Every offering, open ones first (public)."""
    for o in queries.offering_list(None).offerings:
        state = "open" if o.is_open else "closed"
        out.print(
            f"{o.pk}\t{state}\t{o.partner.slug}\t{o.kind}\t{o.stated_value} {o.currency}"
            f"\t{o.title}",
            markup=False,
            highlight=False,
        )


@offering_app.command("create")
def create(
    partner: SlugArgument,
    title: Annotated[str, typer.Argument(help="What is offered.")],
    *,
    as_member: AsOption,
    kind: Annotated[str, typer.Option(help=f"One of: {OFFERING_KINDS}.")],
    eligibility: Annotated[str, typer.Option(help="Who is eligible.")],
    value: Annotated[str, typer.Option(help="The stated value, exact (e.g. 25.00).")],
    description: Annotated[str, typer.Option(help="More about it.")] = "",
    agreement: Annotated[int | None, typer.Option(help="The agreement it serves.")] = None,
) -> None:
    """Offer members something from a partner (stewards, the partner's representatives)."""
    actor = acting(as_member)
    fields = {
        "partner": partner,
        "title": title,
        "kind": kind,
        "eligibility": eligibility,
        "value": value,
        "description": description,
        "agreement": agreement,
    }
    try:
        offering = services.create_offering(actor, parse(OfferingIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Offering {offering.pk} created: {offering.title}.", markup=False)


@offering_app.command("close")
def close(offering: OfferingArgument, as_member: AsOption) -> None:
    """Close an offering to new claims."""
    actor = acting(as_member)
    try:
        services.close_offering(actor, offering)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Offering {offering} is closed.")


@offering_app.command("claim")
def claim(
    offering: OfferingArgument,
    as_member: AsOption,
    interest: Annotated[
        bool, typer.Option("--interest", help="Only say you are interested.")
    ] = False,
) -> None:
    """Claim an offering (or, with --interest, say you are interested)."""
    actor = acting(as_member)
    kind = "interest" if interest else "claim"
    try:
        services.claim_offering(actor, offering, parse(ClaimIn, {"kind": kind}))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Offering {offering}: {'interest noted' if interest else 'claimed'}.")


@offering_app.command("review")
def review(
    offering: OfferingArgument,
    as_member: AsOption,
    rating: Annotated[int, typer.Option(help="1 to 5.")],
    text: Annotated[str, typer.Option(help="A few words (at most 2000 characters).")] = "",
) -> None:
    """Review an offering you claimed (again: replaces your review)."""
    actor = acting(as_member)
    try:
        services.review_offering(
            actor, offering, parse(ReviewIn, {"rating": rating, "text": text})
        )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Offering {offering}: your review is saved.")
