"""API shapes for decisions; the inputs are the services' too."""

from datetime import date, datetime
from typing import Annotated, Any

from ninja import Field, Schema

from accord.domain.mandates import Gated
from accord.domain.voting import MAX_OPTIONS, OPTION_MAX, SHARE_MAX, PollType, Stance
from accord.web.inputs import BIGINT_MAX, KEY_MAX, Input

Option = Annotated[str, Field(max_length=OPTION_MAX)]
OptionNumber = Annotated[int, Field(ge=0, le=MAX_OPTIONS)]
Score = Annotated[int, Field(ge=0, le=5)]


class RightIn(Input):
    """A decision right's new setting: the body that decides `action`, and how."""

    action: Gated
    group: str | None = Field(
        None, max_length=KEY_MAX, description="The deciding group's slug; none: the community."
    )
    threshold: str = Field("1/2", max_length=SHARE_MAX)
    quorum: str = Field("0", max_length=SHARE_MAX)


class DecisionIn(Input):
    title: str = Field(max_length=160, examples=["Adopt the 2027 funding guideline"])
    body: str = Field(max_length=10_000, description="What is proposed, and why.")
    group: str | None = Field(
        None, max_length=KEY_MAX, description="A group's slug; none: the whole community."
    )
    subject: int | None = Field(
        None,
        ge=0,
        le=BIGINT_MAX,
        description="The partnership agreement it is about: its disclosed people do not vote.",
    )
    poll: PollType = Field(examples=["consent"])
    options: list[Option] = Field(
        default_factory=list, max_length=MAX_OPTIONS, description="None for a consent proposal."
    )
    threshold: str = Field(
        "1/2",
        max_length=SHARE_MAX,
        description="A consent proposal passes when agree / (agree + disagree) reaches it: "
        '"1/2", "2/3", "0.75" or "75%".',
    )
    quorum: str = Field(
        "0", max_length=SHARE_MAX, description="The share of the electorate that must vote."
    )
    secret: bool = False
    closes_at: datetime = Field(description="Votes are taken until then (with a time zone).")
    action: Gated | None = Field(
        None,
        description="What a pass allows. Its scope, threshold and quorum then follow the "
        "decision rights; activating or ending names the agreement as `subject`.",
    )
    policy: dict[str, Any] | None = Field(
        None, description="Publishing a policy: the document, as /criteria.json has it."
    )
    effective_from: date | None = Field(None, description="Publishing a policy: from when.")
    right: RightIn | None = Field(None, description="Changing a decision right: the new one.")
    change: int | None = Field(
        None, ge=1, le=BIGINT_MAX, description="Changing a governed document: the proposal."
    )


class VoteIn(Input):
    """One of these, as the poll type asks (options are numbered from 0 as listed)."""

    stance: Stance | None = Field(None, description="Consent proposal.")
    option: OptionNumber | None = Field(None, description="Single choice.")
    options: list[OptionNumber] | None = Field(
        None, max_length=MAX_OPTIONS, description="Approval: the options approved (may be none)."
    )
    scores: list[Score] | None = Field(
        None, max_length=MAX_OPTIONS, description="Score: 0 to 5 for every option, in order."
    )
    ranking: list[OptionNumber] | None = Field(
        None, max_length=MAX_OPTIONS, description="Ranked choice: options, most preferred first."
    )

    def payload(self) -> dict[str, Any]:
        """The fields given, as the ballot's JSON payload for `voting.read_choice`."""
        return {k: v for k, v in self.model_dump(mode="json").items() if v is not None}


class OutcomeIn(Input):
    statement: str = Field(
        max_length=5000, description="What the community makes of the result, in plain words."
    )


class DecisionCommentIn(Input):
    body: str = Field(max_length=2000)


class DecisionCommentOut(Schema):
    id: int
    author: str = Field(description="The author's name where the reader may see it.")
    body: str
    at: datetime
    mine: bool


class VoterOut(Schema):
    name: str
    handle: str
    choice: dict[str, Any]


class DecisionOut(Schema):
    id: int
    title: str
    body: str
    group: str | None = Field(description="The group's slug; null for the whole community.")
    subject: int | None
    poll: PollType
    options: list[str]
    threshold: str
    quorum: str
    secret: bool
    status: str
    proposer: str = Field(description="The proposer's name where the reader may see it.")
    created_at: datetime
    opens_at: datetime | None
    closes_at: datetime
    closed_at: datetime | None
    electorate: int = Field(description="How many may vote, fixed when it opened.")
    ballots: int = Field(description="Ballots cast so far (or in all, once closed).")
    turnout: str = Field(description="ballots / electorate, exactly (n/d).")
    outcome: str
    outcome_due: bool = Field(description="Closed without an outcome statement yet.")
    action: Gated | None = Field(description="What a pass allows, if anything.")
    target: str = Field(description="The exact thing decided (`accord.domain.mandates`).")
    carried_out: bool = Field(description="Whether the action a pass allowed has been done.")


class DecisionDetailOut(DecisionOut):
    tally: dict[str, Any] | None = Field(
        description="Counts and result (`accord.domain.voting`); while a secret ballot is "
        "open, null: a count that moves with each ballot would tell who voted what."
    )
    my_choice: dict[str, Any] | None = Field(description="The reader's own ballot, if any.")
    may_vote: bool
    why_not: str = Field(description="Why the reader may not vote now (empty if they may).")
    voters: list[VoterOut] | None = Field(
        description="An open ballot's voters the reader may see, with their choice; "
        "null for a secret ballot."
    )
    comments: list[DecisionCommentOut]


class DecisionRightOut(Schema):
    action: Gated
    label: str
    group: str | None = Field(description="The deciding group's slug; null: the community.")
    threshold: str
    quorum: str
    decision: int | None = Field(description="The decision that set it; null: the default.")
