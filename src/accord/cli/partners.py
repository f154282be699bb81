"""Partners: stewards add and edit partners and appoint or remove their representatives."""

from typing import Annotated

import typer

from accord.cli.base import AsOption, acting, fail, out
from accord.domain.errors import DomainError
from accord.partners import services
from accord.partners.models import PartnerKind
from accord.partners.schemas import PartnerIn, PartnerPatch, RepresentativeIn
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
