"""Demo partnerships: agreements with partners of all eight types at different maturity
levels and targets, a prospect pipeline, completed and in-progress evaluations, and the
updates channel with members' comments, and reciprocity inputs (one partnership gives
members less than the partner gains), all through the same services as the app.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from accord.domain.partnerships import CRITERIA
from accord.partners import services
from accord.partners.models import Agreement, Partner
from accord.partners.schemas import (
    AgreementIn,
    CommentIn,
    MaturityIn,
    ScoreIn,
    StatusIn,
    UpdateIn,
    ValueIn,
)
from accord.people.models import Member


@dataclass(frozen=True)
class Plan:
    """One demo agreement: how far along it is."""

    partner: str  # slug
    title: str
    purpose: str
    reasons: list[str]
    member_needs: str
    target: int
    status: str  # where it ends up
    level: int = 1
    scores: tuple[int, ...] = ()  # each evaluator's typical score (evaluations)


PLANS = [
    Plan(
        "northbridge-university",
        "Student research placements",
        "Members mentor students; students research the questions members raise.",
        ["networks", "member_benefits"],
        "Evidence for the community's advocacy; mentoring experience.",
        target=5,
        status="active",
        level=4,
        scores=(5, 4, 4),
    ),
    Plan(
        "civic-futures-foundation",
        "Community grants programme",
        "The foundation funds member-led projects the community chooses.",
        ["resources", "revenue"],
        "Seed money for projects members run.",
        target=3,
        status="active",
        level=3,
        scores=(4, 4),
    ),
    Plan(
        "lumen-software",
        "Tooling discount",
        "Members get the vendor's tools at cost; the vendor hears what members need.",
        ["member_benefits"],
        "Affordable tools for small practices.",
        target=2,  # a transactional relationship is the chosen end state
        status="active",
        level=2,
        scores=(4, 4),
    ),
    Plan(
        "harbour-community-radio",
        "Members' voices on air",
        "A monthly programme where members explain their work to the public.",
        ["influence", "networks"],
        "Visibility for members' work.",
        target=3,
        status="evaluating",
        scores=(3,),  # one evaluator so far: the evaluation is in progress
    ),
    Plan(
        "brightwell-industries",
        "Annual conference sponsorship",
        "The sponsor funds the annual conference and the community's travel grants.",
        ["revenue", "resources"],
        "Affordable conference places; travel grants.",
        target=3,
        status="active",
        level=2,
        scores=(4, 4, 3),
    ),
    Plan(
        "guild-of-practitioners",
        "Shared standards working group",
        "Two associations agree common practice standards for their members.",
        ["influence", "networks"],
        "One set of standards instead of two.",
        target=4,
        status="evaluating",
    ),
    Plan(
        "regional-skills-agency",
        "Apprenticeship pilot",
        "The agency funds apprenticeships hosted by members' organisations.",
        ["resources", "member_benefits"],
        "Trainees and funding for hosting them.",
        target=3,
        status="prospect",
    ),
    Plan(
        "eastside-neighbourhood-trust",
        "Neighbourhood repair days",
        "Members volunteer at the trust's repair days; the trust lends its workshop.",
        ["networks"],
        "A workshop space; volunteering close to home.",
        target=2,
        status="prospect",
    ),
]

SPREAD = [0, 1, -1, 0, 0, 1, -1, 0, 0, 0]  # one per criterion; sums to 0

UPDATES = [
    ("community", "The first cohort of twelve placements is matched with mentors."),
    ("partner", "Our students presented their first findings at the faculty seminar."),
]
# (partner, kind, amount in cents, days ago, basis): what members got back and what the
# partner gained; the vendor's partnership is extractive (fees above what members get)
VALUES = [
    ("northbridge-university", "training", 480_000, 200, "120 mentoring hours at 40.00"),
    ("northbridge-university", "member_reported", 150_000, 90, "Survey of placement hosts"),
    ("northbridge-university", "exposure", 200_000, 150, "Logo on the annual report"),
    ("civic-futures-foundation", "services", 300_000, 120, "Grant-writing clinic"),
    ("civic-futures-foundation", "exposure", 100_000, 100, "Named in grant notices"),
    ("lumen-software", "services", 120_000, 60, "Discounted licences, 30 members"),
    ("lumen-software", "fees", 410_000, 45, "Fees members paid for add-ons"),
    ("lumen-software", "contacts", 50_000, 30, "Sales contacts with consenting members"),
    ("brightwell-industries", "services", 600_000, 80, "Conference places and travel grants"),
    ("brightwell-industries", "exposure", 350_000, 80, "Headline sponsor of the conference"),
    ("brightwell-industries", "involvement", 100_000, 75, "Two sessions at the conference"),
]

COMMENTS = ["This helped my team a lot.", "Could the next cohort include evening sessions?"]


def seed_partnerships(
    *,
    people: list[Member],
    steward: Member,
    evaluators: list[Member],
    rng: random.Random,
    today: date,
) -> list[Agreement]:
    """Agreements of every stage with the demo's partners, what each gave and got (one is
    extractive), and one partnership's updates."""
    made = [_agreement(plan, steward, evaluators, rng) for plan in PLANS]
    by_partner = {a.partner.slug: a for a in made}
    for slug, kind, amount, days_ago, basis in VALUES:
        services.record_value(
            steward,
            by_partner[slug].pk,
            ValueIn(kind=kind, amount=amount, on=today - timedelta(days=days_ago), basis=basis),
        )
    flagship = made[0]
    rep = flagship.partner.representatives.select_related("member").first()
    for side, body in UPDATES:
        author = rep.member if side == "partner" and rep is not None else steward
        update = services.post_update(author, flagship.pk, UpdateIn(body=body))
        for commenter, text in zip(rng.sample(people, len(COMMENTS)), COMMENTS, strict=True):
            services.comment_on_update(commenter, update.pk, CommentIn(body=text))
    return made


def _agreement(
    plan: Plan, steward: Member, evaluators: list[Member], rng: random.Random
) -> Agreement:
    partner = Partner.objects.get(slug=plan.partner)
    agreement = services.create_agreement(
        steward,
        AgreementIn(
            partner=partner.slug,
            title=plan.title,
            purpose=plan.purpose,
            reasons=plan.reasons,
            member_needs=plan.member_needs,
            target_level=plan.target,
        ),
    )
    if plan.status == "prospect":
        return agreement
    services.change_agreement_status(
        steward, agreement.pk, StatusIn(status="evaluating", reason="First meetings went well.")
    )
    for evaluator, typical in zip(evaluators, plan.scores, strict=False):
        spread = rng.sample(SPREAD, len(SPREAD))  # varies by criterion, keeps the mean
        for criterion, delta in zip(CRITERIA, spread, strict=True):
            score = max(1, min(5, typical + delta))
            services.score_agreement(
                evaluator,
                agreement.pk,
                ScoreIn(criterion=criterion.key, score=score, note="Discussed at the review."),
            )
    if plan.status == "active":
        services.change_agreement_status(
            steward, agreement.pk, StatusIn(status="active", reason="The evaluation passed.")
        )
        if plan.level > 1:
            services.set_agreement_maturity(
                steward,
                agreement.pk,
                MaturityIn(
                    level=plan.level,
                    target_level=None,
                    reason="Where the relationship stands today.",
                ),
            )
    return agreement
