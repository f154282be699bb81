"""Contribution routes: log and list mine, review, dispute; the published criteria."""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accord.contributions import queries, services
from accord.contributions.models import Contribution, PolicyVersion
from accord.contributions.schemas import (
    ContributionIn,
    ImportIn,
    PolicyIn,
    QueueQuery,
    ReasonIn,
    VerifyIn,
)
from accord.domain.errors import InvalidInput
from accord.people.auth import actor
from accord.people.models import Member
from accord.people.visibility import Sight, named_among
from accord.web.errors import Error
from accord.web.inputs import Id

router = Router(tags=["contributions"])


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


def _listed(reader: Member, rows: Iterable[Contribution]) -> list[ContributionOut]:
    """Contributions as the reader may see them: who made each one is asked once for all
    the rows (consent and office), not once per row."""
    rows = list(rows)
    named = named_among(reader, {c.member_id for c in rows}, Sight.DUTY)
    return [_out(reader, c, named=c.member_id in named) for c in rows]


def _out(reader: Member, c: Contribution, *, named: bool) -> ContributionOut:
    maker = reader if c.member_id == reader.pk else c.member
    return ContributionOut(
        id=c.pk,
        member=maker.pseudonym if named else None,
        kind=c.kind,
        title=c.title,
        date=c.date,
        level=c.level,
        hours=c.hours,
        group=c.group.slug if c.group else None,
        status=c.status,
        impact=c.impact,
        review_note=c.review_note,
        dispute_reason=c.dispute_reason,
        created_at=c.created_at,
    )


class PolicyOut(Schema):
    version: int
    effective_from: date
    sha256: str
    reason: str
    document: dict[str, Any]

    @staticmethod
    def resolve_sha256(obj: PolicyVersion) -> str:
        return obj.digest


class ImportRowOut(Schema):
    line: int
    source_key: str
    status: str = Field(description="new, duplicate or error")
    errors: list[str]


class ImportOut(Schema):
    committed: bool
    new: int
    duplicates: int
    rows: list[ImportRowOut]


@router.get(
    "/contributions",
    response=list[ContributionOut],
    url_name="api-contributions",
    operation_id="list_my_contributions",
)
def list_mine(request: HttpRequest) -> list[ContributionOut]:
    reader = actor(request)
    return _listed(reader, queries.mine(reader)[:500])


@router.post(
    "/contributions",
    response={201: ContributionOut, 404: Error, 422: Error},
    url_name="api-contribution-create",
    operation_id="record_contribution",
)
def record(request: HttpRequest, payload: ContributionIn) -> tuple[int, ContributionOut]:
    reader = actor(request)
    return 201, _listed(reader, [services.record_contribution(reader, payload)])[0]


@router.post(
    "/contributions/import",
    response={200: ImportOut, 403: Error, 422: Error},
    url_name="api-contribution-import",
    operation_id="import_contributions",
)
def import_csv(request: HttpRequest, payload: ImportIn) -> ImportOut:
    """All rows or none; a file with a bad row is refused (422) naming the first."""
    result = services.import_contributions(actor(request), payload)
    if result.errors:
        raise InvalidInput(result.summary())
    return ImportOut(
        committed=result.committed,
        new=result.new,
        duplicates=result.duplicates,
        rows=[ImportRowOut(**vars(r)) for r in result.rows],
    )


@router.get(
    "/contributions/review-queue",
    response=list[ContributionOut],
    url_name="api-review-queue",
    operation_id="list_review_queue",
)
def review_queue(request: HttpRequest, query: Query[QueueQuery]) -> list[ContributionOut]:
    """The oldest contributions waiting for you: 50 unless `limit` asks for up to 500
    (reviewing one brings up the next)."""
    reader = actor(request)
    rows = queries.review_queue(reader, limit=query.limit)
    named = named_among(reader, {c.member_id for c in rows}, Sight.DUTY)
    return [
        ContributionOut(
            id=c.pk,
            member=c.pseudonym if c.member_id in named else None,
            kind=c.kind,
            title=c.title,
            date=c.date,
            level=c.level,
            hours=c.hours,
            group=c.group_slug,
            status=c.status,
            impact=c.impact,
            review_note=c.review_note,
            dispute_reason=c.dispute_reason,
            created_at=c.created_at,
        )
        for c in rows
    ]


@router.get(
    "/contributions/{pk}",
    response={200: ContributionOut, 404: Error},
    url_name="api-contribution",
    operation_id="get_contribution",
)
def get_one(request: HttpRequest, pk: Id) -> ContributionOut:
    reader = actor(request)
    return _listed(reader, [queries.visible_contribution(reader, pk)])[0]


@router.post(
    "/contributions/{pk}/verify",
    response={200: ContributionOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-contribution-verify",
    operation_id="verify_contribution",
)
def verify(request: HttpRequest, pk: Id, payload: VerifyIn) -> ContributionOut:
    reader = actor(request)
    return _listed(reader, [services.verify_contribution(reader, pk, payload)])[0]


@router.post(
    "/contributions/{pk}/reject",
    response={200: ContributionOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-contribution-reject",
    operation_id="reject_contribution",
)
def reject(request: HttpRequest, pk: Id, payload: ReasonIn) -> ContributionOut:
    reader = actor(request)
    return _listed(reader, [services.reject_contribution(reader, pk, payload)])[0]


@router.post(
    "/contributions/{pk}/dispute",
    response={200: ContributionOut, 404: Error, 409: Error, 422: Error},
    url_name="api-contribution-dispute",
    operation_id="dispute_contribution",
)
def dispute(request: HttpRequest, pk: Id, payload: ReasonIn) -> ContributionOut:
    reader = actor(request)
    return _listed(reader, [services.dispute_rejection(reader, pk, payload)])[0]


@router.get(
    "/criteria",
    response=list[PolicyOut],
    auth=None,
    url_name="api-criteria",
    operation_id="list_policies",
)
def list_policies(request: HttpRequest) -> list[PolicyVersion]:
    return queries.policy_versions()


@router.post(
    "/criteria",
    response={201: PolicyOut, 403: Error, 409: Error, 422: Error},
    url_name="api-criteria-publish",
    operation_id="publish_policy",
)
def publish_policy(request: HttpRequest, payload: PolicyIn) -> tuple[int, PolicyVersion]:
    return 201, services.publish_policy(actor(request), payload)
