"""API shapes for partners and their representatives; the inputs are the services' too."""

from datetime import date, datetime
from typing import Annotated

from ninja import Field, Schema

from accord.people.schemas import WORD_MAX, MemberOut
from accord.web.inputs import KEY_MAX, Id, Input


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
    decision: Id | None = Field(
        default=None,
        description="Activating or ending: the passed decision that decided it.",
    )


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
    comments: list[CommentOut] | None = Field(
        description="For signed-in readers only: the newest 50, oldest first."
    )
    earlier_comments: int = Field(0, description="How many older comments are not listed.")


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
    lines: list[ValueLineOut] = Field(
        description="Every input, dated, in date order: those stewards recorded, and those "
        "read from where they happen (kind distribution: partner money paid to members; "
        "offering: offerings members claimed, at stated value; consented_contacts: members "
        "sharing who they are with the partner, at ACCORD_CONTACT_VALUE each)."
    )
    withheld: int = Field(
        0,
        description="Inputs read from where they happen that are left out of the lines and "
        "the totals because each is about fewer than 10 people.",
    )


# -- revenue diversification ---------------------------------------------------------------


class RevenueLineOut(Schema):
    key: str = Field(description="The partner's slug, or the partner type.")
    name: str
    partner_type: str
    amounts: list[int] = Field(description="Income per period, in minor units.")
    total: int = Field(description="Income over all periods, in minor units.")
    share: str = Field(description="Its share of all partner income, exact (e.g. 13/20).")


class RevenueOut(Schema):
    currency: str
    by: str = Field(description="year or quarter.")
    periods: list[str]
    partners: list[RevenueLineOut]
    partner_types: list[RevenueLineOut]
    totals: list[int] = Field(description="All partner income per period, in minor units.")
    total: int
    largest: str | None = Field(description="The slug of the largest source.")
    largest_share: str = Field(description="Its share of the total, exact.")
    index: str = Field(description="Herfindahl index: the sum of squared shares, exact.")
    effective_sources: str | None = Field(description="1 / index, exact; null if no income.")
    threshold: str = Field(description="The share above which the community is warned.")
    warning: bool = Field(description="The largest source's share exceeds the threshold.")


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


# -- goals and commitments ---------------------------------------------------------------------

NUMBER_MAX = 40  # a metric's value or an amount, as text: longer than any real one


class GoalIn(Input):
    name: str = Field(max_length=160, examples=["Member engagement"])
    metric: str = Field(max_length=300, examples=["members taking part in the partnership"])
    unit: str = Field(max_length=32, examples=["members"])
    baseline: str = Field("0", max_length=NUMBER_MAX, description="A decimal, e.g. 12.5.")
    target: str = Field(max_length=NUMBER_MAX, description="A decimal, e.g. 120.")
    starts_on: date | None = Field(None, description="Defaults to today.")
    due_on: date


class ReadingIn(Input):
    value: str = Field(max_length=NUMBER_MAX, description="A decimal, e.g. 42 or 42.5.")
    on: date | None = Field(None, description="The date the value is for; defaults to today.")


class CommitmentIn(Input):
    party: str = Field(max_length=WORD_MAX, description="community or partner")
    kind: str = Field(
        max_length=WORD_MAX,
        description="financial, expertise, technology, staff, in_kind or events",
    )
    description: str = Field(max_length=2000)
    amount: str = Field(
        "",
        max_length=NUMBER_MAX,
        description="Financial support only: in the community's currency, e.g. 1500.00.",
    )
    due_on: date


class FulfilmentIn(Input):
    amount: str = Field(
        "", max_length=NUMBER_MAX, description="Financial support only: the amount received."
    )
    on: date | None = Field(None, description="When it was delivered; defaults to today.")
    note: str = Field("", max_length=2000, description="Kept off the ledger (a hash).")
    completes: bool = Field(False, description="Non-financial: this delivery completes it.")
    key: str = Field(
        "", max_length=KEY_MAX, description="Idempotency key for money received (optional)."
    )


class PoolFundingIn(Input):
    pool: str = Field(max_length=KEY_MAX, description="The pool's slug.")
    amount: str = Field(
        max_length=NUMBER_MAX, description="In the community's currency, e.g. 500.00."
    )
    on: date | None = Field(None, description="When the partner gave it; defaults to today.")
    key: str = Field(
        "", max_length=KEY_MAX, description="Idempotency key: a retry with it lands once."
    )


class PoolFundingOut(Schema):
    id: int
    agreement: int
    partner: str = Field(description="The partner's slug.")
    pool: str = Field(description="The pool's slug.")
    amount: str = Field(description="E.g. '500.00 EUR'.")
    minor_units: int
    on: date


class ReadingOut(Schema):
    value: str
    on: date


class GoalOut(Schema):
    id: int
    name: str
    metric: str
    unit: str
    baseline: str
    target: str
    starts_on: date
    due_on: date
    latest: str | None
    percent: int = Field(description="Share of the way from baseline to target, 0-100.")
    state: str = Field(description="no_reading, on_track, behind, met or missed.")
    readings: list[ReadingOut]


class FulfilmentOut(Schema):
    amount: str | None
    on: date
    note: str
    completes: bool


class CommitmentOut(Schema):
    id: int
    party: str
    kind: str
    description: str
    amount: str | None = Field(description="Financial support: e.g. '1500.00 EUR'.")
    received: str | None
    outstanding: str | None
    due_on: date
    complete: bool
    fulfilments: list[FulfilmentOut]


class SuggestionOut(Schema):
    key: str
    name: str
    metric: str
    unit: str


class BodyOut(Schema):
    agreement: int
    goals: list[GoalOut]
    suggested_goals: list[SuggestionOut] = Field(description="Offered while there are no goals.")
    commitments: list[CommitmentOut]


class AgreementReviewIn(Input):
    every_months: int | None = Field(
        None, ge=1, le=60, description="The review cadence in months (unchanged if absent)."
    )
    reviewed_on: date | None = Field(None, description="Record a review held on this date.")


class AmendmentIn(Input):
    purpose: str | None = Field(None, max_length=5000, description="The new shared purpose.")
    member_needs: str | None = Field(None, max_length=5000, description="The new member needs.")
    summary: str = Field(
        max_length=2000, description="What changed and why (a hash in the ledger)."
    )


class AgreementReviewOut(Schema):
    every_months: int | None
    last_reviewed_on: date | None
    next_review_on: date | None = Field(
        description="The cadence after the last review, or after activation."
    )
    due: bool


class VersionOut(Schema):
    number: int
    purpose: str
    member_needs: str
    summary: str
    at: datetime
    by: str | None = Field(description="The public handle of the steward who amended it.")


class AgreementBodyOut(BodyOut):
    review: AgreementReviewOut
    versions: list[VersionOut] = Field(description="Version 1 is the text first recorded.")
    roles: list["RoleOut"] = Field(description="Who leads and who decides, per party and area.")
    documents: list["DocumentOut"] = Field(
        description="For office holders and the partner's own representatives only."
    )


class RoleIn(Input):
    party: str = Field(max_length=WORD_MAX, description="community or partner")
    area: str = Field(max_length=160, examples=["Programme content"])
    leads: str = Field(max_length=300, description="Who leads the work in this area.")
    decides: str = Field(max_length=300, description="Who decides in this area.")


class RoleOut(Schema):
    party: str
    area: str
    leads: str
    decides: str
    set_at: datetime


class DocumentIn(Input):
    """A file to attach (the API takes it as a multipart upload)."""

    name: str = Field(max_length=160)
    content: bytes = Field(description="The file's bytes (checked: size and type).")


class DocumentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    attached_at: datetime


# -- partner contacts --------------------------------------------------------------------------


class PartnerContactIn(Input):
    name: str = Field(max_length=160, examples=["Dana Okafor"])
    role: str = Field(max_length=160, examples=["Partnerships manager"])
    email: str = Field(max_length=254, examples=["dana.okafor@lumen.example"])
    phone: str = Field("", max_length=40, examples=["+44 20 7946 0958"])


class PartnerContactPatch(Input):
    name: str | None = Field(None, max_length=160)
    role: str | None = Field(None, max_length=160)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40, description="Empty to clear.")


class PartnerContactOut(Schema):
    id: int
    partner: str = Field(description="The partner's slug.")
    name: str
    role: str
    email: str
    phone: str
