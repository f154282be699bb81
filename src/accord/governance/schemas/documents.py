"""API shapes for living documents; the inputs are the services' too."""

from datetime import datetime

from ninja import Field, Schema

from accord.governance.models.documents import (
    BODY_MAX,
    COMMENT_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Kind,
)
from accord.web.inputs import KEY_MAX, Input


class DocumentIn(Input):
    title: str = Field(max_length=TITLE_MAX, examples=["Funding guideline"])
    kind: Kind = Field(examples=["funding"])
    group: str | None = Field(
        None, max_length=KEY_MAX, description="The owning group's slug; none: the stewards."
    )
    governed: bool = Field(False, description="Changes only through a passed decision.")
    body: str = Field(max_length=BODY_MAX, description="The first revision's text.")
    summary: str = Field("First version.", max_length=SUMMARY_MAX)


class RevisionIn(Input):
    body: str = Field(max_length=BODY_MAX, description="The whole new text.")
    summary: str = Field(max_length=SUMMARY_MAX, description="What changed, and why.")


class ChangeIn(Input):
    body: str = Field(max_length=BODY_MAX, description="The whole text as proposed.")
    summary: str = Field(max_length=SUMMARY_MAX, description="What it changes, and why.")


class RevisionCommentIn(Input):
    body: str = Field(max_length=COMMENT_MAX)


class DeclineIn(Input):
    reason: str = Field(max_length=REASON_MAX, description="Why, in plain words.")


class ChangeDecisionIn(Input):
    closes_at: datetime = Field(
        description="Votes are taken until then (with a time zone). Who decides, the threshold "
        "and the quorum follow the decision rights."
    )


class ReadabilityOut(Schema):
    score: int = Field(description="Flesch reading ease, 0-100: higher reads more easily.")
    target: int
    meets_target: bool
    meaning: str


class RevisionOut(Schema):
    number: int
    summary: str
    author: str = Field(description="The author's name where the reader may see it.")
    created_at: datetime
    decision: int | None = Field(description="The passed decision that adopted it, if any.")


class RevisionDetailOut(RevisionOut):
    body: str
    body_sha256: str = Field(description="As the ledger records it.")
    readability: ReadabilityOut | None


class RevisionCommentOut(Schema):
    id: int
    author: str
    body: str
    at: datetime
    mine: bool


class ChangeOut(Schema):
    id: int
    document: str
    based_on: int = Field(description="The revision number it was written on.")
    stale: bool = Field(description="The document has moved on since it was written.")
    summary: str
    proposer: str
    status: str
    decision: int | None
    reason: str
    revision: int | None = Field(description="The revision number it became, if adopted.")
    created_at: datetime


class ChangeDetailOut(ChangeOut):
    body: str


class DocumentOut(Schema):
    slug: str
    title: str
    kind: Kind
    owners: str = Field(description='"stewards" or the owning group\'s slug.')
    governed: bool
    revision: int = Field(description="The current revision's number.")
    updated_at: datetime


class DocumentDetailOut(DocumentOut):
    current: RevisionDetailOut
    history: list[RevisionOut]
    proposals: list[ChangeOut]


class PieceOut(Schema):
    kind: str = Field(description='"same", "ins" (only in `to`) or "del" (only in `from`).')
    text: str


class DiffOut(Schema):
    from_revision: int
    to_revision: int
    added_words: int
    removed_words: int
    pieces: list[PieceOut]
