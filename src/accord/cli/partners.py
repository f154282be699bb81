"""Partners: stewards add and edit partners and appoint or remove their representatives."""

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from accord.cli.base import AsOption, acting, fail, out
from accord.domain.errors import DomainError
from accord.partners import queries, services
from accord.partners.models import PartnerKind
from accord.partners.schemas import (
    DisclosureCloseIn,
    DisclosureIn,
    PartnerIn,
    PartnerPatch,
    RepresentativeIn,
    RiskIn,
    RiskPatch,
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


# -- risks and conflicts of interest ----------------------------------------------------------

risk_app = typer.Typer(help="A partnership's risk register.", no_args_is_help=True)
disclose_app = typer.Typer(
    help="Declared interests in a partnership (conflicts of interest).", no_args_is_help=True
)

AgreementArgument = Annotated[int, typer.Argument(help="The agreement's number.")]


@risk_app.command("add")
def risk_add(
    agreement_id: AgreementArgument,
    title: Annotated[str, typer.Argument(help="What could go wrong.")],
    *,
    as_member: AsOption,
    category: Annotated[str, typer.Option(help="reputation, financial, external or operational.")],
    likelihood: Annotated[int, typer.Option(help="1 (rare) to 5 (almost sure).")],
    impact: Annotated[int, typer.Option(help="1 (slight) to 5 (severe).")],
    mitigation: Annotated[str, typer.Option(help="What is done about it.")] = "",
    owner: Annotated[str, typer.Option(help="The owning office holder's handle.")] = "",
    owner_label: Annotated[str, typer.Option(help="Or the owning party's label.")] = "",
) -> None:
    """Add a risk to a partnership's register (stewards)."""
    actor = acting(as_member)
    try:
        data = parse(
            RiskIn,
            {
                "category": category,
                "title": title,
                "likelihood": likelihood,
                "impact": impact,
                "mitigation": mitigation,
                "owner": owner,
                "owner_label": owner_label,
            },
        )
        risk = services.add_risk(actor, agreement_id, data)
    except DomainError as exc:
        fail(exc.detail)
    rating = risk.rating
    out.print(
        f"Added risk {risk.pk} to agreement {agreement_id}: severity {rating.severity} "
        f"({rating.band}).",
        markup=False,
        highlight=False,
    )


@risk_app.command("update")
def risk_update(
    agreement_id: AgreementArgument,
    risk_id: Annotated[int, typer.Argument(help="The risk's number.")],
    *,
    as_member: AsOption,
    category: Annotated[str | None, typer.Option(help="A new category.")] = None,
    title: Annotated[str | None, typer.Option(help="A new title.")] = None,
    likelihood: Annotated[int | None, typer.Option(help="1 to 5.")] = None,
    impact: Annotated[int | None, typer.Option(help="1 to 5.")] = None,
    mitigation: Annotated[str | None, typer.Option(help="The mitigation.")] = None,
    owner: Annotated[str | None, typer.Option(help="An office holder's handle.")] = None,
    owner_label: Annotated[str | None, typer.Option(help="Or a party's label.")] = None,
    status: Annotated[str | None, typer.Option(help="open, mitigated or closed.")] = None,
) -> None:
    """Change a risk (stewards; its owner: rating, mitigation and status)."""
    actor = acting(as_member)
    given = {
        "category": category,
        "title": title,
        "likelihood": likelihood,
        "impact": impact,
        "mitigation": mitigation,
        "owner": owner,
        "owner_label": owner_label,
        "status": status,
    }
    try:
        data = parse(RiskPatch, {k: v for k, v in given.items() if v is not None})
        risk = services.update_risk(actor, agreement_id, risk_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(
        f"Saved risk {risk.pk}: {risk.status}, severity {risk.rating.severity} "
        f"({risk.rating.band}).",
        markup=False,
        highlight=False,
    )


@risk_app.command("list")
def risk_list(agreement_id: AgreementArgument, as_member: AsOption) -> None:
    """A partnership's risks, open and most severe first (office holders and the
    partner's own representatives)."""
    actor = acting(as_member)
    try:
        lines = queries.visible_risks(actor, agreement_id)
    except DomainError as exc:
        fail(exc.detail)
    table = Table("#", "risk", "category", "L x I", "severity", "owner", "status")
    for line in lines:
        r = line.risk
        table.add_row(
            str(r.pk),
            escape(r.title),
            r.category,
            f"{r.likelihood} x {r.impact}",
            f"{line.severity} {line.band}",
            escape(line.owner or r.owner_label or "-"),
            r.status,
        )
    out.print(table if lines else f"No risks recorded for agreement {agreement_id}.")


@disclose_app.command("add")
def disclose_add(
    agreement_id: AgreementArgument,
    interest: Annotated[str, typer.Argument(help="The interest, as it will be published.")],
    as_member: AsOption,
) -> None:
    """Declare an interest in a partnership (stewards, treasurers, auditors); it is public
    with your handle, and you no longer decide on the partnership until it is closed."""
    actor = acting(as_member)
    try:
        made = services.disclose_interest(
            actor, agreement_id, parse(DisclosureIn, {"interest": interest})
        )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Declared interest {made.pk} in agreement {agreement_id}.")


@disclose_app.command("close")
def disclose_close(
    agreement_id: AgreementArgument,
    disclosure_id: Annotated[int, typer.Argument(help="The disclosure's number.")],
    *,
    as_member: AsOption,
    reason: Annotated[str, typer.Option(help="Why it no longer applies.")],
) -> None:
    """Close a disclosure (its discloser or a steward), with a reason."""
    actor = acting(as_member)
    try:
        closed = services.close_disclosure(
            actor, agreement_id, disclosure_id, parse(DisclosureCloseIn, {"reason": reason})
        )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Closed disclosure {closed.pk} on agreement {agreement_id}.")


@disclose_app.command("list")
def disclose_list(agreement_id: AgreementArgument) -> None:
    """A partnership's declared interests (public)."""
    try:
        lines = queries.disclosures_of(agreement_id)
    except DomainError as exc:
        fail(exc.detail)
    table = Table("#", "by", "office", "declared", "interest", "status")
    for line in lines:
        d = line.disclosure
        table.add_row(
            str(d.pk),
            line.discloser or "a former office holder",
            line.role,
            d.declared_at.date().isoformat(),
            escape(line.interest or "(withdrawn at erasure)"),
            "open" if d.is_open else f"closed {d.closed_at:%Y-%m-%d}: {escape(d.closed_reason)}",
        )
    out.print(table if lines else f"No interests declared in agreement {agreement_id}.")
