"""Partners: stewards add and edit partners and appoint or remove their representatives;
partnership agreements are recorded, scored, moved along and matured."""

from pathlib import Path
from typing import Annotated

import typer
from django.utils import timezone
from rich.markup import escape
from rich.table import Table

from accord.cli.base import AsOption, acting, fail, out, read_bytes
from accord.domain import partnerships as ps
from accord.domain.documents import DOCUMENT_MAX_BYTES
from accord.domain.errors import DomainError
from accord.domain.money import format_amount
from accord.partners import queries, services
from accord.partners.models import OfferingKind, PartnerKind, Reason, ValueKind
from accord.partners.queries import review_of
from accord.partners.schemas import (
    AgreementIn,
    AgreementReviewIn,
    AmendmentIn,
    ClaimIn,
    CommitmentIn,
    DisclosureCloseIn,
    DisclosureIn,
    DocumentIn,
    FulfilmentIn,
    GoalIn,
    MaturityIn,
    OfferingIn,
    PartnerContactIn,
    PartnerContactPatch,
    PartnerIn,
    PartnerPatch,
    PoolFundingIn,
    ReadingIn,
    RepresentativeIn,
    ReviewIn,
    RiskIn,
    RiskPatch,
    RoleIn,
    ScoreIn,
    StatusIn,
    UpdateIn,
    ValueIn,
)
from accord.people.models import Member
from accord.people.schemas import parse
from accord.web.templatetags.accord_format import fraction, percent

KIND_HELP = f"The partner's type: {', '.join(PartnerKind.values)}."

partner_app = typer.Typer(help="Partners and their representatives.", no_args_is_help=True)

SlugArgument = Annotated[str, typer.Argument(help="The partner's slug (from its address).")]
MemberArgument = Annotated[str, typer.Argument(help="The member's e-mail address or handle.")]
AS_READER = typer.Option("--as", help="Read as this member (email): adds what they may see.")


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


# -- partnership agreements -----------------------------------------------------------------

agreement_app = typer.Typer(
    help="Partnership agreements: record, evaluate, move along, mature.", no_args_is_help=True
)

AgreementArgument = Annotated[
    int, typer.Argument(help="The agreement's number (from its address).")
]
ReasonOption = Annotated[str, typer.Option(help="Why (shown in the agreement's history).")]
STATUS_HELP = f"Only agreements in this status ({', '.join(queries.STATUSES)})."
CRITERIA_HELP = f"One of the ten criteria: {', '.join(c.key for c in ps.CRITERIA)}."


def _reader(as_member: str) -> Member | None:
    """Reads are public: --as only adds what that member may also see."""
    return acting(as_member) if as_member else None


@agreement_app.command("list")
def list_agreements(
    status: Annotated[str, typer.Option(help=STATUS_HELP)] = "",
    kind: Annotated[str, typer.Option(help="Only partners of this type.")] = "",
) -> None:
    """List partnership agreements (public), as the partnerships page filters them."""
    if status and status not in queries.STATUSES:
        fail(f"{status!r} is not a status ({', '.join(queries.STATUSES)}).")
    if kind and kind not in PartnerKind.values:
        fail(f"{kind!r} is not a partner kind ({', '.join(PartnerKind.values)}).")
    rows = queries.agreement_rows(queries.AgreementFilters(status=status, kind=kind))
    table = Table("id", "partner", "title", "status", "level", "target")
    for row in rows:
        a = row.agreement
        table.add_row(
            str(a.pk),
            a.partner.name,
            a.title,
            a.get_status_display(),
            f"{a.level} {row.level_label}",
            str(a.target_level),
        )
    out.print(table if rows else "No partnerships match.")


@agreement_app.command("show")
def show(agreement_id: AgreementArgument, as_member: Annotated[str, AS_READER] = "") -> None:
    """Show an agreement: its facts, history and, for whoever may see it, its evaluation."""
    try:
        page = queries.agreement_page(_reader(as_member), agreement_id)
    except DomainError as exc:
        fail(exc.detail)
    a = page.agreement
    out.print(f"{a.pk}. {a.title} with {a.partner.name} ({a.partner.slug})", markup=False)
    out.print(f"Status: {a.get_status_display()}", markup=False)
    out.print(f"Level {a.level} ({page.level_label})", markup=False)
    out.print(f"Target {a.target_level} ({page.target_label})", markup=False)
    out.print(f"Purpose: {a.purpose}", markup=False)
    out.print(f"Reasons: {', '.join(page.reasons)}", markup=False)
    if a.member_needs:
        out.print(f"Member needs: {a.member_needs}", markup=False)
    for c in page.changes:
        by = f" by {c.by.pseudonym}" if c.by else ""
        out.print(f"{c.at:%Y-%m-%d} {c.what}: {c.move}{by}: {c.reason}", markup=False)
    if page.evaluation is not None:
        _print_evaluation(page.evaluation)


def _print_evaluation(evaluation: queries.Evaluation) -> None:
    summary = evaluation.summary
    out.print(
        f"Evaluation: {summary.evaluators} evaluator(s) scored all ten, "
        f"{summary.partial} some; mean {fraction(summary.mean)}"
    )
    for c in summary.criteria:
        spread = "-" if c.spread is None else str(c.spread)
        out.print(f"  {c.criterion.key}: mean {fraction(c.mean)}, spread {spread}, by {c.count}")
    if evaluation.meets_rule:
        out.print("It meets the community's rule for activation.")
    else:
        out.print("Not yet activable: " + "; ".join(evaluation.problems) + ".", markup=False)


@agreement_app.command("create")
def create(
    partner: SlugArgument,
    title: Annotated[str, typer.Argument(help="The agreement's title.")],
    *,
    as_member: AsOption,
    purpose: Annotated[str, typer.Option(help="The shared purpose: why we undertake it.")],
    reason: Annotated[
        list[str], typer.Option(help=f"A reason it serves (repeat): {', '.join(Reason.values)}.")
    ],
    needs: Annotated[str, typer.Option(help="The member needs it addresses.")] = "",
    target: Annotated[int, typer.Option(help="The maturity level aimed for (1-5).")] = 3,
) -> None:
    """Record a prospective partnership agreement (stewards)."""
    actor = acting(as_member)
    fields = {
        "partner": partner,
        "title": title,
        "purpose": purpose,
        "reasons": reason,
        "member_needs": needs,
        "target_level": target,
    }
    try:
        made = services.create_agreement(actor, parse(AgreementIn, fields))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Recorded agreement {made.pk}: {made.title} (prospect).", markup=False)


@agreement_app.command("status")
def status(
    agreement_id: AgreementArgument,
    to: Annotated[str, typer.Argument(help="The new status.")],
    *,
    as_member: AsOption,
    reason: ReasonOption,
    decision: Annotated[
        int | None,
        typer.Option(help="Activating or ending: the passed decision that decided it."),
    ] = None,
) -> None:
    """Move an agreement along its lifecycle (stewards; activation needs the evaluation, and
    activating or ending a partnership in force, a passed decision)."""
    actor = acting(as_member)
    try:
        data = parse(StatusIn, {"status": to, "reason": reason, "decision": decision})
        moved = services.change_agreement_status(actor, agreement_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Agreement {moved.pk} is now {moved.get_status_display()}.")


@agreement_app.command("maturity")
def maturity(
    agreement_id: AgreementArgument,
    *,
    as_member: AsOption,
    reason: ReasonOption,
    level: Annotated[int | None, typer.Option(help="The level reached (1-5).")] = None,
    target: Annotated[int | None, typer.Option(help="The target level (1-5).")] = None,
) -> None:
    """Record an agreement's maturity level or target (stewards)."""
    actor = acting(as_member)
    try:
        data = parse(MaturityIn, {"level": level, "target_level": target, "reason": reason})
        done = services.set_agreement_maturity(actor, agreement_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Agreement {done.pk}: level {done.level}, target {done.target_level}.")


@agreement_app.command("score")
def score(
    agreement_id: AgreementArgument,
    criterion: Annotated[str, typer.Argument(help=CRITERIA_HELP)],
    value: Annotated[int, typer.Argument(metavar="SCORE", help="From 1 to 5.")],
    *,
    as_member: AsOption,
    note: Annotated[str, typer.Option(help="Why this score.")] = "",
) -> None:
    """Score an agreement on one criterion while it is evaluated (office holders)."""
    actor = acting(as_member)
    try:
        data = parse(ScoreIn, {"criterion": criterion, "score": value, "note": note})
        services.score_agreement(actor, agreement_id, data)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Scored agreement {agreement_id} on {criterion}: {value}.")


@agreement_app.command("post-update")
def post_update(
    agreement_id: AgreementArgument,
    *,
    as_member: AsOption,
    body: Annotated[str, typer.Option(help="What the community or the partner reports.")],
) -> None:
    """Post an update on a partnership (stewards; the partner's own representatives)."""
    actor = acting(as_member)
    try:
        made = services.post_update(actor, agreement_id, parse(UpdateIn, {"body": body}))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Posted update {made.pk} on agreement {agreement_id} for the {made.side}.")


VALUE_KINDS_HELP = f"What it measures: {', '.join(ValueKind.values)}."


@agreement_app.command("value")
def value(
    agreement_id: AgreementArgument,
    *,
    as_member: AsOption,
    kind: Annotated[str, typer.Option(help=VALUE_KINDS_HELP)],
    amount: Annotated[str, typer.Option(help="In the community's smallest unit (cents).")],
    basis: Annotated[str, typer.Option(help="How the value is estimated (public).")],
    on: Annotated[
        str | None, typer.Option(help="When it was delivered, YYYY-MM-DD (default: today).")
    ] = None,
) -> None:
    """Record a value a partnership gave members or the partner (stewards)."""
    actor = acting(as_member)
    raw = {
        "kind": kind,
        "amount": amount,
        "basis": basis,
        "on": on or timezone.localdate().isoformat(),
    }
    try:
        made = services.record_value(actor, agreement_id, parse(ValueIn, raw))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Recorded value {made.pk} on agreement {agreement_id}: {made.kind}.")


# -- risks and conflicts of interest ----------------------------------------------------------

risk_app = typer.Typer(help="A partnership's risk register.", no_args_is_help=True)
disclose_app = typer.Typer(
    help="Declared interests in a partnership (conflicts of interest).", no_args_is_help=True
)


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
def offering_create(
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


# -- goals and commitments ---------------------------------------------------------------------

goal_app = typer.Typer(help="An agreement's goals and their readings.", no_args_is_help=True)
commitment_app = typer.Typer(
    help="An agreement's commitments and their fulfilment.", no_args_is_help=True
)
partner_app.add_typer(goal_app, name="goal")
partner_app.add_typer(commitment_app, name="commitment")

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


@partner_app.command("fund-pool")
def agreement_fund_pool(
    agreement: AgreementArgument,
    pool: Annotated[str, typer.Argument(help="The pool's slug.")],
    *,
    as_member: AsOption,
    amount: Annotated[str, typer.Option(help="The money given, e.g. 500.00.")],
    on: DateOption = None,
    key: Annotated[str, typer.Option(help="Idempotency key: a retry lands once.")] = "",
) -> None:
    """Record the partner giving money straight into a pool under an agreement (treasurers)."""
    actor = acting(as_member)
    raw = _given(pool=pool, amount=amount, on=on, key=key)
    try:
        made = services.fund_pool_from_partnership(actor, agreement, parse(PoolFundingIn, raw))
    except DomainError as exc:
        fail(exc.detail)
    out.print(
        f"Recorded {format_amount(made.amount, made.currency)} from "
        f"{made.agreement.partner.name} into {made.pool.name} on {made.on}.",
        markup=False,
    )


@partner_app.command("review")
def agreement_review(
    agreement: AgreementArgument,
    as_member: AsOption,
    every: Annotated[int | None, typer.Option(help="Review every this many months.")] = None,
    held: Annotated[str | None, typer.Option(help="A review held on YYYY-MM-DD.")] = None,
) -> None:
    """Set an agreement's review cadence or record a review held (stewards)."""
    actor = acting(as_member)
    try:
        data = parse(AgreementReviewIn, _given(every_months=every, reviewed_on=held))
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


@partner_app.command("revenue")
def revenue(
    by: Annotated[str, typer.Option(help="Per year or per quarter.")] = "year",
) -> None:
    """The community's income from partners by partner and by type over time, and its
    dependence on the largest source (public)."""
    if by not in queries.PERIODS:
        fail(f"{by!r} is not a period ({', '.join(queries.PERIODS)}).")
    found = queries.revenue(by)
    if not found.total:
        out.print("No income from partners has been recorded yet.")
        return
    measured = found.concentration
    if found.warning:
        out.print(
            f"[bold]Dependence warning:[/bold] {escape(found.largest_name or '')} provides "
            f"{percent(measured.largest_share)} of partner income, more than the "
            f"{percent(found.threshold)} limit."
        )
    effective = measured.effective_sources
    out.print(
        f"Total {found.money(found.total)}; largest source {escape(found.largest_name or '')} "
        f"({percent(measured.largest_share)}); Herfindahl index {fraction(measured.index)}; "
        f"effective number of sources {fraction(effective)}."
    )
    table = Table(*found.columns)
    for row in found.rows:
        table.add_row(*(escape(cell) for cell in row))
    out.print(table)


# -- partner contacts --------------------------------------------------------------------------

contact_app = typer.Typer(
    help="People at a partner organisation to write to (its staff, not members).",
    no_args_is_help=True,
)
partner_app.add_typer(contact_app, name="contact")
ContactArgument = Annotated[int, typer.Argument(help="The contact's number (from `list`).")]


@contact_app.command("add")
def contact_add(
    slug: SlugArgument,
    *,
    as_member: AsOption,
    name: Annotated[str, typer.Option(help="Their name.")],
    role: Annotated[str, typer.Option(help="Their role or title.")],
    email: Annotated[str, typer.Option(help="Their e-mail address.")],
    phone: Annotated[str, typer.Option(help="Their phone number (optional).")] = "",
) -> None:
    """Add a contact at the partner (stewards)."""
    actor = acting(as_member)
    raw = {"name": name, "role": role, "email": email, "phone": phone}
    try:
        made = services.add_partner_contact(actor, slug, parse(PartnerContactIn, raw))
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Added contact {made.pk}: {made.name} ({made.role}).", markup=False)


@contact_app.command("edit")
def contact_edit(
    slug: SlugArgument,
    contact: ContactArgument,
    *,
    as_member: AsOption,
    name: Annotated[str | None, typer.Option(help="A new name.")] = None,
    role: Annotated[str | None, typer.Option(help="A new role or title.")] = None,
    email: Annotated[str | None, typer.Option(help="A new e-mail address.")] = None,
    phone: Annotated[str | None, typer.Option(help="A new phone number (empty clears).")] = None,
) -> None:
    """Change a contact at the partner (stewards)."""
    actor = acting(as_member)
    raw = _given(name=name, role=role, email=email, phone=phone)
    try:
        saved = services.edit_partner_contact(
            actor, slug, contact, parse(PartnerContactPatch, raw)
        )
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Saved contact {saved.pk}: {saved.name} ({saved.role}).", markup=False)


@contact_app.command("remove")
def contact_remove(slug: SlugArgument, contact: ContactArgument, as_member: AsOption) -> None:
    """Remove a contact at the partner (stewards)."""
    actor = acting(as_member)
    try:
        services.remove_partner_contact(actor, slug, contact)
    except DomainError as exc:
        fail(exc.detail)
    out.print(f"Removed contact {contact} of {slug}.", markup=False)


@contact_app.command("list")
def contact_list(slug: SlugArgument, as_member: AsOption) -> None:
    """A partner's contacts (office holders and the partner's own representatives)."""
    actor = acting(as_member)
    try:
        contacts = queries.contacts_of(actor, slug)
    except DomainError as exc:
        fail(exc.detail)
    table = Table("#", "name", "role", "email", "phone")
    for c in contacts:
        table.add_row(str(c.pk), escape(c.name), escape(c.role), escape(c.email), escape(c.phone))
    out.print(table if contacts else f"No contacts recorded for {slug}.", markup=False)
