"""API shapes for partners and their representatives; the inputs are the services' too."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from accord.people.schemas import WORD_MAX, MemberOut
from accord.web.inputs import KEY_MAX, Input


class PartnerIn(Input):
    name: str = Field(max_length=160, examples=["Lumen Software"])
    kind: str = Field(max_length=WORD_MAX, examples=["sponsor"])
    website: str = Field("", max_length=300)
    description: str = Field("", max_length=5000, description="Kept off the ledger (a hash).")


class PartnerPatch(Input):
    name: str | None = Field(None, max_length=160)
    kind: str | None = Field(None, max_length=WORD_MAX)
    website: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=5000)


class RepresentativeIn(Input):
    member: str = Field(
        max_length=KEY_MAX, description="The member's public handle (or, for staff, email)."
    )


class PartnerOut(Schema):
    slug: str
    name: str
    kind: str
    website: str
    description: str


class RepresentativeOut(Schema):
    partner: str
    member: str = Field(description="The representative's public handle: an office holder.")
    display_name: str
    since: datetime


class ContactOut(Schema):
    pseudonym: str
    display_name: str
    email: str


class PartnerMembersOut(Schema):
    partner: PartnerOut
    member_count: int | None = Field(
        description="How many members the community has; null when fewer than 10, or when, "
        "less the members listed here, it would tell how few did not share."
    )
    shared_profiles: list[MemberOut]
    contactable: list[ContactOut]


class AgreementIn(Input):
    partner: str = Field(max_length=KEY_MAX, description="The partner's slug.")
    title: str = Field(max_length=160, examples=["Student research placements"])
    purpose: str = Field(max_length=5000, description="The shared purpose: why we undertake it.")
    reasons: list[Annotated[str, Field(max_length=WORD_MAX)]] = Field(
        max_length=5,
        description="Which of the five reasons it serves: resources, member_benefits, "
        "influence, revenue, networks.",
    )
    member_needs: str = Field("", max_length=5000)
    target_level: int = Field(3, ge=1, le=5, description="The maturity level aimed for.")


class StatusIn(Input):
    status: str = Field(max_length=WORD_MAX, examples=["evaluating"])
    reason: str = Field(max_length=2000, description="Why (kept off the ledger, a hash).")


class MaturityIn(Input):
    level: int | None = Field(None, ge=1, le=5)
    target_level: int | None = Field(None, ge=1, le=5)
    reason: str = Field(max_length=2000, description="Why (kept off the ledger, a hash).")


class ScoreIn(Input):
    criterion: str = Field(max_length=WORD_MAX, examples=["vision"])
    score: int = Field(ge=1, le=5)
    note: str = Field("", max_length=2000)


class CriterionOut(Schema):
    criterion: str
    name: str
    question: str
    count: int
    mean: str | None = Field(description="An exact fraction, e.g. 7/2.")
    spread: int | None


class EvaluationOut(Schema):
    evaluators: int
    partial: int
    mean: str | None
    criteria: list[CriterionOut]
    activation_problems: list[str]
    flagged: int = Field(
        0,
        description="How many evaluators scored while holding an open disclosure on the "
        "partnership (their scores count, flagged).",
    )
    flagged_evaluators: list[str] | None = Field(
        None, description="Their public handles: for office holders only."
    )


class ChangeOut(Schema):
    field: str
    before: str
    after: str
    reason: str
    at: datetime


class AgreementOut(Schema):
    id: int
    partner: str
    title: str
    purpose: str
    reasons: list[str]
    member_needs: str
    status: str
    level: int
    level_label: str
    target_level: int
    changes: list[ChangeOut]
    evaluation: EvaluationOut | None = Field(
        description="For office holders and the partner's own representatives only."
    )


# -- updates channel --------------------------------------------------------------------------


class UpdateIn(Input):
    body: str = Field(max_length=5000, description="What the community or partner reports.")


class CommentIn(Input):
    body: str = Field(max_length=2000)


class CommentOut(Schema):
    id: int
    author: str = Field(
        description="The author's name where the reader may see it, else 'a member'."
    )
    body: str
    at: datetime
    mine: bool


class UpdateOut(Schema):
    id: int
    agreement: int
    side: str
    author: str = Field(description="The public handle of the steward or representative.")
    body: str
    posted_at: datetime
    comments: list[CommentOut] | None = Field(description="For signed-in readers only.")


# -- reciprocity ------------------------------------------------------------------------------

VALUE_MAX = 10**15  # minor units in one record: sums of thousands stay within 64 bits


class ValueIn(Input):
    kind: str = Field(max_length=WORD_MAX, examples=["training"])
    amount: int = Field(
        gt=0, le=VALUE_MAX, description="In the community's smallest unit (cents for EUR)."
    )
    on: date = Field(description="When the value was delivered or received (not in the future).")
    basis: str = Field(
        max_length=300,
        examples=["12 training hours at 40.00 an hour"],
        description="How the value is estimated (public).",
    )


class ValueLineOut(Schema):
    side: str = Field(description="to_members or to_partner.")
    kind: str
    amount: int
    on: date
    basis: str


class ReciprocityOut(Schema):
    delivered: int = Field(description="Value delivered to members, in minor units.")
    received: int = Field(description="Value the partner received, in minor units.")
    ratio: str | None = Field(description="Delivered over received, exact; null if nothing.")
    extractive: bool = Field(description="The partner gained more than members got back.")
    lines: list[ValueLineOut] = Field(description="Every input, dated, in date order.")


# -- risks and conflicts of interest ----------------------------------------------------------


class RiskIn(Input):
    category: str = Field(
        max_length=WORD_MAX,
        examples=["financial"],
        description="reputation, financial, external or operational.",
    )
    title: str = Field(max_length=160, examples=["The grant arrives late"])
    likelihood: int = Field(ge=1, le=5, description="How likely, 1 (rare) to 5 (almost sure).")
    impact: int = Field(ge=1, le=5, description="How bad if it happens, 1 to 5.")
    mitigation: str = Field("", max_length=5000, description="Kept off the ledger (a hash).")
    owner: str = Field(
        "",
        max_length=KEY_MAX,
        description="The public handle of the office holder who owns it; give this or "
        "owner_label, not both.",
    )
    owner_label: str = Field(
        "",
        max_length=160,
        description="The party that owns it, as a label (e.g. the partner's events team).",
    )


class RiskPatch(Input):
    category: str | None = Field(None, max_length=WORD_MAX)
    title: str | None = Field(None, max_length=160)
    likelihood: int | None = Field(None, ge=1, le=5)
    impact: int | None = Field(None, ge=1, le=5)
    mitigation: str | None = Field(None, max_length=5000)
    owner: str | None = Field(None, max_length=KEY_MAX, description="An office holder's handle.")
    owner_label: str | None = Field(None, max_length=160, description="Or a party's label.")
    status: str | None = Field(None, max_length=WORD_MAX, examples=["mitigated"])


class RiskOut(Schema):
    id: int
    agreement: int
    category: str
    title: str
    likelihood: int
    impact: int
    severity: int = Field(description="Likelihood x impact, 1 to 25.")
    band: str = Field(description="low (1-4), medium (5-9), high (10-16), critical (20-25).")
    mitigation: str
    owner: str | None = Field(description="The owning office holder's public handle.")
    owner_label: str
    status: str
    raised_at: datetime
    updated_at: datetime


class DisclosureIn(Input):
    interest: str = Field(
        max_length=2000,
        description="The interest declared; public on Accord by design (the ledger keeps a hash).",
    )


class DisclosureCloseIn(Input):
    reason: str = Field(
        max_length=2000, description="Why it no longer applies (a hash in the ledger)."
    )


class DisclosureOut(Schema):
    id: int
    agreement: int
    discloser: str | None = Field(
        description="The discloser's public handle; null once they no longer hold an office."
    )
    role: str = Field(description="The office they held when declaring.")
    interest: str
    declared_at: datetime
    open: bool
    closed_at: datetime | None
    closed_reason: str


# -- offerings ---------------------------------------------------------------------------


class OfferingIn(Input):
    partner: str = Field(max_length=KEY_MAX, description="The partner's slug.")
    agreement: int | None = Field(None, ge=1, le=2**63 - 1, description="An agreement id.")
    kind: str = Field(max_length=WORD_MAX, examples=["discount"])
    title: str = Field(max_length=160, examples=["20% off conference tickets"])
    description: str = Field("", max_length=5000)
    eligibility: str = Field(max_length=2000, examples=["Members of six months or more"])
    value: str = Field(
        max_length=40,
        examples=["25.00"],
        description="The stated value, exact, in the community currency.",
    )


class ClaimIn(Input):
    kind: str = Field("claim", max_length=WORD_MAX, description="claim or interest")


class ReviewIn(Input):
    rating: int = Field(ge=1, le=5)
    text: str = Field("", max_length=2000)


class OfferingOut(Schema):
    id: int
    partner: str
    partner_name: str
    agreement: int | None
    kind: str
    title: str
    description: str
    eligibility: str
    value: str
    currency: str
    is_open: bool
    created_at: datetime


class ReviewOut(Schema):
    reviewer: str | None = Field(description="Their name, when the reader may see them.")
    rating: int
    text: str
    at: datetime
    mine: bool


class OfferingDetailOut(OfferingOut):
    reviews: list[ReviewOut]
    my_claim: str | None
    my_review: int | None


class ClaimOut(Schema):
    offering: int
    kind: str
    at: datetime


class UptakeNameOut(Schema):
    name: str
    pseudonym: str
    kind: str


class UptakeOut(Schema):
    offering: int
    title: str
    is_open: bool
    counts: dict[str, int | None] = Field(
        description="People not named below, per kind (claim others, interest others); "
        "null when hidden (fewer than 10, or so that a hidden count cannot be worked out)."
    )
    total: int | None
    named: list[UptakeNameOut]
