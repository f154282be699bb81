"""API shapes for positions, calls for volunteers and the institutional memory; the inputs
are the services' too."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from accord.domain.succession import LABEL_MAX, MAX_LABELS
from accord.governance.models import MemoryKind, PlanRole
from accord.web.inputs import BIGINT_MAX, KEY_MAX, SMALLINT_MAX, Input

Label = Annotated[str, Field(max_length=LABEL_MAX)]


class PositionIn(Input):
    title: str = Field(max_length=120, examples=["Treasurer"])
    group: str | None = Field(
        None, max_length=KEY_MAX, description="A group's slug; none: an office of the community."
    )
    description: str = Field("", max_length=2000)
    seats: int = Field(1, ge=1, le=SMALLINT_MAX, description="How many hold it at a time.")
    term_months: int = Field(12, ge=1, le=120, description="A term's usual length.")
    term_limit: int = Field(
        2, ge=1, le=20, description="How many consecutive terms one person may serve."
    )


class PositionTermIn(Input):
    member: str = Field(max_length=KEY_MAX, description="The member's public handle.")
    start: date
    end: date = Field(description="The term's last day.")


class PlanPersonIn(Input):
    member: str = Field(max_length=KEY_MAX, description="The member's public handle.")
    role: PlanRole = Field(description="successor (a candidate) or shadow (learning the role).")


class HandoverItemIn(Input):
    text: str = Field(max_length=200, examples=["Hand over the bank mandate"])


class HandoverTickIn(Input):
    done: bool


class TransferNotesIn(Input):
    notes: str = Field(max_length=10_000, description="What a successor needs to know.")


class CallIn(Input):
    position: int = Field(ge=1, le=BIGINT_MAX)
    asks: str = Field(max_length=4000, description="Who is asked for, and what it involves.")
    backgrounds: list[Label] = Field(
        default_factory=list,
        max_length=MAX_LABELS,
        description="The backgrounds the body aims to draw on; answerers pick theirs.",
    )
    closes_on: date = Field(description="The last day to answer.")


class AnswerIn(Input):
    backgrounds: list[Label] = Field(
        default_factory=list,
        max_length=MAX_LABELS,
        description="The call's backgrounds the answerer describes themself by (may be none).",
    )
    note: str = Field("", max_length=2000)


class MemoryIn(Input):
    kind: MemoryKind
    title: str = Field(max_length=160)
    body: str = Field(max_length=10_000)
    decision: int | None = Field(None, ge=1, le=BIGINT_MAX)
    agreement: int | None = Field(None, ge=1, le=BIGINT_MAX)


class HideIn(Input):
    reason: str = Field(max_length=500)


class TermOut(Schema):
    id: int
    holder: str = Field(description="The holder's name where the reader may see it.")
    start: date
    end: date


class PlanPersonOut(Schema):
    id: int
    name: str
    role: str


class HandoverItemOut(Schema):
    id: int
    text: str
    done: bool


class PositionOut(Schema):
    id: int
    title: str
    group: str | None
    description: str
    seats: int
    term_months: int
    term_limit: int
    filled: int = Field(description="Seats held today.")
    holders: list[str] = Field(description="Current holders the reader may see.")
    rotation_due: bool
    at_risk: str = Field(description='"vacant", "no successor", or empty.')
    has_successor: bool


class PositionDetailOut(PositionOut):
    terms: list[TermOut]
    plan_shown: bool = Field(description="Whether the reader sees the succession plan.")
    plan: list[PlanPersonOut]
    checklist: list[HandoverItemOut]
    transfer_notes: str


class CallOut(Schema):
    id: int
    position: int
    position_title: str
    asks: str
    backgrounds: list[str]
    opened_at: datetime
    closes_on: date
    status: str
    answered: int | None = Field(description="How many answered; null when fewer than 10.")
    background_counts: dict[str, int | None] = Field(
        description="Answers naming each background; null when withheld (fewer than 10)."
    )


class AnswerOut(Schema):
    id: int
    member: str
    backgrounds: list[str]
    note: str
    answered_at: datetime
    withdrawn: bool


class CallDetailOut(CallOut):
    my_answer: AnswerOut | None
    answers: list[AnswerOut] | None = Field(description="Stewards only: every answer.")


class MemoryOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    decision: int | None
    agreement: int | None
    author: str
    at: datetime
    hidden: bool
