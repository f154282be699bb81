"""API shapes for escalation paths and concerns; the inputs are the services' too."""

from datetime import datetime
from typing import Annotated

from ninja import Field, Schema

from accord.domain.escalation import MAX_RANK, MAX_RESPONSE_HOURS
from accord.governance.models import ConcernKind
from accord.web.inputs import BIGINT_MAX, KEY_MAX, Input

Handle = Annotated[str, Field(max_length=KEY_MAX)]


class LevelIn(Input):
    """One level of a ladder, set or replaced (its rank names it)."""

    group: str | None = Field(
        None, max_length=KEY_MAX, description="A group's slug; none: the community's ladder."
    )
    rank: int = Field(ge=1, le=MAX_RANK, description="1 is where concerns start.")
    name: str = Field(max_length=120, examples=["Group leads"])
    response_hours: int = Field(
        ge=1, le=MAX_RESPONSE_HOURS, description="How long its handlers have to answer."
    )
    handlers: list[Handle] = Field(
        min_length=1, max_length=20, description="The handlers' public handles."
    )


class ConcernIn(Input):
    kind: ConcernKind = Field(examples=["partnership"])
    summary: str = Field(max_length=160, examples=["The placement offer left out evenings"])
    body: str = Field(max_length=5000, description="What happened, and what you would like.")
    group: str | None = Field(
        None,
        max_length=KEY_MAX,
        description="A group's slug: its escalation path, if it has one; else the community's.",
    )
    agreement: int | None = Field(
        None, ge=0, le=BIGINT_MAX, description="The partnership it is about (kind partnership)."
    )
    decision: int | None = Field(
        None, ge=0, le=BIGINT_MAX, description="The decision it is about (kind decision)."
    )
    anonymous: bool = Field(
        False, description="Only its handlers learn who raised it (stewards are not told)."
    )


class ResolutionIn(Input):
    resolution: str = Field(max_length=5000, description="What was done, in plain words.")


class LevelOut(Schema):
    id: int
    group: str | None
    rank: int
    name: str
    response_hours: int
    handlers: list[str] = Field(description="Handlers the reader may see, by name.")


class ConcernEventOut(Schema):
    kind: str
    what: str
    level: int
    level_name: str
    at: datetime
    deadline: datetime | None


class ConcernOut(Schema):
    id: int
    kind: ConcernKind
    summary: str
    group: str | None
    agreement: int | None
    decision: int | None
    anonymous: bool
    status: str
    level: int
    level_name: str
    top_level: bool
    deadline: datetime
    overdue: bool
    raised_at: datetime
    raiser: str = Field(description="Who raised it, where the reader may be told.")
    mine: bool
    may_handle: bool


class ConcernDetailOut(ConcernOut):
    body: str
    acknowledged_at: datetime | None
    resolution: str
    resolved_at: datetime | None
    history: list[ConcernEventOut]


class FiguresOut(Schema):
    label: str
    raised: int | None = Field(description="Null when fewer than 10 (withheld).")
    resolved: int | None = Field(description="Null when fewer than 10 (withheld).")
    median_days: float | None = Field(
        description="Median days from raising to resolution; null below 10 resolved."
    )
    within_deadline: float | None = Field(
        description="Share resolved by their level's deadline (0-1); null below 10 resolved."
    )


class ConcernStatsOut(Schema):
    overall: FiguresOut
    by_kind: list[FiguresOut]
    by_level: list[FiguresOut] = Field(description="By the rank at which they were resolved.")
