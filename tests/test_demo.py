"""The demo community: about 500 members, a 3-level group tree, every role, mixed consents."""

from datetime import timedelta
from fractions import Fraction

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.db.models import Max, Min
from django.test import Client
from django.utils import timezone

from accord.benefits.models import Choice, Distribution, Pool, Statement
from accord.contributions.models import Contribution, Kind, PolicyVersion, Status
from accord.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from accord.domain.disclosure import Hidden
from accord.domain.partnerships import activation_problems
from accord.domain.voting import PollType
from accord.governance.models import (
    Ballot,
    CalendarEvent,
    ChangeStatus,
    Concern,
    ConcernStatus,
    Decision,
    DecisionComment,
    Document,
    EscalationLevel,
    EventKind,
    MemoryEntry,
    ProposedChange,
    RevisionComment,
)
from accord.governance.models import (
    Status as DecisionStatus,
)
from accord.governance.queries import (
    calendar_items,
    concern_stats,
    current_tally,
    my_concerns,
    succession,
)
from accord.partners.models import (
    Agreement,
    Disclosure,
    Offering,
    Partner,
    PartnerKind,
    PoolFunding,
    Reading,
    Review,
    Risk,
    Update,
)
from accord.partners.queries import (
    activation_rule,
    evaluation_of,
    reciprocity_of,
    revenue,
    uptake_page,
)
from accord.people import queries
from accord.people.models import OFFERED_PURPOSES, Consent, Member, SiteRole, User
from tests.conftest import wipe_ledger


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        seed_demo(members=500, seed=7)
        yield
        # module-scoped data: remove it so other modules start from an empty database

        wipe_ledger()
        call_command("flush", interactive=False, verbosity=0)


def test_demo_has_the_promised_shape(demo, db: None) -> None:  # type: ignore[no-untyped-def]
    tree = queries.group_tree()

    assert Member.objects.count() == 500
    assert len(tree) >= 12
    assert max(n.depth for n in tree) == 2  # three levels: 0, 1, 2
    assert set(Member.objects.values_list("role", flat=True)) == set(SiteRole.values)
    for purpose in OFFERED_PURPOSES:
        yes = Consent.objects.filter(purpose=purpose, granted=True).count()
        assert 0 < yes < 500, purpose


def test_demo_logins_work(demo, client) -> None:  # type: ignore[no-untyped-def]

    for email in DEMO_LOGINS.values():
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)


def test_seeding_twice_does_nothing(demo, db: None) -> None:  # type: ignore[no-untyped-def]
    assert seed_demo(members=500, seed=7) is False
    assert Member.objects.count() == 500


def test_every_demo_address_is_verified_even_in_a_demo_seeded_before_verification(
    demo, db: None
) -> None:  # type: ignore[no-untyped-def]

    assert EmailAddress.objects.filter(verified=True).count() == 500
    EmailAddress.objects.filter(email__in=DEMO_LOGINS.values()).delete()  # as before
    real = User.objects.create_user("real@example.org", "real@example.org", "x" * 20)

    seed_demo(members=500, seed=7)

    assert EmailAddress.objects.filter(verified=True).count() == 500
    assert not EmailAddress.objects.filter(user=real).exists()  # real people confirm themselves


def test_succession_dashboard_has_something_to_show(demo, db: None) -> None:  # type: ignore[no-untyped-def]

    today = timezone.localdate()

    assert queries.terms_over_limit(today=today)
    assert queries.groups_without_successor(today=today).exists()


def test_demo_has_contributions_policies_pools_and_choices(demo, db: None) -> None:  # type: ignore[no-untyped-def]

    span = Contribution.objects.aggregate(first=Min("date"), last=Max("date"))
    assert span["last"] - span["first"] > timedelta(days=600)
    assert set(Contribution.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert set(Contribution.objects.values_list("status", flat=True)) == set(Status.values)
    assert PolicyVersion.objects.count() == 3
    pools = Pool.objects.all()
    assert pools.count() >= 4
    assert {"EUR"} < set(pools.values_list("unit", flat=True))  # money and other units
    assert set(pools.values_list("method", flat=True)) == {"immediate", "recent", "balanced"}
    assert Distribution.objects.count() >= 4
    choices = set(Statement.objects.values_list("choice", flat=True))
    assert {Choice.PENDING, Choice.TAKE, Choice.DONATE} <= choices
    assert span["last"] <= timezone.localdate()


def test_demo_partnerships_cover_every_type_and_stage(demo, db: None) -> None:  # type: ignore[no-untyped-def]
    assert set(Partner.objects.values_list("kind", flat=True)) == set(PartnerKind.values)
    statuses = set(Agreement.objects.values_list("status", flat=True))
    assert {"prospect", "evaluating", "active"} <= statuses
    active = Agreement.objects.filter(status="active")
    assert {a.level for a in active} >= {2, 3, 4}
    assert any(a.target_level < 5 for a in active)  # a lower level as a chosen end state
    for agreement in active:
        assert activation_problems(evaluation_of(agreement), activation_rule()) == []
    evaluating = Agreement.objects.filter(status="evaluating")
    assert any(evaluation_of(a).evaluators == 1 for a in evaluating)  # in progress
    extractive = [a.partner.slug for a in active if reciprocity_of(a).extractive]
    assert extractive == ["lumen-software"]
    sponsor = active.get(partner__slug="brightwell-industries")
    derived = {line.kind for line in reciprocity_of(sponsor).lines}
    assert {"distribution", "offering", "consented_contacts"} <= derived  # read, not typed
    update = Update.objects.filter(side="partner").get()
    assert update.comments.count() == 2


def test_demo_partnerships_have_bodies_income_registers_and_offerings(demo, db: None) -> None:  # type: ignore[no-untyped-def]
    active = Agreement.objects.filter(status="active")
    assert all(a.goals.exists() for a in active)
    assert Reading.objects.count() >= 2 * active.count()
    found = revenue()
    assert found.largest_name == "Brightwell Industries"
    assert found.concentration.largest_share > Fraction(1, 2)
    # 130,000.00 of 202,000.00: the foundation's 2,000.00 straight into a pool counts too
    assert found.concentration.largest_share == Fraction(65, 101)
    assert found.warning
    assert len(found.periods) >= 2
    assert Risk.objects.values("agreement").distinct().count() == 2
    assert Disclosure.objects.filter(
        closed_at__isnull=True, discloser__role=SiteRole.AUDITOR
    ).exists()
    counts = {o.title: o.claims.count() for o in Offering.objects.all()}
    assert len(counts) == 3
    assert any(n >= 10 for n in counts.values())
    assert any(n < 10 for n in counts.values())
    assert Review.objects.count() >= 3
    [direct] = PoolFunding.objects.select_related("agreement__partner", "pool")
    assert direct.agreement.partner.slug == "civic-futures-foundation"
    assert direct.amount == 200_000
    lines = reciprocity_of(direct.agreement).lines
    assert any("given straight into the pool" in v.basis for v in lines)
    page = Client().get(f"/partnerships/{direct.agreement.pk}/").content.decode()
    assert 'id="pool-fundings"' in page
    assert direct.pool.name in page
    rep = Member.objects.get(role=SiteRole.PARTNER_REP)
    mine = uptake_page(rep, rep.representation.partner.slug).offerings
    assert any(row.named for row in mine)  # claimants who consented are named
    steward = Member.objects.filter(role=SiteRole.STEWARD).first()
    shown = [
        row.counts.total
        for slug in ("brightwell-industries", "northbridge-university", "lumen-software")
        for row in uptake_page(steward, slug).offerings
    ]
    assert any(isinstance(total, int) and total >= 10 for total in shown)
    assert any(isinstance(total, Hidden) for total in shown)


def test_demo_decisions_cover_every_poll_type_open_and_closed(demo, db: None) -> None:  # type: ignore[no-untyped-def]
    decisions = list(Decision.objects.all())
    by_state = {(d.poll, d.status) for d in decisions if d.status != DecisionStatus.DRAFT}

    for poll in PollType:
        assert (poll.value, DecisionStatus.OPEN) in by_state, poll
        assert (poll.value, DecisionStatus.CLOSED) in by_state, poll
    assert any(d.secret and d.status == DecisionStatus.OPEN for d in decisions)
    assert any(d.outcome for d in decisions)
    assert any(d.outcome_due for d in decisions)
    assert any(d.status == DecisionStatus.DRAFT for d in decisions)
    assert any(d.group_id is not None for d in decisions)
    for d in decisions:
        if d.status == DecisionStatus.CLOSED:
            assert d.tally == current_tally(d).record()  # the recorded tally re-derives
            assert d.tally["cast"] > 0
    assert Ballot.objects.count() > 0
    assert DecisionComment.objects.count() == 2


def test_demo_concerns_stand_at_each_level_and_one_climbed_by_its_deadline(demo, db: None) -> None:  # type: ignore[no-untyped-def]
    community = EscalationLevel.objects.filter(group__isnull=True).order_by("rank")
    assert [(lv.name, lv.response_hours) for lv in community] == [
        ("Group leads", 72),
        ("Steering committee", 168),
        ("Board or mediator", 336),
    ]
    assert EscalationLevel.objects.filter(group__isnull=False).exists()
    live = Concern.objects.exclude(status=ConcernStatus.RESOLVED)
    assert {c.level.rank for c in live} == {1, 2, 3}
    assert Concern.objects.filter(events__kind=EventKind.DEADLINE).exists()
    assert Concern.objects.filter(overdue=True).exists()
    assert Concern.objects.filter(level__group__isnull=False).exists()
    member = Member.objects.get(user__email=DEMO_LOGINS["member"])
    assert any(
        line.concern.events.filter(kind=EventKind.DEADLINE).exists()
        for line in my_concerns(member)
    )
    stats = concern_stats()
    assert isinstance(stats.overall.resolved, int)
    assert stats.overall.median_days is not None


def test_demo_positions_show_rotation_risk_a_call_and_memory(demo, db: None) -> None:  # type: ignore[no-untyped-def]
    page = succession.positions_page(None, today=timezone.localdate())
    calls = succession.list_calls(today=timezone.localdate())

    assert {ln.position.title for ln in page.due} >= {"Chair", "Treasurer"}
    assert {ln.position.title: ln.at_risk for ln in page.at_risk} == {
        "Treasurer": "no successor",
        "Secretary": "vacant",
    }
    assert any(ln.has_successor for ln in page.lines)
    assert [ln.is_open for ln in calls] == [True]
    assert calls[0].answered == 14
    assert any(isinstance(n, Hidden) for n in calls[0].backgrounds.values())
    assert MemoryEntry.objects.filter(decision__isnull=False).exists()
    assert MemoryEntry.objects.filter(agreement__isnull=False).exists()


def test_demo_calendar_has_recurring_rituals_and_what_appears_by_itself(demo, db: None) -> None:  # type: ignore[no-untyped-def]
    events = list(CalendarEvent.objects.all())
    rituals = [e for e in events if e.kind == "ritual" and e.rule]
    member = Member.objects.filter(role="member", erased_at__isnull=True).first()
    sources = {item.source for item in calendar_items(member)}
    public = calendar_items(None, public=True)

    assert len(rituals) >= 3
    assert {e.kind for e in events} == {"activity", "deadline", "milestone", "ritual"}
    assert any(e.group_id for e in events)
    assert any(e.visibility == "members" for e in events)
    assert {"event", "decision", "term"} <= sources
    assert {item.source for item in public} <= {"event", "review"}
    assert not any(item.title == "Ethics desk office hours" for item in public)


def test_demo_documents_change_only_through_passed_decisions(demo, db: None) -> None:  # type: ignore[no-untyped-def]
    docs = {d.kind: d for d in Document.objects.all()}

    assert set(docs) == {"funding", "decision_rights", "conduct", "plan"}
    assert docs["funding"].governed
    assert docs["decision_rights"].governed
    assert docs["funding"].revisions.count() == 3
    assert docs["decision_rights"].revisions.count() == 2
    for doc in Document.objects.filter(governed=True):
        for revision in doc.revisions.filter(number__gt=1):
            assert revision.decision is not None
            assert revision.decision.tally["passed"] is True
    assert docs["conduct"].revisions.count() == docs["plan"].revisions.count() == 2
    assert docs["plan"].group is not None
    change = ProposedChange.objects.get(status=ChangeStatus.OPEN)
    assert change.document == docs["funding"]
    assert change.proposer.display_name == "Mo Member"
    assert RevisionComment.objects.count() == 1
