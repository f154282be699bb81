"""The partnership page's sections, read once for every section, its forms, and the
partner portal."""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings

from accord.benefits.models import Pool
from accord.domain import partnerships as ps
from accord.domain import risks as rs
from accord.domain.documents import ACCEPTED
from accord.domain.errors import Forbidden
from accord.partners import permissions
from accord.partners.models import (
    Agreement,
    Commitment,
    CommitmentKind,
    Goal,
    Partner,
    Side,
    ValueKind,
)
from accord.partners.queries.agreements import (
    AgreementPage,
    agreement_page,
    evaluation_of,
)
from accord.partners.queries.body import Body, agreement_body
from accord.partners.queries.reciprocity import ReciprocityView, reciprocities, reciprocity_view
from accord.partners.queries.registers import Registers, agreement_registers
from accord.partners.queries.updates import UpdateView, updates_of
from accord.people.models import Member
from accord.people.permissions import holds_office


@dataclass(frozen=True)
class Sections:
    """The partnership page below its facts: the body, reciprocity, registers and updates,
    with the forms this reader may use (`update_side` None: no post form)."""

    body: "Body"
    reciprocity: ReciprocityView
    registers: "Registers"
    updates: list[UpdateView]
    update_side: str | None
    can_comment: bool
    can_record_value: bool
    value_kinds: list[tuple[str, str]]
    currency: str


def partnership(
    viewer: Member | None, agreement_id: int, *, entered_scores: Mapping[str, str] | None = None
) -> tuple[AgreementPage, Sections, "BodyForms"]:
    """The whole partnership page: the agreement read once, with its changes, and passed to
    every section, and the forms its reader may use; who the reader is asked once."""
    with permissions.remembered():
        page = agreement_page(viewer, agreement_id, entered_scores=entered_scores)
        sections = agreement_sections(viewer, page.agreement)
        return page, sections, body_forms(viewer, sections)


def agreement_sections(viewer: Member | None, agreement: Agreement) -> Sections:
    steward = permissions.can_manage_partners(viewer)
    return Sections(
        body=agreement_body(agreement, viewer),
        reciprocity=reciprocity_view(agreement),
        registers=agreement_registers(agreement, viewer),
        updates=updates_of(viewer, agreement),
        update_side=permissions.side_of(viewer, agreement.partner),
        can_comment=permissions.can_comment(viewer),
        can_record_value=steward,
        value_kinds=list(ValueKind.choices) if steward else [],
        currency=settings.ACCORD_CURRENCY,
    )


# -- the partner portal -----------------------------------------------------------------------

PORTAL_UPDATES = 3


@dataclass(frozen=True)
class PortalAgreement:
    """One of a partner's agreements as its representative sees it on their own page:
    aggregates only (the evaluation's per-criterion means, never who scored)."""

    agreement: Agreement
    level_label: str
    target_label: str
    body: "Body"
    evaluation: ps.EvaluationSummary
    updates: list[UpdateView]
    reciprocity: ReciprocityView


def portal_of(viewer: Member, partner: Partner) -> list[PortalAgreement]:
    """Every agreement of the partner `viewer` represents (and only of that partner)."""
    with permissions.remembered():
        return _portal(viewer, partner)


def _portal(viewer: Member, partner: Partner) -> list[PortalAgreement]:
    if not permissions.represents(viewer, partner):
        raise Forbidden("Only the partner's own representatives see its portal.")
    labels = ps.level_labels()
    found = list(
        Agreement.objects.filter(partner=partner)
        .select_related("partner")
        .prefetch_related("changes")
    )
    figures = reciprocities(found)
    return [
        PortalAgreement(
            agreement=a,
            level_label=labels[a.level],
            target_label=labels[a.target_level],
            body=agreement_body(a, viewer),
            evaluation=evaluation_of(a),
            updates=updates_of(viewer, a, limit=PORTAL_UPDATES),
            reciprocity=reciprocity_view(a, figures[a.pk]),
        )
        for a in found
    ]


# -- the partnership page's forms and its registers' exports -----------------------------------


@dataclass(frozen=True)
class BodyForms:
    """Which of the body's and the registers' forms `viewer` gets on a partnership page:
    only those whose service would let them act (the services still decide every post).
    The body stops changing once the agreement has ended; its registers do not."""

    ended: bool
    shape: bool  # goals, commitments, the review cadence, amendments, roles, documents
    reading_goals: list[Goal]
    fulfil_commitments: list[Commitment]
    money_fulfilments: bool  # some of them are financial: the form asks for an amount
    add_risk: bool
    editable_risks: frozenset[int]
    disclose: bool
    has_open_disclosure: bool
    closable_disclosures: frozenset[int]
    parties: list[tuple[str, str]]
    commitment_kinds: list[tuple[str, str]]
    risk_categories: list[str]
    risk_statuses: list[str]
    ratings: tuple[int, ...]
    currency: str
    accepted: str  # the file types a document may be, for the upload's `accept`
    fund_pools: list[Pool]  # open pools in the community's currency a treasurer may fund


def body_forms(viewer: Member | None, sections: Sections) -> BodyForms:
    """The forms of the page's body and registers this reader may use, read from the
    sections already loaded (a few permission checks, no more rows)."""
    agreement, partner = sections.body.agreement, sections.body.agreement.partner
    ended = agreement.status == ps.Status.ENDED
    shape = not ended and permissions.can_shape_agreement(viewer)
    may_fulfil = {
        financial: not ended
        and permissions.can_record_fulfilment(viewer, partner, financial=financial)
        for financial in (True, False)
    }
    fulfil = [
        c.commitment
        for c in sections.body.commitments
        if c.commitment.done_at is None
        and may_fulfil[c.commitment.kind == CommitmentKind.FINANCIAL]
    ]
    steward = permissions.can_manage_risks(viewer)
    risks = sections.registers.risks or []
    owner = viewer.pk if viewer is not None and holds_office(viewer) else None
    editable = {
        line.risk.pk
        for line in risks
        if steward or (owner is not None and line.risk.owner_id == owner)
    }
    disclosures = [line.disclosure for line in sections.registers.disclosures]
    mine_open = viewer is not None and any(
        d.is_open and d.discloser_id == viewer.pk for d in disclosures
    )
    return BodyForms(
        ended=ended,
        shape=shape,
        reading_goals=[g.goal for g in sections.body.goals]
        if not ended and permissions.can_record_reading(viewer, partner)
        else [],
        fulfil_commitments=fulfil,
        money_fulfilments=any(c.kind == CommitmentKind.FINANCIAL for c in fulfil),
        add_risk=steward,
        editable_risks=frozenset(editable),
        disclose=permissions.can_disclose(viewer) and not mine_open,
        has_open_disclosure=mine_open,
        closable_disclosures=frozenset(
            d.pk
            for d in disclosures
            if d.is_open and permissions.can_close_disclosure(viewer, d.discloser_id)
        ),
        parties=list(Side.choices),
        commitment_kinds=list(CommitmentKind.choices),
        risk_categories=[c.value for c in rs.Category],
        risk_statuses=[s.value for s in rs.RiskStatus],
        ratings=(1, 2, 3, 4, 5),
        currency=settings.ACCORD_CURRENCY,
        accepted=",".join(f".{ext}" for ext in ACCEPTED),
        fund_pools=list(
            Pool.objects.filter(closed_at__isnull=True, unit=settings.ACCORD_CURRENCY).only(
                "slug", "name"
            )
        )
        if not ended and permissions.can_fund_pool(viewer)
        else [],
    )
