"""The typed inputs of every benefits action (one schema for the service, the page, the API
and the command line) and the API's output shapes."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import field_validator

from accord.benefits.models import Distribution, Method, Payout, Pool, Statement
from accord.people.auth import actor
from accord.people.visibility import Sight, may
from accord.web.inputs import BIGINT_MAX, INT_MAX, KEY_MAX, Input

DEFAULT_FORMAT = "standard"
FORMAT_MAX = 40  # a reward format's name, as statements and payouts hold it
AMOUNT_MAX = 10**15  # minor units in one funding: sums of thousands stay within 64 bits
KEY_LENGTH = 180  # an idempotency key, so that "distribution:<key>" fits its column
SOURCE_LENGTH = 150  # a funding source, so that its account "funding:<source>:<unit>" fits
Format = Annotated[str, Field(max_length=FORMAT_MAX)]
GroupSlug = Annotated[str, Field(max_length=KEY_MAX)]


def _words(values: list[str]) -> list[str]:
    return [v.strip() for v in values]


class PoolIn(Input):
    name: str = Field(max_length=160)
    unit: str = Field(max_length=32, description="ISO 4217 code, or a unit like training_credit")
    method: Method
    period_start: date
    period_end: date
    policy: int = Field(
        ge=1, le=INT_MAX, description="The attribution policy version the pool uses."
    )
    half_life_days: int = Field(default=90, ge=1, le=36_500, description="RECENT only.")
    minimum_payout: int = Field(default=0, ge=0, le=BIGINT_MAX)
    member_cap: int | None = Field(default=None, gt=0, le=BIGINT_MAX)
    formats: list[Format] = Field(default=[DEFAULT_FORMAT], min_length=1, max_length=20)
    publishing_formats: list[Format] = Field(default=[], max_length=20)
    eligible_groups: list[GroupSlug] = Field(
        default=[], max_length=500, description="Group slugs; empty means everyone."
    )
    choice_days: int = Field(default=30, ge=1, le=365)
    description: str = Field(default="", max_length=2000)

    @field_validator("formats", "publishing_formats", "eligible_groups")
    @classmethod
    def strip_words(cls, values: list[str]) -> list[str]:
        return _words(values)


class PoolPatch(Input):
    """What may change on a pool; each change applies from its next round."""

    name: str | None = Field(default=None, max_length=160)
    description: str | None = Field(default=None, max_length=2000)
    formats: list[Format] | None = Field(default=None, min_length=1, max_length=20)
    publishing_formats: list[Format] | None = Field(default=None, max_length=20)
    eligible_groups: list[GroupSlug] | None = Field(default=None, max_length=500)
    minimum_payout: int | None = Field(default=None, ge=0, le=BIGINT_MAX)
    member_cap: int | None = Field(
        default=None, ge=0, le=BIGINT_MAX, description="0 removes the cap."
    )
    choice_days: int | None = Field(default=None, ge=1, le=365)

    @field_validator("formats", "publishing_formats", "eligible_groups")
    @classmethod
    def strip_words(cls, values: list[str] | None) -> list[str] | None:
        return None if values is None else _words(values)


class FundIn(Input):
    amount: int = Field(
        gt=0, le=AMOUNT_MAX, description="In the pool's smallest unit (cents for EUR)."
    )
    source: str = Field(
        min_length=1,
        max_length=SOURCE_LENGTH,
        description="Where the funds come from (kept off the ledger).",
    )
    key: str = Field(
        default="",
        max_length=KEY_LENGTH,
        description="Idempotency key: a retried funding with the same key lands once.",
    )
    from_community_fund: bool = Field(
        default=False,
        description="Pay from the community fund (received partner money) instead of a new "
        "source; refused beyond what the fund holds.",
    )


class CloseIn(Input):
    reason: str = Field(
        min_length=1, max_length=2000, description="Why (kept off the ledger, which holds a hash)."
    )


class CommitIn(Input):
    round: int | None = Field(
        default=None,
        ge=1,
        le=INT_MAX,
        description="The round previewed; committing it again returns it. Default: the next.",
    )
    key: str = Field(
        default="",
        max_length=KEY_LENGTH,
        description="Idempotency key: the same key never commits twice. Default: the round's "
        "name, <pool>:<round>.",
    )


class ApproveIn(Input):
    round: int | None = Field(
        default=None,
        ge=1,
        le=INT_MAX,
        description="The round previewed and approved. Default: the next.",
    )


class ApprovalOut(Schema):
    pool: str
    round: int
    rows_sha256: str = Field(description="The digest of the approved round's public rows.")
    approved_at: datetime

    @staticmethod
    def resolve_pool(obj: Any) -> str:
        return str(obj.pool.slug)


class ChoiceIn(Input):
    choice: str = Field(max_length=16, description="take, switch, donate or decline")
    format: str = Field(default="", max_length=FORMAT_MAX)


class PaidIn(Input):
    reference: str = Field(default="", max_length=120)


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
    explanation: dict[str, int | str] = Field(
        description="The numbers that re-derive the amount (the statement page shows the same)."
    )


class PoolOut(Schema):
    slug: str
    name: str
    description: str
    unit: str
    method: str
    period_start: date
    period_end: date
    policy_version: int
    half_life_days: int
    minimum_payout: int
    member_cap: int | None
    formats: list[str]
    publishing_formats: list[str]
    eligible_groups: list[str]
    choice_days: int
    closed_at: datetime | None

    @staticmethod
    def resolve_policy_version(obj: Pool) -> int:
        return obj.policy.version

    @staticmethod
    def resolve_eligible_groups(obj: Pool) -> list[str]:
        return sorted(g.slug for g in obj.eligible_groups.all())


class FundingOut(Schema):
    pool: str
    amount: int
    unit: str
    balance: int


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
        member = obj.statement.member
        return member.pseudonym if may(actor(context["request"]), member, Sight.DUTY) else None


def statement_out(st: Statement, explanation: dict[str, int | str]) -> StatementOut:
    d = st.distribution
    return StatementOut(
        id=st.pk,
        pool=d.pool.slug,
        round=d.round,
        unit=d.pool.unit,
        method=d.method,
        policy_version=d.policy.version,
        points_cp=st.points_cp,
        weight=st.weight,
        total_weight=d.total_weight,
        pool_total=d.total,
        share=st.share,
        capped_excess=st.capped_excess,
        redistributed=st.redistributed,
        carried_in=st.carried_in,
        carried_out=st.carried_out,
        payout=st.payout,
        contributions=list(st.contribution_ids),
        choice=st.choice,
        format=st.format,
        choice_deadline=d.choice_deadline,
        explanation=explanation,
    )
