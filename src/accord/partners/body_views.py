"""The forms of a partnership page's body and registers: goals and their readings,
commitments and their deliveries, a partner's funding of a pool, the review cadence,
amendments, roles and decision rights, documents, risks and declared interests.

Each view parses its form, calls one service and goes back to the section the form was in;
a refusal re-shows the page with the service's reason beside the form and its status (a
name that matches nothing on the form is bad input, 422), and nothing changes. A risk or a
declaration addressed in the URL that is not on the partnership is not found (404).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from accord.domain.documents import DOCUMENT_MAX_BYTES
from accord.domain.errors import DomainError, InvalidInput, NotFound
from accord.partners import services
from accord.partners.partnership_page import acting_member, back_to, refused
from accord.partners.schemas import (
    AgreementReviewIn,
    AmendmentIn,
    CommitmentIn,
    DisclosureCloseIn,
    DisclosureIn,
    DocumentIn,
    FulfilmentIn,
    GoalIn,
    PoolFundingIn,
    ReadingIn,
    RiskIn,
    RiskPatch,
    RoleIn,
)
from accord.people.schemas import parse

GOALS, COMMITMENTS, REVIEWS = "agreement-goals", "agreement-commitments", "agreement-reviews"
POOL_FUNDING = "agreement-pool-funding"
VERSIONS, ROLES, DOCUMENTS = "agreement-versions", "agreement-roles", "agreement-documents"


def _posted(request: HttpRequest, fields: tuple[str, ...]) -> dict[str, str]:
    return {f: request.POST.get(f, "").strip() for f in fields}


def _given(posted: dict[str, str], *optional: str) -> dict[str, Any]:
    """The posted fields, less the optional ones left blank (their defaults apply)."""
    return {k: v for k, v in posted.items() if v or k not in optional}


def _chosen(text: str, what: str) -> int:
    """The id of the row chosen in a form's list."""
    if not text.isdecimal() or len(text) > 18:
        raise InvalidInput(f"Choose the {what}.")
    return int(text)


# -- goals and readings ------------------------------------------------------------------------

GOAL_FIELDS = ("name", "metric", "unit", "baseline", "target", "starts_on", "due_on")


@login_required
@require_POST
def add_goal(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward sets a goal: a metric from a baseline to a target by a due date."""
    posted = _posted(request, GOAL_FIELDS)
    try:
        data = parse(GoalIn, _given(posted, "baseline", "starts_on"))
        goal = services.add_goal(acting_member(request), agreement_id, data)
    except DomainError as exc:
        return refused(request, agreement_id, "goal", exc, goal_values=posted)
    messages.success(request, f"The goal “{goal.name}” is set.")
    return back_to(agreement_id, GOALS)


@login_required
@require_POST
def record_reading(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward or the partner's representative records a goal's value on a date."""
    posted = _posted(request, ("goal", "value", "on"))
    try:
        goal_id = _chosen(posted["goal"], "goal")
        data = parse(ReadingIn, _given({k: posted[k] for k in ("value", "on")}, "on"))
        services.record_reading(acting_member(request), goal_id, data, agreement_id=agreement_id)
    except DomainError as exc:
        return refused(request, agreement_id, "reading", exc, reading_values=posted)
    messages.success(request, "The reading is recorded.")
    return back_to(agreement_id, GOALS)


# -- commitments and deliveries ----------------------------------------------------------------

COMMITMENT_FIELDS = ("party", "kind", "description", "amount", "due_on")


@login_required
@require_POST
def add_commitment(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward records what one party commits to, by kind, with a due date."""
    posted = _posted(request, COMMITMENT_FIELDS)
    try:
        data = parse(CommitmentIn, posted)
        services.add_commitment(acting_member(request), agreement_id, data)
    except DomainError as exc:
        return refused(request, agreement_id, "commitment", exc, commitment_values=posted)
    messages.success(request, "The commitment is recorded.")
    return back_to(agreement_id, COMMITMENTS)


@login_required
@require_POST
def record_fulfilment(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A delivery against a commitment: money received (treasurers) or anything else
    delivered (stewards, the partner's representatives)."""
    posted = _posted(request, ("commitment", "amount", "on", "note", "key"))
    completes = request.POST.get("completes") == "on"
    try:
        commitment_id = _chosen(posted["commitment"], "commitment")
        fields = {k: posted[k] for k in ("amount", "on", "note", "key")}
        data = parse(FulfilmentIn, {**_given(fields, "on"), "completes": completes})
        services.record_fulfilment(
            acting_member(request), commitment_id, data, agreement_id=agreement_id
        )
    except DomainError as exc:
        values = {**posted, "completes": completes}
        return refused(request, agreement_id, "fulfilment", exc, fulfilment_values=values)
    messages.success(request, "The delivery is recorded.")
    return back_to(agreement_id, COMMITMENTS)


@login_required
@require_POST
def fund_pool(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A treasurer records the partner giving money straight into a pool."""
    posted = _posted(request, ("pool", "amount", "on"))
    try:
        data = parse(PoolFundingIn, _given(posted, "on"))
        funding = services.fund_pool_from_partnership(acting_member(request), agreement_id, data)
    except DomainError as exc:
        return refused(request, agreement_id, "pool_funding", exc, pool_funding_values=posted)
    messages.success(request, f"The partner's funding of {funding.pool.name} is recorded.")
    return back_to(agreement_id, POOL_FUNDING)


# -- reviews, amendments, roles and documents --------------------------------------------------


@login_required
@require_POST
def schedule_review(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward sets the review cadence or records a review held."""
    posted = _posted(request, ("every_months", "reviewed_on"))
    try:
        data = parse(AgreementReviewIn, _given(posted, "every_months", "reviewed_on"))
        services.schedule_review(acting_member(request), agreement_id, data)
    except DomainError as exc:
        return refused(request, agreement_id, "review", exc, review_values=posted)
    messages.success(request, "The review is recorded.")
    return back_to(agreement_id, REVIEWS)


@login_required
@require_POST
def amend_agreement(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward amends the purpose or member needs, summarising what changed."""
    posted = _posted(request, ("purpose", "member_needs", "summary"))
    try:
        version = services.amend_agreement(
            acting_member(request), agreement_id, parse(AmendmentIn, posted)
        )
    except DomainError as exc:
        return refused(request, agreement_id, "amend", exc, amend_values=posted)
    messages.success(request, f"The agreement is now at version {version.number}.")
    return back_to(agreement_id, VERSIONS)


@login_required
@require_POST
def set_role(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward publishes who leads and who decides in one area, for one party."""
    posted = _posted(request, ("party", "area", "leads", "decides"))
    try:
        services.set_role(acting_member(request), agreement_id, parse(RoleIn, posted))
    except DomainError as exc:
        return refused(request, agreement_id, "role", exc, role_values=posted)
    messages.success(request, f"Who leads and decides {posted['area']} is published.")
    return back_to(agreement_id, ROLES)


@login_required
@require_POST
def attach_document(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward attaches a file (the service checks its size and type from its content)."""
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise InvalidInput("Choose a file to attach.")
        # One byte over the limit is enough for the service to refuse it by its size.
        content = upload.read(DOCUMENT_MAX_BYTES + 1)
        data = parse(DocumentIn, {"name": upload.name or "", "content": content})
        document = services.attach_document(acting_member(request), agreement_id, data)
    except DomainError as exc:
        return refused(request, agreement_id, "document", exc)
    messages.success(request, f"{document.name} is attached.")
    return back_to(agreement_id, DOCUMENTS)


# -- the registers -----------------------------------------------------------------------------

RISK_FORM = ("category", "title", "likelihood", "impact", "mitigation", "owner", "owner_label")
RISK_UPDATE = ("likelihood", "impact", "status", "mitigation")
RISK_EDIT = ("title", "category", "owner", "owner_label")  # stewards' form only


@login_required
@require_POST
def add_risk(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """A steward adds a risk to the partnership's register."""
    posted = _posted(request, RISK_FORM)
    try:
        data = parse(RiskIn, posted)
        services.add_risk(acting_member(request), agreement_id, data)
    except DomainError as exc:
        return refused(request, agreement_id, "risk", exc, risk_values=posted)
    messages.success(request, "The risk is added to the register.")
    return back_to(agreement_id, f"risks-{agreement_id}")


@login_required
@require_POST
def update_risk(request: HttpRequest, agreement_id: int, risk_id: int) -> HttpResponse:
    """A steward, or the office holder who owns it, updates a risk's rating, mitigation and
    status; a steward's form also renames it, moves it to another category or gives it
    another owner (both owner fields blank: the owner stays)."""
    steward_form = "title" in request.POST
    posted = _posted(request, RISK_UPDATE + RISK_EDIT if steward_form else RISK_UPDATE)
    optional = ["likelihood", "impact", "status"]
    if steward_form and not (posted["owner"] or posted["owner_label"]):
        optional += ["owner", "owner_label"]
    try:
        data = parse(RiskPatch, _given(posted, *optional))
        services.update_risk(acting_member(request), agreement_id, risk_id, data)
    except NotFound as exc:
        if exc.detail.startswith("No risk "):  # not on this partnership: the address is wrong
            raise Http404(exc.detail) from exc
        return refused(  # an owner's handle that matches nobody: bad input, beside the form
            request, agreement_id, "risk_update", exc, risk_update_on=risk_id, risk_update=posted
        )
    except DomainError as exc:
        return refused(
            request, agreement_id, "risk_update", exc, risk_update_on=risk_id, risk_update=posted
        )
    messages.success(request, "The risk is updated.")
    return back_to(agreement_id, f"risk-{risk_id}")


@login_required
@require_POST
def disclose_interest(request: HttpRequest, agreement_id: int) -> HttpResponse:
    """Someone in a decision role declares an interest in the partnership, in public."""
    posted = _posted(request, ("interest",))
    try:
        services.disclose_interest(
            acting_member(request), agreement_id, parse(DisclosureIn, posted)
        )
    except DomainError as exc:
        return refused(request, agreement_id, "disclosure", exc, disclosure_values=posted)
    messages.success(request, "Your interest is declared.")
    return back_to(agreement_id, f"disclosures-{agreement_id}")


@login_required
@require_POST
def close_disclosure(request: HttpRequest, agreement_id: int, disclosure_id: int) -> HttpResponse:
    """The discloser, or a steward, closes a declaration with a reason."""
    posted = _posted(request, ("reason",))
    try:
        services.close_disclosure(
            acting_member(request), agreement_id, disclosure_id, parse(DisclosureCloseIn, posted)
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        return refused(
            request, agreement_id, "close", exc, close_on=disclosure_id, close_values=posted
        )
    messages.success(request, "The declaration is closed.")
    return back_to(agreement_id, f"disclosure-{disclosure_id}")
