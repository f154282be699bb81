"""Benefit routes: my statements and choices; pools, previews and commits; payouts."""

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from accord.benefits import queries, services
from accord.benefits.models import Distribution, Payout, Pool, RoundApproval
from accord.benefits.schemas import (
    AllocationOut,
    ApprovalOut,
    ApproveIn,
    ChoiceIn,
    CloseIn,
    CommitIn,
    DistributionOut,
    FundIn,
    FundingOut,
    PaidIn,
    PayoutOut,
    PoolIn,
    PoolOut,
    PoolPatch,
    PreviewOut,
    StatementOut,
    statement_out,
)
from accord.people.auth import TREASURY_AUTH, actor
from accord.web.errors import Error
from accord.web.inputs import Id, Key
from accord.web.paging import Page

router = Router(tags=["benefits"])

POOL_ERRORS = {403: Error, 404: Error, 409: Error, 422: Error}


def _statement(request: HttpRequest, pk: int) -> StatementOut:
    st = queries.statement_for(actor(request), pk)
    return statement_out(st, queries.explained(st))


@router.get(
    "/statements",
    response=list[StatementOut],
    url_name="api-statements",
    operation_id="list_my_statements",
)
def list_statements(request: HttpRequest) -> list[StatementOut]:
    rows = queries.statements_of(actor(request)).select_related("distribution__policy")
    return [statement_out(st, queries.explained(st)) for st in rows]


@router.get(
    "/statements/{pk}",
    response={200: StatementOut, 404: Error},
    url_name="api-statement",
    operation_id="get_statement",
)
def get_statement(request: HttpRequest, pk: Id) -> StatementOut:
    return _statement(request, pk)


@router.post(
    "/statements/{pk}/choice",
    response={200: StatementOut, 404: Error, 409: Error, 422: Error},
    url_name="api-statement-choice",
    operation_id="choose_reward",
)
def choose(request: HttpRequest, pk: Id, payload: ChoiceIn) -> StatementOut:
    services.choose(actor(request), pk, payload)
    return _statement(request, pk)


@router.get("/pools", response=list[PoolOut], url_name="api-pools", operation_id="list_pools")
def list_pools(request: HttpRequest) -> list[Pool]:
    return list(queries.pools())


@router.post(
    "/pools",
    response={201: PoolOut, **POOL_ERRORS},
    url_name="api-pool-create",
    operation_id="create_pool",
)
def create_pool(request: HttpRequest, payload: PoolIn) -> tuple[int, Pool]:
    return 201, services.create_pool(actor(request), payload)


@router.patch(
    "/pools/{slug}",
    response={200: PoolOut, **POOL_ERRORS},
    url_name="api-pool-edit",
    operation_id="edit_pool",
)
def edit_pool(request: HttpRequest, slug: Key, payload: PoolPatch) -> Pool:
    return services.edit_pool(actor(request), slug, payload)


@router.post(
    "/pools/{slug}/funding",
    response={201: FundingOut, **POOL_ERRORS},
    url_name="api-pool-fund",
    auth=TREASURY_AUTH,
    operation_id="fund_pool",
)
def fund_pool(request: HttpRequest, slug: Key, payload: FundIn) -> tuple[int, FundingOut]:
    done = services.fund_pool(actor(request), slug, payload)
    return 201, FundingOut(
        pool=slug, amount=done.amount, unit=done.pool.unit, balance=done.balance
    )


@router.post(
    "/pools/{slug}/close",
    response={200: PoolOut, **POOL_ERRORS},
    url_name="api-pool-close",
    auth=TREASURY_AUTH,
    operation_id="close_pool",
)
def close_pool(request: HttpRequest, slug: Key, payload: CloseIn) -> Pool:
    return services.close_pool(actor(request), slug, payload)


@router.get(
    "/pools/{slug}/preview",
    response={200: PreviewOut, 403: Error, 404: Error},
    url_name="api-pool-preview",
    operation_id="preview_distribution",
)
def preview(request: HttpRequest, slug: Key) -> PreviewOut:
    p = queries.preview_for(actor(request), slug)
    return PreviewOut(
        pool=slug,
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
    response={201: DistributionOut, **POOL_ERRORS},
    url_name="api-pool-commit",
    auth=TREASURY_AUTH,
    operation_id="commit_distribution",
)
def commit(request: HttpRequest, slug: Key, payload: CommitIn) -> tuple[int, Distribution]:
    return 201, services.commit_distribution(actor(request), slug, payload)


@router.post(
    "/pools/{slug}/approvals",
    response={201: ApprovalOut, **POOL_ERRORS},
    url_name="api-pool-approve",
    operation_id="approve_round",
)
def approve(request: HttpRequest, slug: Key, payload: ApproveIn) -> tuple[int, RoundApproval]:
    """Approve the pool's next round as previewed now (a second office holder), so that a
    treasurer who benefits from it may commit it."""
    return 201, services.approve_round(actor(request), slug, payload)


@router.get(
    "/payouts",
    response={200: list[PayoutOut], 403: Error},
    url_name="api-payouts",
    auth=TREASURY_AUTH,
    operation_id="list_pending_payouts",
)
@paginate(Page)
def list_payouts(request: HttpRequest) -> QuerySet[Payout]:
    return queries.payouts_to_make(actor(request))


@router.post(
    "/payouts/{pk}/paid",
    response={200: PayoutOut, 403: Error, 404: Error, 409: Error},
    url_name="api-payout-paid",
    auth=TREASURY_AUTH,
    operation_id="mark_payout_paid",
)
def mark_paid(request: HttpRequest, pk: Id, payload: PaidIn) -> Payout:
    return services.mark_paid(actor(request), pk, payload)
