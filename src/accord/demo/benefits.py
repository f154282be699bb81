"""Demo contributions, policy versions, pools and committed distributions.

Two years of contributions of every kind, three published policy versions, and pools in
money and in non-monetary units using all three methods; the past rounds are committed,
with statements, members' choices and payouts, all through the same services as the app.
"""

import random
from datetime import date, datetime, timedelta

from django.db import transaction
from rich.console import Console

from accord.benefits import services as benefits
from accord.benefits.models import Choice, Method, Statement
from accord.benefits.schemas import ChoiceIn, CommitIn, FundIn, PaidIn, PoolIn
from accord.contributions import services as contributions
from accord.contributions.models import Contribution, Kind, PolicyVersion, Status
from accord.contributions.schemas import PolicyIn
from accord.contributions.seeding import seed_policy_history
from accord.demo import policies
from accord.ledger import services as ledger
from accord.people.models import Group, Member, SiteRole

# At most this many members contribute, so a 100,000-member demo still seeds quickly.
CONTRIBUTORS = 1_500

TITLES = {
    Kind.CONTENT: ["Wrote the newsletter feature", "Recorded a how-to video", "Blog post"],
    Kind.EVENT_ORGANISATION: ["Organised the spring meetup", "Ran the hackathon venue"],
    Kind.ADVISORY: ["Advised the partnership review", "Sat on the grants panel"],
    Kind.MENTORING: ["Mentored two newcomers", "Ran office hours for students"],
    Kind.MODERATION: ["Moderated the forum for a month", "Handled reported posts"],
    Kind.ANSWERING: ["Answered questions in the help channel", "Wrote FAQ answers"],
    Kind.RESEARCH: ["Member needs survey analysis", "Literature review for the pilot"],
    Kind.CODE: ["Fixed the events calendar", "Built the volunteer rota tool"],
    Kind.OTHER: ["Translated the welcome pack", "Photographed the annual meeting"],
}


def seed_benefits(
    *,
    people: list[Member],
    steward: Member,
    treasurer: Member,
    demo_member: Member,
    rng: random.Random,
    today: date,
    console: Console,
) -> None:
    versions = _publish_policies(steward, today)
    with console.status("Contributions"):
        _seed_contributions(people, steward, demo_member, rng=rng, today=today)
    with console.status("Pools and distributions"):
        _seed_pools(steward, treasurer, demo_member, rng, today, versions)


def _publish_policies(steward: Member, today: date) -> list[PolicyVersion]:
    """The versions in force over the last two years, seeded as history: a steward's
    `publish_policy` only takes versions that take effect today or later."""
    starts = [today - timedelta(days=730), today - timedelta(days=365), today - timedelta(days=90)]
    return [
        seed_policy_history(
            steward,
            PolicyIn(
                document=policies.version(n), effective_from=start, reason=policies.REASONS[n]
            ),
        )
        for n, start in zip((1, 2, 3), starts, strict=True)
    ]


def _seed_contributions(
    people: list[Member],
    steward: Member,
    demo_member: Member,
    *,
    rng: random.Random,
    today: date,
) -> None:
    contributors = [demo_member] + [
        m
        for m in rng.sample(people, min(CONTRIBUTORS, len(people)))
        if m.pk != demo_member.pk and m.role == SiteRole.MEMBER
    ]
    groups = list(Group.objects.order_by("pk"))
    kinds = list(Kind)
    rows = []
    for member in contributors:
        for _ in range(rng.randint(3, 9) if member is demo_member else rng.randint(1, 8)):
            kind = rng.choice(kinds)
            when = today - timedelta(days=rng.randint(1, 729))
            roll = rng.random()
            status = (
                Status.VERIFIED
                if roll < 0.8
                else Status.PENDING
                if roll < 0.9
                else Status.REJECTED
                if roll < 0.97
                else Status.DISPUTED
            )
            rows.append(
                Contribution(
                    member=member,
                    kind=kind,
                    title=rng.choice(TITLES[kind]),
                    date=when,
                    hours_h100=rng.choice([50, 100, 150, 200, 300, 400, 600, 800, 1200, 2500]),
                    level=rng.randint(1, 5),
                    group=rng.choice(groups) if rng.random() < 0.6 else None,
                    status=status,
                    impact=rng.randint(1, 5) if status == Status.VERIFIED else None,
                    reviewer=steward if status != Status.PENDING else None,
                    reviewed_at=datetime.combine(when, datetime.min.time()).astimezone()
                    if status != Status.PENDING
                    else None,
                    review_note="No evidence link yet."
                    if status in (Status.REJECTED, Status.DISPUTED)
                    else "",
                    dispute_reason="The link is in the description."
                    if status == Status.DISPUTED
                    else "",
                )
            )
    with transaction.atomic():
        created = Contribution.objects.bulk_create(rows, batch_size=2000)
        if created and created[0].pk is None:
            created = list(Contribution.objects.order_by("pk"))
        records = []
        for c in created:
            records += contributions.ledger_records(c, recorded_by=c.member, reviewed_by=steward)
        ledger.append_many(records)


def _seed_pools(  # noqa: PLR0917 - the demo's cast and its clock
    steward: Member,
    treasurer: Member,
    demo_member: Member,
    rng: random.Random,
    today: date,
    versions: list[PolicyVersion],
) -> None:
    v1, v2, v3 = versions
    year = timedelta(days=365)
    groups = list(Group.objects.filter(parent__isnull=True).order_by("pk"))
    pools = [
        (
            PoolIn(
                name="Northbridge research grants",
                unit="EUR",
                method=Method.IMMEDIATE,
                period_start=today - 2 * year,
                period_end=today - year - timedelta(days=1),
                policy=v1.version,
                minimum_payout=1_000,
                formats=["bank transfer", "book vouchers"],
                description="Northbridge University shares its research budget with members "
                "whose work fed its projects.",
            ),
            600_000,
            "Northbridge University",
        ),
        (
            PoolIn(
                name="Training credits",
                unit="training_credit",
                method=Method.RECENT,
                half_life_days=90,
                period_start=today - year,
                period_end=today - timedelta(days=91),
                policy=v2.version,
                formats=["training_credit", "mentoring session"],
                description="Course credits from Lumen Software, weighted toward recent work.",
            ),
            400,
            "Lumen Software",
        ),
        (
            PoolIn(
                name="Conference tickets",
                unit="event_ticket",
                method=Method.BALANCED,
                period_start=v3.effective_from,
                period_end=today - timedelta(days=1),
                policy=v3.version,
                member_cap=2,
                formats=["event_ticket", "online pass"],
                eligible_groups=[g.slug for g in groups[:2]],
                description="Tickets to the Civic Futures conference, first to those who have "
                "received least so far.",
            ),
            40,
            "Civic Futures Foundation",
        ),
        (
            PoolIn(
                name="Community micro-grants",
                unit="EUR",
                method=Method.BALANCED,
                period_start=v2.effective_from,
                period_end=v3.effective_from - timedelta(days=1),
                policy=v2.version,
                minimum_payout=2_500,
                member_cap=40_000,
                formats=["bank transfer"],
                description="Small grants from the community fund for members' projects.",
            ),
            750_000,
            "Community fund",
        ),
        (
            PoolIn(
                name="Featured spots",
                unit="featured_spot",
                method=Method.IMMEDIATE,
                period_start=today - timedelta(days=90),
                period_end=today + timedelta(days=90),
                policy=v3.version,
                member_cap=1,
                formats=["anonymous showcase", "newsletter feature", "homepage feature"],
                publishing_formats=["newsletter feature", "homepage feature"],
                description="Spots in Harbour Community Radio's member showcase "
                "(round still open).",
            ),
            12,
            "Harbour Community Radio",
        ),
    ]
    for data, amount, source in pools:
        pool = benefits.create_pool(steward, data)
        benefits.fund_pool(
            treasurer, pool.slug, FundIn(amount=amount, source=source, key=f"demo:{pool.slug}")
        )
        if data.period_end < today:
            benefits.commit_distribution(treasurer, pool.slug, CommitIn(key=f"demo:{pool.slug}:1"))
    _seed_choices(treasurer, demo_member, rng)


def _seed_choices(treasurer: Member, demo_member: Member, rng: random.Random) -> None:
    statements = list(
        Statement.objects.filter(payout__gt=0)
        .exclude(member=demo_member)
        .select_related("member", "distribution__pool")
        .order_by("pk")
    )
    for st in statements:
        roll = rng.random()
        if roll < 0.45:
            continue  # still to choose
        pool = st.distribution.pool
        if roll < 0.75:
            benefits.choose(st.member, st.pk, ChoiceIn(choice=Choice.TAKE))
        elif (
            roll < 0.85
            and len(pool.formats) > 1
            and pool.formats[1] not in pool.publishing_formats
        ):
            benefits.choose(
                st.member, st.pk, ChoiceIn(choice=Choice.SWITCH, format=pool.formats[1])
            )
        elif roll < 0.95:
            benefits.choose(st.member, st.pk, ChoiceIn(choice=Choice.DONATE))
        else:
            benefits.choose(st.member, st.pk, ChoiceIn(choice=Choice.DECLINE))
    for payout in list(
        Statement.objects.filter(payout_row__isnull=False).values_list("payout_row", flat=True)
    )[::2]:
        benefits.mark_paid(treasurer, payout, PaidIn(reference=f"DEMO-{payout:05d}"))
