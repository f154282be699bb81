"""Partner routes: the public list; stewards add and edit partners and appoint their
representatives; a representative sees only opted-in members of the community."""

from fractions import Fraction

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
    Partner,
    Representative,
    Role,
)
from accord.partners.schemas import (
    AgreementBodyOut,
    AgreementIn,
    AgreementOut,
    AmendmentIn,
    ChangeOut,
    CommitmentIn,
    CommitmentOut,
    ContactOut,
    CriterionOut,
    DocumentIn,
    DocumentOut,
    EvaluationOut,
    FulfilmentIn,
    FulfilmentOut,
    GoalIn,
    GoalOut,
    MaturityIn,
    PartnerIn,
    PartnerMembersOut,
    PartnerOut,
    PartnerPatch,
    ReadingIn,
    ReadingOut,
    RepresentativeIn,
    RepresentativeOut,
    ReviewIn,
    ReviewOut,
    RoleIn,
    RoleOut,
    ScoreIn,
    StatusIn,
    SuggestionOut,
    VersionOut,
)
from accord.people.auth import actor
from accord.people.schemas import MemberOut
from accord.web.errors import Error
from accord.web.inputs import Id, Key

router = Router(tags=["partners"])
agreements_router = Router(tags=["partnerships"])
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


def _evaluation(agreement: Agreement) -> EvaluationOut:
    summary = queries.evaluation_of(agreement)
    return EvaluationOut(
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
    sees = permissions.can_see_evaluation(actor(request), agreement.partner)
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
        evaluation=_evaluation(agreement) if sees else None,
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


def _review_out(review: queries.Review) -> ReviewOut:
    return ReviewOut(
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
    "/{agreement_id}/review",
    response={200: ReviewOut, **AGREEMENT_ERRORS},
    url_name="api-agreement-review",
    operation_id="schedule_review",
)
def schedule_review(request: HttpRequest, agreement_id: Id, payload: ReviewIn) -> ReviewOut:
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
