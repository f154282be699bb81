"""Demo partnerships: agreements with partners of all eight types at different maturity
levels and targets, a prospect pipeline, completed and in-progress evaluations, and the
updates channel with members' comments, and reciprocity inputs (one partnership gives
members less than the partner gains); goals with readings, commitments, and partner money
received over two years (the sponsor provides most of it: a community that depends on one
source), risks, a disclosure, and offerings with uptake and reviews, all through the same
services as the app.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from accord.benefits import services as benefits
from accord.benefits.models import Method
from accord.benefits.schemas import CommitIn, FundIn, PoolIn
from accord.contributions.models import PolicyVersion
from accord.demo.decided import carried_out
from accord.domain.mandates import Gated
from accord.domain.partnerships import CRITERIA
from accord.partners import services
from accord.partners.models import Agreement, Partner
from accord.partners.schemas import (
    AgreementIn,
    ClaimIn,
    CommentIn,
    CommitmentIn,
    DisclosureIn,
    FulfilmentIn,
    GoalIn,
    MaturityIn,
    OfferingIn,
    PartnerContactIn,
    PoolFundingIn,
    ReadingIn,
    ReviewIn,
    RiskIn,
    ScoreIn,
    StatusIn,
    UpdateIn,
    ValueIn,
)
from accord.people.models import ConsentSource, Member, SiteRole
from accord.people.services import grant_partner_consent


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

# (partner, goal, metric, unit, baseline, target, readings): the active agreements' goals
GOALS = [
    ("northbridge-university", "Member engagement", "members mentoring students", "members",
     "10", "60", ("24", "41")),
    ("civic-futures-foundation", "Projects funded", "member-led projects funded", "projects",
     "0", "12", ("3", "7")),
    ("lumen-software", "Members using the tools", "members on a discounted licence", "members",
     "0", "80", ("30", "34")),
    ("brightwell-industries", "Conference places", "members at the conference", "members",
     "40", "200", ("95", "150")),
]  # fmt: skip
# (partner, commitment, payments as (amount, days ago)): financial support the partners
# paid over the last two years, 200,000.00 in all, 65% of it from the sponsor
INCOME = [
    ("brightwell-industries", "Headline sponsorship of two annual conferences", "130000.00",
     (("60000.00", 610), ("70000.00", 245))),
    ("civic-futures-foundation", "The community grants fund", "45000.00",
     (("25000.00", 540), ("15000.00", 150))),
    ("northbridge-university", "Placement coordination", "20000.00",
     (("12000.00", 420), ("8000.00", 60))),
    ("lumen-software", "Support for the members' tooling days", "10000.00",
     (("10000.00", 330),)),
]  # fmt: skip
# (partner, kind, title, value, claims, interests, named, reviews): one below 10 (hidden);
# `named` claimants share who they are with the partner (10 at the sponsor, so its members'
# consented contacts and its offering's use show in the partnership's reciprocity)
OFFERINGS = [
    ("brightwell-industries", "event", "Conference places at half price", "120.00", 22, 10, 10,
     ((5, "Well organised, and the travel grant made it possible."), (4, ""), (3, "Crowded."))),
    ("northbridge-university", "education", "Evening course in data analysis", "300.00", 9, 5,
     4, ((5, "Excellent teachers."), (4, "Hard but worth it."))),
    ("lumen-software", "discount", "Tooling licence at cost", "40.00", 4, 2, 4,
     ((2, "The add-ons cost more than the discount saves."),)),
]  # fmt: skip

COMMENTS = ["This helped my team a lot.", "Could the next cohort include evening sessions?"]
# (partner, name, role, email, phone): the people at three partners the community writes to
CONTACTS = [
    ("northbridge-university", "Dr Amara Osei", "Head of community partnerships",
     "a.osei@northbridge.example", "+44 20 7946 0100"),
    ("northbridge-university", "Tom Reyes", "Placements officer",
     "placements@northbridge.example", ""),
    ("brightwell-industries", "Ines Varga", "Sponsorship manager",
     "ines.varga@brightwell.example", "+44 20 7946 0211"),
    ("lumen-software", "Kai Lindqvist", "Account manager, associations",
     "kai@lumen.example", ""),
]  # fmt: skip


def seed_partnerships(
    *,
    people: list[Member],
    steward: Member,
    evaluators: list[Member],
    rng: random.Random,
    today: date,
    treasurer: Member | None = None,
    auditor: Member | None = None,
) -> list[Agreement]:
    """Agreements of every stage with the demo's partners, what each gave and got (one is
    extractive), one partnership's updates and the people at three partners to write to;
    with a treasurer and an auditor also the agreements' bodies, the money partners paid,
    the registers and the offerings."""
    made = [_agreement(plan, steward, evaluators, rng) for plan in PLANS]
    for slug, name, role, email, phone in CONTACTS:
        services.add_partner_contact(
            steward, slug, PartnerContactIn(name=name, role=role, email=email, phone=phone)
        )
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
    if treasurer is not None and auditor is not None:
        _seed_bodies(by_partner, steward, treasurer, today)
        _seed_registers(by_partner, steward, treasurer, auditor)
        _seed_offerings(by_partner, people, steward, rng)
        _seed_partner_grants(by_partner, steward, treasurer)
    return made


def _seed_bodies(
    by_partner: dict[str, Agreement], steward: Member, treasurer: Member, today: date
) -> None:
    """Goals with readings for the active agreements, a community commitment delivered,
    and the partners' financial support with the money received against it."""
    for slug, name, metric, unit, baseline, target, readings in GOALS:
        goal = services.add_goal(
            steward,
            by_partner[slug].pk,
            GoalIn(
                name=name,
                metric=metric,
                unit=unit,
                baseline=baseline,
                target=target,
                starts_on=today - timedelta(days=365),
                due_on=today + timedelta(days=365),
            ),
        )
        for days_ago, value in zip((200, 30), readings, strict=True):
            services.record_reading(
                steward, goal.pk, ReadingIn(value=value, on=today - timedelta(days=days_ago))
            )
    hosting = services.add_commitment(
        steward,
        by_partner["northbridge-university"].pk,
        CommitmentIn(
            party="community",
            kind="expertise",
            description="Members mentor each placement student for a semester.",
            amount="",
            due_on=today + timedelta(days=120),
        ),
    )
    services.record_fulfilment(
        steward,
        hosting.pk,
        FulfilmentIn(
            amount="",
            on=today - timedelta(days=20),
            note="Twelve mentors matched.",
            completes=True,
            key="",
        ),
    )
    for slug, description, promised, payments in INCOME:
        commitment = services.add_commitment(
            steward,
            by_partner[slug].pk,
            CommitmentIn(
                party="partner",
                kind="financial",
                description=description,
                amount=promised,
                due_on=today + timedelta(days=180),
            ),
        )
        for amount, days_ago in payments:
            services.record_fulfilment(
                treasurer,
                commitment.pk,
                FulfilmentIn(
                    amount=amount,
                    on=today - timedelta(days=days_ago),
                    note="",
                    completes=False,
                    key=f"demo-{slug}-{days_ago}",
                ),
            )


def _seed_registers(
    by_partner: dict[str, Agreement], steward: Member, treasurer: Member, auditor: Member
) -> None:
    """Risks on two partnerships and the auditor's open disclosure on one."""
    services.add_risk(
        steward,
        by_partner["brightwell-industries"].pk,
        RiskIn(
            category="financial",
            title="Most of our partner income comes from one sponsor",
            likelihood=3,
            impact=5,
            mitigation="Grow the foundation and university support; keep a reserve.",
            owner=treasurer.pseudonym,
            owner_label="",
        ),
    )
    services.add_risk(
        steward,
        by_partner["lumen-software"].pk,
        RiskIn(
            category="reputation",
            title="Members feel the discount is a sales channel",
            likelihood=3,
            impact=3,
            mitigation="Publish the fees members pay; review the terms at the next review.",
            owner="",
            owner_label="Lumen Software's account team",
        ),
    )
    services.disclose_interest(
        auditor,
        by_partner["lumen-software"].pk,
        DisclosureIn(interest="A close relative works in Lumen Software's sales team."),
    )


def _seed_offerings(
    by_partner: dict[str, Agreement], people: list[Member], steward: Member, rng: random.Random
) -> None:
    """Three partners' offerings taken up by members (one by fewer than 10, so its counts
    stay hidden), a few reviews, and some claimants sharing who they are with the partner."""
    takers = [m for m in people if m.role == SiteRole.MEMBER]
    for slug, kind, title, value, claims, interests, named, reviews in OFFERINGS:
        agreement = by_partner[slug]
        offering = services.create_offering(
            steward,
            OfferingIn(
                partner=slug,
                agreement=agreement.pk,
                kind=kind,
                title=title,
                description=f"Offered to members under “{agreement.title}”.",
                eligibility="Every member.",
                value=value,
            ),
        )
        chosen = rng.sample(takers, min(len(takers), claims + interests))  # a small demo
        for i, member in enumerate(chosen):
            answer = "claim" if i < claims else "interest"
            services.claim_offering(member, offering.pk, ClaimIn(kind=answer))
        for member, (rating, text) in zip(chosen, reviews, strict=False):
            services.review_offering(member, offering.pk, ReviewIn(rating=rating, text=text))
        for member in chosen[:named]:
            grant_partner_consent(member, slug, source=ConsentSource.DEMO)


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
        carried_out(
            steward,
            Gated.ACTIVATE_PARTNERSHIP,
            subject=agreement.pk,
            voters=evaluators,
            title=f"Activate the partnership “{plan.title}”",
            outcome="The evaluation passed and the members agreed: the partnership is active.",
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


PARTNER_GRANTS = 300_000  # cents the community fund pays into last year's learning grants
# the partner that also gives straight into those grants, and how much
DIRECT_FUNDER, DIRECT_FUNDING = "civic-futures-foundation", "2000.00"


def _seed_partner_grants(
    by_partner: dict[str, Agreement], steward: Member, treasurer: Member
) -> None:
    """Learning grants for last year's work, paid from the community fund (money partners
    paid in) and by the foundation straight into the pool, and committed: the partners'
    money reaches members, and each partnership's reciprocity counts what of its partner's
    money did."""
    v2, v3 = PolicyVersion.objects.order_by("effective_from")[1:3]
    pool = benefits.create_pool(
        steward,
        PoolIn(
            name="Partner-funded learning grants",
            unit="EUR",
            method=Method.BALANCED,
            period_start=v2.effective_from,
            period_end=v3.effective_from - timedelta(days=1),
            policy=v2.version,
            minimum_payout=2_500,
            formats=["bank transfer", "course fees paid"],
            description="Grants for members' learning, paid from the money partners gave the "
            "community fund.",
        ),
    )
    benefits.fund_pool(
        treasurer,
        pool.slug,
        FundIn(
            amount=PARTNER_GRANTS,
            source="Community fund",
            key=f"demo:{pool.slug}",
            from_community_fund=True,
        ),
    )
    services.fund_pool_from_partnership(
        treasurer,
        by_partner[DIRECT_FUNDER].pk,
        PoolFundingIn(pool=pool.slug, amount=DIRECT_FUNDING, on=None, key=f"demo:{pool.slug}"),
    )
    benefits.commit_distribution(treasurer, pool.slug, CommitIn(key=f"demo:{pool.slug}:1"))
