"""Partner routes: the public list; stewards add and edit partners and appoint their
representatives; a representative sees only opted-in members of the community."""

from fractions import Fraction
from typing import Literal

from django.http import HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from ninja import File, Router
from ninja.files import UploadedFile

from accord.domain import partnerships as ps
from accord.domain.documents import DOCUMENT_MAX_BYTES
from accord.domain.money import format_amount
from accord.partners import permissions, queries, services
from accord.partners.models import (
    Agreement,
    AgreementVersion,
    Document,
    Offering,
    Partner,
    PartnerContact,
    Representative,
    Role,
)
from accord.partners.schemas import (
    AgreementBodyOut,
    AgreementIn,
    AgreementOut,
    AgreementReviewIn,
    AgreementReviewOut,
    AmendmentIn,
    ChangeOut,
    ClaimIn,
    ClaimOut,
    CommentIn,
    CommentOut,
    CommitmentIn,
    CommitmentOut,
    ContactOut,
    CriterionOut,
    DisclosureCloseIn,
    DisclosureIn,
    DisclosureOut,
    DocumentIn,
    DocumentOut,
    EvaluationOut,
    FulfilmentIn,
    FulfilmentOut,
    GoalIn,
    GoalOut,
    MaturityIn,
    OfferingDetailOut,
    OfferingIn,
    OfferingOut,
    PartnerContactIn,
    PartnerContactOut,
    PartnerContactPatch,
    PartnerIn,
    PartnerMembersOut,
    PartnerOut,
    PartnerPatch,
    PoolFundingIn,
    PoolFundingOut,
    ReadingIn,
    ReadingOut,
    ReciprocityOut,
    RepresentativeIn,
    RepresentativeOut,
    RevenueLineOut,
    RevenueOut,
    ReviewIn,
    ReviewOut,
    RiskIn,
    RiskOut,
    RiskPatch,
    RoleIn,
    RoleOut,
    ScoreIn,
    StatusIn,
    SuggestionOut,
    UpdateIn,
    UpdateOut,
    UptakeNameOut,
    UptakeOut,
    ValueIn,
    ValueLineOut,
    VersionOut,
)
from accord.people.auth import TREASURY_AUTH, actor
from accord.people.models import Member
from accord.people.permissions import holds_office
from accord.people.schemas import MemberOut
from accord.web.errors import Error
from accord.web.inputs import Id, Key

router = Router(tags=["partners"])
agreements_router = Router(tags=["partnerships"])
updates_router = Router(tags=["partnerships"])
AGREEMENT_ERRORS = {403: Error, 404: Error, 409: Error, 422: Error}


def _rep(rep: Representative) -> RepresentativeOut:
    return RepresentativeOut(
        partner=rep.partner.slug,
        member=rep.member.pseudonym,
        display_name=rep.member.display_name,
        since=rep.since,
    )


@router.get("/", response=list[PartnerOut], url_name="api-partners", operation_id="list_partners")
def list_partners(request: HttpRequest) -> list[Partner]:
    return queries.partner_list(actor(request)).partners


@router.post(
    "/",
    response={201: PartnerOut, 403: Error, 409: Error, 422: Error},
    url_name="api-partner-create",
    operation_id="create_partner",
)
def create_partner(request: HttpRequest, payload: PartnerIn) -> tuple[int, Partner]:
    return 201, services.create_partner(actor(request), payload)


@router.patch(
    "/{slug}",
    response={200: PartnerOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-partner-update",
    operation_id="update_partner",
)
def update_partner(request: HttpRequest, slug: Key, payload: PartnerPatch) -> Partner:
    return services.edit_partner(actor(request), slug, payload)


@router.post(
    "/{slug}/representatives",
    response={201: RepresentativeOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-partner-representatives",
    operation_id="appoint_representative",
)
def appoint(
    request: HttpRequest, slug: Key, payload: RepresentativeIn
) -> tuple[int, RepresentativeOut]:
    return 201, _rep(services.appoint_representative(actor(request), slug, payload))


@router.delete(
    "/{slug}/representatives/{pseudonym}",
    response={204: None, 403: Error, 404: Error},
    url_name="api-partner-representative",
    operation_id="remove_representative",
)
def remove(request: HttpRequest, slug: Key, pseudonym: Key) -> tuple[int, None]:
    services.remove_representative(actor(request), slug, pseudonym)
    return 204, None


@router.get(
    "/{slug}/members",
    response={200: PartnerMembersOut, 403: Error, 404: Error},
    url_name="api-partner-members",
    operation_id="get_partner_members",
)
def partner_members(request: HttpRequest, slug: Key) -> PartnerMembersOut:
    view = queries.visible_partner_view(actor(request), slug)
    return PartnerMembersOut(
        partner=PartnerOut.from_orm(view.partner),
        member_count=view.member_count if isinstance(view.member_count, int) else None,
        shared_profiles=[MemberOut.from_orm(m) for m in view.shared_profiles],
        contactable=[
            ContactOut(pseudonym=m.pseudonym, display_name=m.display_name, email=m.user.email)
            for m in view.contactable
            if m.user is not None
        ],
    )


def _fraction(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def _evaluation(agreement: Agreement, viewer: Member | None) -> EvaluationOut:
    """The evaluation summary, with how many evaluators scored while disclosed (the
    handles only for office holders: the partner's representatives see the count, never who
    scored)."""
    summary = queries.evaluation_of(agreement)
    flagged = queries.flagged_evaluators(agreement)
    return EvaluationOut(
        flagged=len(flagged),
        flagged_evaluators=flagged if holds_office(viewer) else None,
        evaluators=summary.evaluators,
        partial=summary.partial,
        mean=_fraction(summary.mean),
        criteria=[
            CriterionOut(
                criterion=c.criterion.key,
                name=c.criterion.name,
                question=c.criterion.question,
                count=c.count,
                mean=_fraction(c.mean),
                spread=c.spread,
            )
            for c in summary.criteria
        ],
        activation_problems=ps.activation_problems(summary, queries.activation_rule()),
    )


def agreement_out(request: HttpRequest, agreement: Agreement) -> AgreementOut:
    """An agreement's public facts, with its evaluation for those who may see it."""
    viewer = actor(request)
    sees = permissions.can_see_evaluation(viewer, agreement.partner)
    return AgreementOut(
        id=agreement.pk,
        partner=agreement.partner.slug,
        title=agreement.title,
        purpose=agreement.purpose,
        reasons=agreement.reasons,
        member_needs=agreement.member_needs,
        status=agreement.status,
        level=agreement.level,
        level_label=ps.level_labels()[agreement.level],
        target_level=agreement.target_level,
        changes=[
            ChangeOut(field=c.field, before=c.before, after=c.after, reason=c.reason, at=c.at)
            for c in agreement.changes.all()
        ],
        evaluation=_evaluation(agreement, viewer) if sees else None,
    )


@agreements_router.get(
    "",
    response=list[AgreementOut],
    url_name="api-agreements",
    operation_id="list_agreements",
)
def list_agreements(request: HttpRequest) -> list[AgreementOut]:
    """Every partnership agreement: its purpose, status, maturity and evaluation summary."""
    return [agreement_out(request, a) for a in queries.agreements()[:500]]


@agreements_router.post(
    "",
    response={201: AgreementOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-create",
    operation_id="create_agreement",
)
def create_agreement(request: HttpRequest, payload: AgreementIn) -> tuple[int, AgreementOut]:
    made = services.create_agreement(actor(request), payload)
    return 201, agreement_out(request, queries.agreement(made.pk))


@agreements_router.get(
    "/{agreement_id}",
    response={200: AgreementOut, 404: Error},
    url_name="api-agreement",
    operation_id="get_agreement",
)
def get_agreement(request: HttpRequest, agreement_id: Id) -> AgreementOut:
    return agreement_out(request, queries.agreement(agreement_id))


@agreements_router.post(
    "/{agreement_id}/status",
    response={200: AgreementOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-status",
    operation_id="change_agreement_status",
)
def change_status(request: HttpRequest, agreement_id: Id, payload: StatusIn) -> AgreementOut:
    services.change_agreement_status(actor(request), agreement_id, payload)
    return agreement_out(request, queries.agreement(agreement_id))


@agreements_router.post(
    "/{agreement_id}/maturity",
    response={200: AgreementOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-maturity",
    operation_id="set_agreement_maturity",
)
def set_maturity(request: HttpRequest, agreement_id: Id, payload: MaturityIn) -> AgreementOut:
    services.set_agreement_maturity(actor(request), agreement_id, payload)
    return agreement_out(request, queries.agreement(agreement_id))


@agreements_router.put(
    "/{agreement_id}/scores",
    response={200: AgreementOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-score",
    operation_id="score_agreement",
)
def score(request: HttpRequest, agreement_id: Id, payload: ScoreIn) -> AgreementOut:
    """Score the agreement on one criterion (an evaluator's own score replaces theirs)."""
    services.score_agreement(actor(request), agreement_id, payload)
    return agreement_out(request, queries.agreement(agreement_id))


# -- updates channel --------------------------------------------------------------------------


def update_out(view: queries.UpdateView) -> UpdateOut:
    u = view.update
    return UpdateOut(
        id=u.pk,
        agreement=u.agreement_id,
        side=u.side,
        author=view.author,
        body=u.body,
        posted_at=u.posted_at,
        comments=None if view.comments is None else [comment_out(c) for c in view.comments],
        earlier_comments=view.earlier,
    )


def comment_out(comment: queries.Comment) -> CommentOut:
    return CommentOut(
        id=comment.id, author=comment.author, body=comment.body, at=comment.at, mine=comment.mine
    )


# -- risks and conflicts of interest ----------------------------------------------------------


def _risk_out(line: queries.RiskLine) -> RiskOut:
    r = line.risk
    return RiskOut(
        id=r.pk,
        agreement=r.agreement_id,
        category=r.category,
        title=r.title,
        likelihood=r.likelihood,
        impact=r.impact,
        severity=line.severity,
        band=line.band,
        mitigation=r.mitigation,
        owner=line.owner,
        owner_label=r.owner_label,
        status=r.status,
        raised_at=r.raised_at,
        updated_at=r.updated_at,
    )


def _risk_line(risk_id: int, lines: list[queries.RiskLine]) -> RiskOut:
    return next(_risk_out(line) for line in lines if line.risk.pk == risk_id)


def _disclosure_out(line: queries.DisclosureLine) -> DisclosureOut:
    d = line.disclosure
    return DisclosureOut(
        id=d.pk,
        agreement=d.agreement_id,
        discloser=line.discloser,
        role=line.role,
        interest=line.interest,
        declared_at=d.declared_at,
        open=d.is_open,
        closed_at=d.closed_at,
        closed_reason=d.closed_reason,
    )


@agreements_router.get(
    "/{agreement_id}/updates",
    response={200: list[UpdateOut], 404: Error},
    url_name="api-agreement-updates",
    operation_id="list_agreement_updates",
)
def list_updates(request: HttpRequest, agreement_id: Id) -> list[UpdateOut]:
    """The partnership's updates, newest first; comments for signed-in readers only."""
    found = queries.agreement(agreement_id)
    return [update_out(v) for v in queries.updates_of(actor(request), found)]


@agreements_router.post(
    "/{agreement_id}/updates",
    response={201: UpdateOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-update-post",
    operation_id="post_agreement_update",
)
def post_update(
    request: HttpRequest, agreement_id: Id, payload: UpdateIn
) -> tuple[int, UpdateOut]:
    """A steward (for the community) or the partner's representative posts an update."""
    made = services.post_update(actor(request), agreement_id, payload)
    return 201, update_out(queries.update_view(actor(request), made.pk))


@updates_router.post(
    "/{update_id}/comments",
    response={201: CommentOut, 401: Error, 403: Error, 404: Error, 422: Error},
    url_name="api-update-comment",
    operation_id="comment_on_update",
)
def comment(request: HttpRequest, update_id: Id, payload: CommentIn) -> tuple[int, CommentOut]:
    """A signed-in member comments on an update."""
    viewer = actor(request)
    made = services.comment_on_update(viewer, update_id, payload)
    view = queries.update_view(viewer, update_id)
    return 201, comment_out(next(c for c in view.comments or [] if c.id == made.pk))


@updates_router.delete(
    "/{update_id}/comments/{comment_id}",
    response={204: None, 401: Error, 403: Error, 404: Error},
    url_name="api-update-comment-withdraw",
    operation_id="withdraw_update_comment",
)
def withdraw(request: HttpRequest, update_id: Id, comment_id: Id) -> tuple[int, None]:
    """The author withdraws their comment (or a steward removes it)."""
    services.withdraw_comment(actor(request), update_id, comment_id)
    return 204, None


# -- reciprocity ------------------------------------------------------------------------------


def reciprocity_out(agreement: Agreement) -> ReciprocityOut:
    figures = queries.reciprocity_of(agreement)
    return ReciprocityOut(
        delivered=figures.delivered,
        received=figures.received,
        ratio=None if figures.ratio is None else str(figures.ratio),
        extractive=figures.extractive,
        withheld=figures.withheld,
        lines=[
            ValueLineOut(side=v.side, kind=v.kind, amount=v.amount, on=v.on, basis=v.basis)
            for v in figures.lines
        ],
    )


@agreements_router.get(
    "/{agreement_id}/reciprocity",
    response={200: ReciprocityOut, 404: Error},
    url_name="api-agreement-reciprocity",
    operation_id="get_agreement_reciprocity",
)
def get_reciprocity(request: HttpRequest, agreement_id: Id) -> ReciprocityOut:
    """What members got back against what the partner gained, every input listed."""
    return reciprocity_out(queries.agreement(agreement_id))


@agreements_router.post(
    "/{agreement_id}/values",
    response={201: ReciprocityOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-value",
    operation_id="record_agreement_value",
)
def record_value(
    request: HttpRequest, agreement_id: Id, payload: ValueIn
) -> tuple[int, ReciprocityOut]:
    """A steward records a value delivered to members or received by the partner."""
    services.record_value(actor(request), agreement_id, payload)
    return 201, reciprocity_out(queries.agreement(agreement_id))


@agreements_router.get(
    "/{agreement_id}/risks",
    response={200: list[RiskOut], 403: Error, 404: Error},
    url_name="api-agreement-risks",
    operation_id="list_risks",
)
def list_risks(request: HttpRequest, agreement_id: Id) -> list[RiskOut]:
    """The partnership's risk register, most severe open risks first: for office holders
    and the partner's own representatives."""
    return [_risk_out(line) for line in queries.visible_risks(actor(request), agreement_id)]


@agreements_router.post(
    "/{agreement_id}/risks",
    response={201: RiskOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-risk-create",
    operation_id="add_risk",
)
def add_risk(request: HttpRequest, agreement_id: Id, payload: RiskIn) -> tuple[int, RiskOut]:
    risk = services.add_risk(actor(request), agreement_id, payload)
    return 201, _risk_line(risk.pk, queries.visible_risks(actor(request), agreement_id))


@agreements_router.patch(
    "/{agreement_id}/risks/{risk_id}",
    response={200: RiskOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-risk-update",
    operation_id="update_risk",
)
def update_risk(
    request: HttpRequest, agreement_id: Id, risk_id: Id, payload: RiskPatch
) -> RiskOut:
    risk = services.update_risk(actor(request), agreement_id, risk_id, payload)
    return _risk_line(risk.pk, queries.visible_risks(actor(request), agreement_id))


@agreements_router.get(
    "/{agreement_id}/disclosures",
    response={200: list[DisclosureOut], 404: Error},
    url_name="api-agreement-disclosures",
    operation_id="list_disclosures",
)
def list_disclosures(request: HttpRequest, agreement_id: Id) -> list[DisclosureOut]:
    """The partnership's conflict-of-interest register: public, each disclosure with its
    discloser's handle and office."""
    return [_disclosure_out(line) for line in queries.disclosures_of(agreement_id)]


@agreements_router.post(
    "/{agreement_id}/disclosures",
    response={201: DisclosureOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-disclosure-create",
    operation_id="disclose_interest",
)
def disclose(
    request: HttpRequest, agreement_id: Id, payload: DisclosureIn
) -> tuple[int, DisclosureOut]:
    made = services.disclose_interest(actor(request), agreement_id, payload)
    return 201, _disclosure_out(queries.disclosure_line(made))


@agreements_router.post(
    "/{agreement_id}/disclosures/{disclosure_id}/close",
    response={200: DisclosureOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-disclosure-close",
    operation_id="close_disclosure",
)
def close_disclosure(
    request: HttpRequest, agreement_id: Id, disclosure_id: Id, payload: DisclosureCloseIn
) -> DisclosureOut:
    closed = services.close_disclosure(actor(request), agreement_id, disclosure_id, payload)
    return _disclosure_out(queries.disclosure_line(closed))


# -- offerings ---------------------------------------------------------------------------

offerings_router = Router(tags=["offerings"])
OFFERING_ERRORS = {403: Error, 404: Error, 409: Error, 422: Error}


def _offering_out(offering: Offering) -> OfferingOut:
    return OfferingOut(
        id=offering.pk,
        partner=offering.partner.slug,
        partner_name=offering.partner.name,
        agreement=offering.agreement_id,
        kind=offering.kind,
        title=offering.title,
        description=offering.description,
        eligibility=offering.eligibility,
        value=offering.stated_value,
        currency=offering.currency,
        is_open=offering.is_open,
        created_at=offering.created_at,
    )


def _offering_detail(request: HttpRequest, offering_id: int) -> OfferingDetailOut:
    page = queries.offering_page(actor(request), offering_id)
    return OfferingDetailOut(
        **_offering_out(page.offering).dict(),
        reviews=[ReviewOut(**vars(r)) for r in page.reviews],
        my_claim=page.my_claim.kind if page.my_claim else None,
        my_review=page.my_review.rating if page.my_review else None,
    )


@offerings_router.get(
    "", response=list[OfferingOut], url_name="api-offerings", operation_id="list_offerings"
)
def list_offerings(request: HttpRequest) -> list[OfferingOut]:
    """What partners offer members: public."""
    return [_offering_out(o) for o in queries.offering_list(actor(request)).offerings]


@offerings_router.post(
    "",
    response={201: OfferingDetailOut, **OFFERING_ERRORS},
    url_name="api-offering-create",
    operation_id="create_offering",
)
def create_offering(request: HttpRequest, payload: OfferingIn) -> tuple[int, OfferingDetailOut]:
    made = services.create_offering(actor(request), payload)
    return 201, _offering_detail(request, made.pk)


@offerings_router.get(
    "/{offering_id}",
    response={200: OfferingDetailOut, 404: Error},
    url_name="api-offering",
    operation_id="get_offering",
)
def get_offering(request: HttpRequest, offering_id: Id) -> OfferingDetailOut:
    """An offering with its reviews; a reviewer is named only to readers who may see them."""
    return _offering_detail(request, offering_id)


@offerings_router.post(
    "/{offering_id}/close",
    response={200: OfferingDetailOut, **OFFERING_ERRORS},
    url_name="api-offering-close",
    operation_id="close_offering",
)
def close_offering(request: HttpRequest, offering_id: Id) -> OfferingDetailOut:
    services.close_offering(actor(request), offering_id)
    return _offering_detail(request, offering_id)


@offerings_router.put(
    "/{offering_id}/claim",
    response={200: ClaimOut, **OFFERING_ERRORS},
    url_name="api-offering-claim",
    operation_id="claim_offering",
)
def claim(request: HttpRequest, offering_id: Id, payload: ClaimIn) -> ClaimOut:
    """Claim the offering, or say you are interested (kind: claim or interest)."""
    made = services.claim_offering(actor(request), offering_id, payload)
    return ClaimOut(offering=offering_id, kind=made.kind, at=made.at)


@offerings_router.delete(
    "/{offering_id}/claim",
    response={204: None, 404: Error},
    url_name="api-offering-claim-withdraw",
    operation_id="withdraw_claim",
)
def withdraw_claim(request: HttpRequest, offering_id: Id) -> tuple[int, None]:
    services.withdraw_claim(actor(request), offering_id)
    return 204, None


@offerings_router.put(
    "/{offering_id}/review",
    response={200: OfferingDetailOut, **OFFERING_ERRORS},
    url_name="api-offering-review",
    operation_id="review_offering",
)
def review(request: HttpRequest, offering_id: Id, payload: ReviewIn) -> OfferingDetailOut:
    """Rate an offering you claimed 1-5, with a few words (again: replaces your review)."""
    services.review_offering(actor(request), offering_id, payload)
    return _offering_detail(request, offering_id)


@offerings_router.delete(
    "/{offering_id}/review",
    response={204: None, 404: Error},
    url_name="api-offering-review-withdraw",
    operation_id="withdraw_review",
)
def withdraw_review(request: HttpRequest, offering_id: Id) -> tuple[int, None]:
    services.withdraw_review(actor(request), offering_id)
    return 204, None


@router.get(
    "/{slug}/uptake",
    response={200: list[UptakeOut], 404: Error},
    url_name="api-partner-uptake",
    operation_id="get_partner_uptake",
)
def partner_uptake(request: HttpRequest, slug: Key) -> list[UptakeOut]:
    """The uptake of a partner's offerings: for its own representatives and the stewards."""
    page = queries.uptake_page(actor(request), slug)
    return [
        UptakeOut(
            offering=u.offering.pk,
            title=u.offering.title,
            is_open=u.offering.is_open,
            counts={
                k: v if isinstance(v, int) else None
                for k, v in u.counts.cells.items()
                if k in queries.UPTAKE_LABELS
            },
            total=u.counts.total if isinstance(u.counts.total, int) else None,
            named=[UptakeNameOut(**vars(n)) for n in u.named],
        )
        for u in page.offerings
    ]


# -- goals and commitments ---------------------------------------------------------------------


def _goal_out(view: queries.GoalView) -> GoalOut:
    goal = view.goal
    return GoalOut(
        id=goal.pk,
        name=goal.name,
        metric=goal.metric,
        unit=goal.unit,
        baseline=view.baseline,
        target=view.target,
        starts_on=goal.starts_on,
        due_on=goal.due_on,
        latest=view.latest,
        percent=view.progress.percent,
        state=view.progress.state.value,
        readings=[ReadingOut(value=value, on=on) for on, value in view.values],
    )


def _commitment_out(view: queries.CommitmentView) -> CommitmentOut:
    c = view.commitment
    return CommitmentOut(
        id=c.pk,
        party=c.party,
        kind=c.kind,
        description=c.description,
        amount=view.amount,
        received=view.received,
        outstanding=view.outstanding,
        due_on=c.due_on,
        complete=view.fulfilment.complete,
        fulfilments=[
            FulfilmentOut(
                amount=None if f.amount is None else format_amount(f.amount, c.currency),
                on=f.on,
                note=f.note if view.notes_shown else "",
                completes=f.completes,
            )
            for f in view.fulfilments
        ],
    )


def _review_out(review: queries.ReviewDates) -> AgreementReviewOut:
    return AgreementReviewOut(
        every_months=review.every_months,
        last_reviewed_on=review.last_reviewed_on,
        next_review_on=review.next_on,
        due=review.due,
    )


def _version_out(v: AgreementVersion) -> VersionOut:
    return VersionOut(
        number=v.number,
        purpose=v.purpose,
        member_needs=v.member_needs,
        summary=v.summary,
        at=v.at,
        by=None if v.by is None else v.by.pseudonym,
    )


@agreements_router.get(
    "/{agreement_id}/body",
    response={200: AgreementBodyOut, 404: Error},
    url_name="api-agreement-body",
    operation_id="get_agreement_body",
)
def get_body(request: HttpRequest, agreement_id: Id) -> AgreementBodyOut:
    """The agreement's goals with progress, its commitments with fulfilment, its review
    dates and the versions of its text."""
    body = queries.agreement_body(queries.agreement(agreement_id), actor(request))
    return AgreementBodyOut(
        agreement=agreement_id,
        goals=[_goal_out(g) for g in body.goals],
        suggested_goals=[SuggestionOut(**vars(s)) for s in body.suggested_goals],
        commitments=[_commitment_out(c) for c in body.commitments],
        review=_review_out(body.review),
        versions=[_version_out(v) for v in body.versions],
        roles=[RoleOut.from_orm(r) for r in body.roles],
        documents=[DocumentOut.from_orm(d) for d in body.documents],
    )


@agreements_router.post(
    "/{agreement_id}/goals",
    response={201: GoalOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-goals",
    operation_id="add_goal",
)
def add_goal(request: HttpRequest, agreement_id: Id, payload: GoalIn) -> tuple[int, GoalOut]:
    goal = services.add_goal(actor(request), agreement_id, payload)
    return 201, _goal_out(queries.goal_view(goal))


@agreements_router.post(
    "/goals/{goal_id}/readings",
    response={201: GoalOut, **AGREEMENT_ERRORS},
    url_name="api-goal-readings",
    operation_id="record_reading",
)
def record_reading(request: HttpRequest, goal_id: Id, payload: ReadingIn) -> tuple[int, GoalOut]:
    reading = services.record_reading(actor(request), goal_id, payload)
    return 201, _goal_out(queries.goal_view(reading.goal))


@agreements_router.post(
    "/{agreement_id}/commitments",
    response={201: CommitmentOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-commitments",
    operation_id="add_commitment",
)
def add_commitment(
    request: HttpRequest, agreement_id: Id, payload: CommitmentIn
) -> tuple[int, CommitmentOut]:
    made = services.add_commitment(actor(request), agreement_id, payload)
    return 201, _commitment_out(queries.commitment_view(made, actor(request)))


@agreements_router.post(
    "/commitments/{commitment_id}/fulfilments",
    response={201: CommitmentOut, **AGREEMENT_ERRORS},
    url_name="api-commitment-fulfilments",
    operation_id="record_fulfilment",
)
def record_fulfilment(
    request: HttpRequest, commitment_id: Id, payload: FulfilmentIn
) -> tuple[int, CommitmentOut]:
    """Record a delivery; money a partner paid is posted into the community fund."""
    done = services.record_fulfilment(actor(request), commitment_id, payload)
    return 201, _commitment_out(queries.commitment_view(done.commitment, actor(request)))


@agreements_router.post(
    "/{agreement_id}/pool-fundings",
    response={201: PoolFundingOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-pool-fundings",
    operation_id="fund_pool_from_partnership",
    auth=TREASURY_AUTH,
)
def fund_pool_from_partnership(
    request: HttpRequest, agreement_id: Id, payload: PoolFundingIn
) -> tuple[int, PoolFundingOut]:
    """Record the partner giving money straight into an open pool (treasurers); a retry with
    the same key answers with the first funding."""
    made = services.fund_pool_from_partnership(actor(request), agreement_id, payload)
    return 201, PoolFundingOut(
        id=made.pk,
        agreement=made.agreement_id,
        partner=made.agreement.partner.slug,
        pool=made.pool.slug,
        amount=format_amount(made.amount, made.currency),
        minor_units=made.amount,
        on=made.on,
    )


@agreements_router.post(
    "/{agreement_id}/review",
    response={200: AgreementReviewOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-review",
    operation_id="schedule_review",
)
def schedule_review(
    request: HttpRequest, agreement_id: Id, payload: AgreementReviewIn
) -> AgreementReviewOut:
    """Set the review cadence or record a review held; answers with the next review date."""
    agreement = services.schedule_review(actor(request), agreement_id, payload)
    return _review_out(queries.review_of(agreement))


@agreements_router.post(
    "/{agreement_id}/amendments",
    response={201: VersionOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-amendments",
    operation_id="amend_agreement",
)
def amend(request: HttpRequest, agreement_id: Id, payload: AmendmentIn) -> tuple[int, VersionOut]:
    return 201, _version_out(services.amend_agreement(actor(request), agreement_id, payload))


@agreements_router.put(
    "/{agreement_id}/roles",
    response={200: RoleOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-roles",
    operation_id="set_agreement_role",
)
def set_role(request: HttpRequest, agreement_id: Id, payload: RoleIn) -> Role:
    """Who leads and who decides in one area, for one party (replaces that area's)."""
    return services.set_role(actor(request), agreement_id, payload)


@agreements_router.post(
    "/{agreement_id}/documents",
    response={201: DocumentOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-documents",
    operation_id="attach_document",
)
def attach(
    request: HttpRequest, agreement_id: Id, file: File[UploadedFile]
) -> tuple[int, Document]:
    """Attach a file (multipart; at most 5 MB; pdf, png, jpg, odt, docx, txt, md or csv)."""
    content = file.read(DOCUMENT_MAX_BYTES + 1)
    data = DocumentIn(name=file.name or "", content=content)
    return 201, services.attach_document(actor(request), agreement_id, data)


@agreements_router.get(
    "/documents/{document_id}",
    response={200: None, 401: Error, 403: Error, 404: Error},
    url_name="api-agreement-document",
    operation_id="get_document",
)
def document(request: HttpRequest, document_id: Id) -> HttpResponse:
    """The attached file itself (office holders and the partner's representatives)."""
    found = queries.document_for(actor(request), document_id)
    response = HttpResponse(bytes(found.content), content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(True, found.name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- revenue diversification ----------------------------------------------------------------

revenue_router = Router(tags=["partnerships"])


def _revenue_line(line: queries.RevenueLine) -> RevenueLineOut:
    return RevenueLineOut(
        key=line.key,
        name=line.name,
        partner_type=line.kind_label,
        amounts=list(line.amounts),
        total=line.total,
        share=str(line.share),
    )


@revenue_router.get(
    "",
    response={200: RevenueOut, 422: Error},
    url_name="api-revenue",
    operation_id="get_revenue",
)
def get_revenue(request: HttpRequest, by: Literal["year", "quarter"] = "year") -> RevenueOut:
    """The community's income from partners by partner and by type per year (or quarter),
    and its dependence on the largest source: its share, the Herfindahl index and the
    effective number of sources. About organisations, never a member."""
    found = queries.revenue(by)
    measured = found.concentration
    return RevenueOut(
        currency=found.currency,
        by=found.by,
        periods=list(found.periods),
        partners=[_revenue_line(line) for line in found.partners],
        partner_types=[_revenue_line(line) for line in found.kinds],
        totals=list(found.totals),
        total=found.total,
        largest=measured.largest,
        largest_share=str(measured.largest_share),
        index=str(measured.index),
        effective_sources=None
        if measured.effective_sources is None
        else str(measured.effective_sources),
        threshold=str(found.threshold),
        warning=found.warning,
    )


# -- partner contacts --------------------------------------------------------------------------


def _contact_out(contact: PartnerContact) -> PartnerContactOut:
    return PartnerContactOut(
        id=contact.pk,
        partner=contact.partner.slug,
        name=contact.name,
        role=contact.role,
        email=contact.email,
        phone=contact.phone,
    )


@router.get(
    "/{slug}/contacts",
    response={200: list[PartnerContactOut], 403: Error, 404: Error},
    url_name="api-partner-contacts",
    operation_id="list_partner_contacts",
)
def list_contacts(request: HttpRequest, slug: Key) -> list[PartnerContactOut]:
    """The partner's contacts: office holders and the partner's own representatives."""
    return [_contact_out(c) for c in queries.contacts_of(actor(request), slug)]


@router.post(
    "/{slug}/contacts",
    response={201: PartnerContactOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-partner-contact-create",
    operation_id="add_partner_contact",
)
def add_contact(
    request: HttpRequest, slug: Key, payload: PartnerContactIn
) -> tuple[int, PartnerContactOut]:
    """A steward adds a person at the partner organisation to write to."""
    return 201, _contact_out(services.add_partner_contact(actor(request), slug, payload))


@router.patch(
    "/{slug}/contacts/{contact_id}",
    response={200: PartnerContactOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-partner-contact",
    operation_id="update_partner_contact",
)
def update_contact(
    request: HttpRequest, slug: Key, contact_id: Id, payload: PartnerContactPatch
) -> PartnerContactOut:
    """A steward changes a contact (only the fields given)."""
    return _contact_out(services.edit_partner_contact(actor(request), slug, contact_id, payload))


@router.delete(
    "/{slug}/contacts/{contact_id}",
    response={204: None, 403: Error, 404: Error},
    url_name="api-partner-contact-remove",
    operation_id="remove_partner_contact",
)
def remove_contact(request: HttpRequest, slug: Key, contact_id: Id) -> tuple[int, None]:
    """A steward removes a contact."""
    services.remove_partner_contact(actor(request), slug, contact_id)
    return 204, None
