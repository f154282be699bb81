"""Contribution routes: log and list mine, review, dispute; the published criteria."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from accord.contributions import permissions, queries, services
from accord.contributions.models import Contribution, PolicyVersion
from accord.domain.errors import NotFound
from accord.people.auth import actor
from accord.people.models import Group
from accord.people.visibility import Sight, may
from accord.web.errors import Error

router = Router(tags=["contributions"])


class ContributionIn(Schema):
    kind: str
    title: str = Field(min_length=1, max_length=200)
    date: date
    level: int = Field(ge=1, le=5)
    hours: str = Field("0", description='Decimal hours as a string, e.g. "3.5".')
    description: str = Field("", max_length=5000)
    evidence_url: str = Field("", max_length=500)
    group: str | None = None
    initiative: str = Field("", max_length=120)
    partnership: str = Field("", max_length=120)


class ContributionOut(Schema):
    id: int
    member: str | None = Field(
        description="The contributor's handle; null when the reader may not see them."
    )
    kind: str
    title: str
    date: date
    level: int
    hours: str
    group: str | None
    status: str
    impact: int | None
    review_note: str
    dispute_reason: str
    created_at: datetime

    @staticmethod
    def resolve_member(obj: Contribution, context: dict[str, Any]) -> str | None:
        reader = actor(context["request"])
        return obj.member.pseudonym if may(reader, obj.member, Sight.DUTY) else None

    @staticmethod
    def resolve_group(obj: Contribution) -> str | None:
        return obj.group.slug if obj.group else None


class VerifyIn(Schema):
    impact: int = Field(ge=1, le=5)
    note: str = Field("", max_length=2000)


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class PolicyOut(Schema):
    version: int
    effective_from: date
    sha256: str
    reason: str
    document: dict[str, Any]

    @staticmethod
    def resolve_sha256(obj: PolicyVersion) -> str:
        return obj.digest


def _visible(request: HttpRequest, pk: int) -> Contribution:
    c = Contribution.objects.select_related("member", "group").filter(pk=pk).first()
    if c is None or not permissions.can_view(actor(request), c):
        raise NotFound("No such contribution.")
    return c


@router.get(
    "/contributions",
    response=list[ContributionOut],
    url_name="api-contributions",
    operation_id="list_my_contributions",
)
def list_mine(request: HttpRequest) -> list[Contribution]:
    return list(queries.mine(actor(request))[:500])


@router.post(
    "/contributions",
    response={201: ContributionOut, 404: Error, 422: Error},
    url_name="api-contribution-create",
    operation_id="record_contribution",
)
def record(request: HttpRequest, payload: ContributionIn) -> tuple[int, Contribution]:
    group = None
    if payload.group:
        group = Group.objects.filter(slug=payload.group).first()
        if group is None:
            raise NotFound(f"No group {payload.group!r}.")
    data = services.ContributionInput(
        kind=payload.kind,
        title=payload.title,
        date=payload.date,
        level=payload.level,
        hours_h100=services.parse_hours(payload.hours),
        description=payload.description,
        evidence_url=payload.evidence_url,
        group=group,
        initiative=payload.initiative,
        partnership=payload.partnership,
    )
    return 201, services.record_contribution(actor(request), data)


@router.get(
    "/contributions/review-queue",
    response=list[ContributionOut],
    url_name="api-review-queue",
    operation_id="list_review_queue",
)
def review_queue(request: HttpRequest) -> list[Contribution]:
    return list(queries.review_queue(actor(request))[:500])


@router.get(
    "/contributions/{pk}",
    response={200: ContributionOut, 404: Error},
    url_name="api-contribution",
    operation_id="get_contribution",
)
def get_one(request: HttpRequest, pk: int) -> Contribution:
    return _visible(request, pk)


@router.post(
    "/contributions/{pk}/verify",
    response={200: ContributionOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-contribution-verify",
    operation_id="verify_contribution",
)
def verify(request: HttpRequest, pk: int, payload: VerifyIn) -> Contribution:
    return services.verify_contribution(
        actor(request), _visible(request, pk).pk, impact=payload.impact, note=payload.note
    )


@router.post(
    "/contributions/{pk}/reject",
    response={200: ContributionOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-contribution-reject",
    operation_id="reject_contribution",
)
def reject(request: HttpRequest, pk: int, payload: ReasonIn) -> Contribution:
    return services.reject_contribution(
        actor(request), _visible(request, pk).pk, reason=payload.reason
    )


@router.post(
    "/contributions/{pk}/dispute",
    response={200: ContributionOut, 404: Error, 409: Error, 422: Error},
    url_name="api-contribution-dispute",
    operation_id="dispute_contribution",
)
def dispute(request: HttpRequest, pk: int, payload: ReasonIn) -> Contribution:
    return services.dispute_rejection(
        actor(request), _visible(request, pk).pk, reason=payload.reason
    )


@router.get(
    "/criteria",
    response=list[PolicyOut],
    auth=None,
    url_name="api-criteria",
    operation_id="list_policies",
)
def list_policies(request: HttpRequest) -> list[PolicyVersion]:
    return list(PolicyVersion.objects.order_by("-version"))
