"""Benefit routes: my statements and choices; pools, previews and commits; payouts."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from accord.benefits import permissions, planning, queries, services
from accord.benefits.models import Distribution, Payout, Pool, Statement
from accord.domain.errors import Forbidden, NotFound
from accord.people.auth import actor
from accord.people.visibility import Sight, may
from accord.web.errors import Error

router = Router(tags=["benefits"])


class StatementOut(Schema):
    id: int
    pool: str
    round: int
    unit: str
    method: str
    policy_version: int
    points_cp: int
    weight: str
    total_weight: str
    pool_total: int
    share: int
    capped_excess: int
    redistributed: int
    carried_in: int
    carried_out: int
    payout: int
    contributions: list[int]
    choice: str
    format: str
    choice_deadline: date

    @staticmethod
    def resolve_pool(obj: Statement) -> str:
        return obj.distribution.pool.slug

    @staticmethod
    def resolve_round(obj: Statement) -> int:
        return obj.distribution.round

    @staticmethod
    def resolve_unit(obj: Statement) -> str:
        return obj.distribution.pool.unit

    @staticmethod
    def resolve_method(obj: Statement) -> str:
        return obj.distribution.method

    @staticmethod
    def resolve_policy_version(obj: Statement) -> int:
        return obj.distribution.policy.version

    @staticmethod
    def resolve_total_weight(obj: Statement) -> str:
        return obj.distribution.total_weight

    @staticmethod
    def resolve_pool_total(obj: Statement) -> int:
        return obj.distribution.total

    @staticmethod
    def resolve_contributions(obj: Statement) -> list[int]:
        return list(obj.contribution_ids)

    @staticmethod
    def resolve_choice_deadline(obj: Statement) -> date:
        return obj.distribution.choice_deadline


class ChoiceIn(Schema):
    choice: str = Field(description="take, switch, donate or decline")
    format: str = ""


class PoolOut(Schema):
    slug: str
    name: str
    unit: str
    method: str
    period_start: date
    period_end: date
    policy_version: int
    minimum_payout: int
    member_cap: int | None
    formats: list[str]
    publishing_formats: list[str]

    @staticmethod
    def resolve_policy_version(obj: Pool) -> int:
        return obj.policy.version


class AllocationOut(Schema):
    member: str
    weight: str
    share: int
    capped_excess: int
    redistributed: int
    carried_in: int
    payout: int
    carried_out: int


class PreviewOut(Schema):
    pool: str
    round: int
    total: int
    unallocated: int
    allocations: list[AllocationOut]


class CommitIn(Schema):
    key: str = Field(
        min_length=8,
        max_length=200,
        description="Idempotency key: the same key never commits twice.",
    )


class DistributionOut(Schema):
    key: str
    pool: str
    round: int
    total: int
    unallocated: int
    committed_at: datetime
    choice_deadline: date

    @staticmethod
    def resolve_pool(obj: Distribution) -> str:
        return obj.pool.slug


class PayoutOut(Schema):
    id: int
    member: str | None = Field(
        description="The payee's handle; null when the reader may not see them."
    )
    amount: int
    unit: str
    format: str
    status: str

    @staticmethod
    def resolve_member(obj: Payout, context: dict[str, Any]) -> str | None:
        reader = actor(context["request"])
        member = obj.statement.member
        return member.pseudonym if may(reader, member, Sight.DUTY) else None


class PaidIn(Schema):
    reference: str = Field("", max_length=120)


def _statement(request: HttpRequest, pk: int) -> Statement:
    st = (
        Statement.objects.select_related("distribution__pool", "distribution__policy", "member")
        .filter(pk=pk)
        .first()
    )
    if st is None or not permissions.can_view_statement(actor(request), st):
        raise NotFound("No such statement.")
    return st


@router.get(
    "/statements",
    response=list[StatementOut],
    url_name="api-statements",
    operation_id="list_my_statements",
)
def list_statements(request: HttpRequest) -> list[Statement]:
    return list(queries.statements_of(actor(request)).select_related("distribution__policy"))


@router.get(
    "/statements/{pk}",
    response={200: StatementOut, 404: Error},
    url_name="api-statement",
    operation_id="get_statement",
)
def get_statement(request: HttpRequest, pk: int) -> Statement:
    return _statement(request, pk)


@router.post(
    "/statements/{pk}/choice",
    response={200: StatementOut, 404: Error, 409: Error, 422: Error},
    url_name="api-statement-choice",
    operation_id="choose_reward",
)
def choose(request: HttpRequest, pk: int, payload: ChoiceIn) -> Statement:
    services.choose(
        actor(request), _statement(request, pk).pk, payload.choice, format=payload.format
    )
    return _statement(request, pk)


@router.get("/pools", response=list[PoolOut], url_name="api-pools", operation_id="list_pools")
def list_pools(request: HttpRequest) -> list[Pool]:
    return list(queries.pools())


def _managed_pool(request: HttpRequest, slug: str) -> Pool:
    pool = get_object_or_404(Pool.objects.select_related("policy"), slug=slug)
    if not permissions.can_manage_pools(actor(request)):
        raise Forbidden("Only stewards preview and commit distributions.")
    return pool


@router.get(
    "/pools/{slug}/preview",
    response={200: PreviewOut, 403: Error, 404: Error},
    url_name="api-pool-preview",
    operation_id="preview_distribution",
)
def preview(request: HttpRequest, slug: str) -> PreviewOut:
    pool = _managed_pool(request, slug)
    p = planning.preview(pool)
    return PreviewOut(
        pool=pool.slug,
        round=p.inputs.round,
        total=p.inputs.total,
        unallocated=p.plan.unallocated,
        allocations=[
            AllocationOut(
                member=a.member,
                weight=str(a.weight),
                share=a.share,
                capped_excess=a.capped_excess,
                redistributed=a.redistributed,
                carried_in=a.carried_in,
                payout=a.payout,
                carried_out=a.carried_out,
            )
            for a in p.plan.allocations
            if a.weight or a.carried_in
        ],
    )


@router.post(
    "/pools/{slug}/distributions",
    response={201: DistributionOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-pool-commit",
    operation_id="commit_distribution",
)
def commit(request: HttpRequest, slug: str, payload: CommitIn) -> tuple[int, Distribution]:
    pool = _managed_pool(request, slug)
    return 201, services.commit_distribution(actor(request), pool, key=payload.key)


@router.get(
    "/payouts",
    response={200: list[PayoutOut], 403: Error},
    url_name="api-payouts",
    operation_id="list_pending_payouts",
)
def list_payouts(request: HttpRequest) -> list[Payout]:
    if not permissions.can_pay(actor(request)):
        raise Forbidden("Only stewards see pending payouts.")
    return list(queries.pending_payouts())


@router.post(
    "/payouts/{pk}/paid",
    response={200: PayoutOut, 403: Error, 404: Error, 409: Error},
    url_name="api-payout-paid",
    operation_id="mark_payout_paid",
)
def mark_paid(request: HttpRequest, pk: int, payload: PaidIn) -> Payout:
    return services.mark_paid(actor(request), pk, reference=payload.reference)
