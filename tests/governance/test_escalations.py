"""Escalation paths: setting up ladders, raising concerns, handling them, and concerns that
climb by themselves when their deadline passes."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accord import jobs
from accord.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from accord.governance import queries, services
from accord.governance.models import (
    Concern,
    ConcernEvent,
    ConcernStatus,
    EscalationLevel,
    EventKind,
)
from accord.governance.schemas import LevelIn, ResolutionIn
from accord.ledger.models import Entry
from accord.ledger.services import SYSTEM
from accord.people import services as people
from accord.people.schemas import ErasureIn
from tests.conftest import Cast
from tests.factories import make_group, make_member
from tests.governance.escalation_helpers import concern_in, ladder, past_deadline, raised


def _state() -> object:
    return (
        list(EscalationLevel.objects.order_by("pk").values()),
        list(Concern.objects.order_by("pk").values()),
        list(ConcernEvent.objects.order_by("pk").values()),
        Entry.objects.count(),
    )


def _refused(error: type[DomainError], action: Callable[[], object]) -> DomainError:
    before = _state()
    with pytest.raises(error) as refused:
        action()
    assert _state() == before, "a refused action changed something"
    return refused.value


def _entries(prefix: str) -> list[dict[str, Any]]:
    rows = Entry.objects.filter(kind__startswith=prefix).order_by("seq")
    return [json.loads(bytes(e.data)) for e in rows]


def _level(cast: Cast, **overrides: Any) -> LevelIn:
    fields: dict[str, Any] = {
        "rank": 1,
        "name": "Group leads",
        "response_hours": 72,
        "handlers": [cast.group_lead.pseudonym],
    }
    return LevelIn(**{**fields, **overrides})


# -- ladders ------------------------------------------------------------------------------


def test_a_steward_sets_up_the_communitys_ladder_and_the_ledger_holds_no_names(
    cast: Cast,
) -> None:
    ladder(cast)

    levels = list(EscalationLevel.objects.filter(group__isnull=True).order_by("rank"))
    assert [(lv.rank, lv.name, lv.response_hours) for lv in levels] == [
        (1, "Group leads", 72),
        (2, "Steering committee", 168),
    ]
    assert list(levels[1].handlers.all()) == [cast.auditor]
    entries = _entries("escalation.")
    assert entries[0]["payload"] == {"rank": 1, "response_hours": 72, "handlers": 1}
    assert "Group leads" not in json.dumps(entries)


def test_changing_a_level_replaces_its_handlers_and_time(cast: Cast) -> None:
    ladder(cast)

    services.set_escalation_level(
        cast.steward,
        _level(cast, name="Leads", response_hours=24, handlers=[cast.other.pseudonym]),
    )

    level = EscalationLevel.objects.get(group__isnull=True, rank=1)
    assert (level.name, level.response_hours, list(level.handlers.all())) == (
        "Leads",
        24,
        [cast.other],
    )


def test_a_group_lead_sets_up_their_groups_ladder_but_not_the_communitys(cast: Cast) -> None:
    services.set_escalation_level(cast.group_lead, _level(cast, group=cast.group.slug))

    assert EscalationLevel.objects.filter(group=cast.group).count() == 1
    _refused(Forbidden, lambda: services.set_escalation_level(cast.group_lead, _level(cast)))
    _refused(Forbidden, lambda: services.set_escalation_level(cast.member, _level(cast)))
    _refused(
        Forbidden,
        lambda: services.set_escalation_level(cast.member, _level(cast, group=cast.group.slug)),
    )


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"rank": 2}, InvalidInput),  # no level 1 yet
        ({"name": "  "}, InvalidInput),
        ({"handlers": ["no-such-handle"]}, NotFound),
        ({"group": "no-such-group"}, NotFound),
    ],
)
def test_a_bad_level_is_refused_and_changes_nothing(
    cast: Cast, overrides: dict[str, Any], error: type[DomainError]
) -> None:
    _refused(error, lambda: services.set_escalation_level(cast.steward, _level(cast, **overrides)))


def test_a_partner_representative_handles_nothing(cast: Cast) -> None:
    _refused(
        NotFound,
        lambda: services.set_escalation_level(
            cast.steward, _level(cast, handlers=[cast.partner_rep.pseudonym])
        ),
    )


# -- raising ------------------------------------------------------------------------------


def test_a_member_raises_a_concern_that_waits_at_level_one_and_stays_off_the_ledger(
    cast: Cast,
) -> None:
    ladder(cast)
    entries = Entry.objects.count()
    before = timezone.now()

    concern = services.raise_concern(cast.member, concern_in())

    assert (concern.status, concern.level.rank) == (ConcernStatus.OPEN, 1)
    assert before + timedelta(hours=72) <= concern.deadline <= timezone.now() + timedelta(hours=72)
    assert [e.kind for e in concern.events.all()] == [EventKind.RAISED]
    assert Entry.objects.count() == entries


def test_a_groups_ladder_is_used_when_it_has_one_else_the_communitys(cast: Cast) -> None:
    ladder(cast)
    ladder(cast, group=True)
    bare = make_member(name="No Ladder")
    other_group = make_group(name="South Chapter")

    in_group = services.raise_concern(cast.member, concern_in(group=cast.group.slug))
    fallback = services.raise_concern(bare, concern_in(group=other_group.slug))

    assert in_group.level.group == cast.group
    assert fallback.level.group is None


def test_without_any_ladder_a_concern_cannot_be_raised(cast: Cast) -> None:
    refusal = _refused(Conflict, lambda: services.raise_concern(cast.member, concern_in()))

    assert "No escalation path" in refusal.detail


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"summary": " "}, InvalidInput),
        ({"body": ""}, InvalidInput),
        ({"kind": "conduct", "decision": 1}, InvalidInput),
        ({"kind": "decision", "decision": 999}, NotFound),
        ({"kind": "partnership", "agreement": 999}, NotFound),
        ({"group": "nowhere"}, NotFound),
    ],
)
def test_a_bad_concern_is_refused_and_changes_nothing(
    cast: Cast, overrides: dict[str, Any], error: type[DomainError]
) -> None:
    ladder(cast)

    _refused(error, lambda: services.raise_concern(cast.member, concern_in(**overrides)))


def test_a_partner_representative_raises_no_concern(cast: Cast) -> None:
    ladder(cast)

    _refused(Forbidden, lambda: services.raise_concern(cast.partner_rep, concern_in()))


# -- handling -----------------------------------------------------------------------------


def test_the_handler_acknowledges_and_the_ledger_names_the_handler_not_the_raiser(
    cast: Cast,
) -> None:
    concern = raised(cast)

    services.acknowledge_concern(cast.group_lead, concern.pk)

    concern.refresh_from_db()
    assert concern.status == ConcernStatus.ACKNOWLEDGED
    entry = Entry.objects.get(kind="concern.acknowledged")
    assert (entry.actor, entry.subject) == (cast.group_lead.pseudonym, f"concern:{concern.pk}")
    text = bytes(entry.data).decode()
    assert cast.member.pseudonym not in text
    assert "Meetings" not in text


def test_only_the_current_levels_handlers_act_on_a_concern(cast: Cast) -> None:
    concern = raised(cast)

    _refused(Forbidden, lambda: services.acknowledge_concern(cast.member, concern.pk))
    _refused(Forbidden, lambda: services.acknowledge_concern(cast.steward, concern.pk))
    _refused(NotFound, lambda: services.acknowledge_concern(cast.other, concern.pk))
    _refused(NotFound, lambda: services.acknowledge_concern(cast.auditor, concern.pk))
    _refused(NotFound, lambda: services.escalate_concern(cast.partner_rep, concern.pk))


def test_a_handler_escalates_and_the_next_level_takes_over(cast: Cast) -> None:
    concern = raised(cast)
    services.acknowledge_concern(cast.group_lead, concern.pk)

    services.escalate_concern(cast.group_lead, concern.pk)

    concern.refresh_from_db()
    assert (concern.level.rank, concern.status) == (2, ConcernStatus.OPEN)
    assert concern.deadline > timezone.now() + timedelta(hours=167)
    _refused(
        Forbidden,
        lambda: services.resolve_concern(
            cast.group_lead, concern.pk, ResolutionIn(resolution="x")
        ),
    )
    _refused(Conflict, lambda: services.escalate_concern(cast.auditor, concern.pk))
    assert _entries("concern.escalated")[0]["payload"]["by"] == "handler"


def test_a_resolution_must_be_written_and_ends_the_concern(cast: Cast) -> None:
    concern = raised(cast)

    _refused(
        InvalidInput,
        lambda: services.resolve_concern(
            cast.group_lead, concern.pk, ResolutionIn(resolution=" ")
        ),
    )
    services.resolve_concern(
        cast.group_lead, concern.pk, ResolutionIn(resolution="Meetings now end at nine.")
    )

    concern.refresh_from_db()
    assert (concern.status, concern.resolution) == (
        ConcernStatus.RESOLVED,
        "Meetings now end at nine.",
    )
    assert concern.within_deadline
    assert _entries("concern.resolved")[0]["payload"]["within_deadline"] is True
    assert "nine" not in json.dumps(_entries("concern."))
    _refused(Conflict, lambda: services.acknowledge_concern(cast.group_lead, concern.pk))


# -- deadlines ----------------------------------------------------------------------------


def test_a_concern_past_its_deadline_escalates_by_itself_and_its_raiser_sees_it(
    cast: Cast,
) -> None:
    concern = raised(cast)
    services.acknowledge_concern(cast.group_lead, concern.pk)
    first_deadline = concern.deadline

    moved = services.escalate_overdue_concerns(now=first_deadline + timedelta(hours=1))

    assert moved == 1
    concern.refresh_from_db()
    assert concern.level.rank == 2
    assert concern.deadline == first_deadline + timedelta(hours=168)
    page = queries.concern_page(cast.member, concern.pk)
    assert [e.kind for e in page.history] == [
        EventKind.RAISED,
        EventKind.ACKNOWLEDGED,
        EventKind.DEADLINE,
    ]
    assert page.history[-1].at == first_deadline
    entry = Entry.objects.get(kind="concern.escalated")
    assert entry.actor == SYSTEM
    assert json.loads(bytes(entry.data))["payload"]["by"] == "deadline"


def test_at_the_top_a_concern_past_its_deadline_stays_and_is_flagged_overdue(
    cast: Cast,
) -> None:
    concern = raised(cast)

    moved = services.escalate_overdue_concerns(now=timezone.now() + timedelta(days=30))

    assert moved == 1
    concern.refresh_from_db()
    assert (concern.level.rank, concern.overdue) == (2, True)
    assert [e.kind for e in concern.events.all()][-2:] == [EventKind.DEADLINE, EventKind.OVERDUE]
    assert services.escalate_overdue_concerns(now=timezone.now() + timedelta(days=60)) == 0


def test_the_tick_escalates_due_concerns_only(cast: Cast) -> None:
    due = raised(cast)
    waiting = raised(cast, summary="Another")
    done = raised(cast, summary="Done")
    services.resolve_concern(cast.group_lead, done.pk, ResolutionIn(resolution="Fixed."))
    past_deadline(due)
    past_deadline(done)

    outcomes = {o.job: o for o in jobs.run_due()}

    assert outcomes["escalate concerns past their deadline"].done == 1
    assert Concern.objects.get(pk=due.pk).level.rank == 2
    assert Concern.objects.get(pk=waiting.pk).level.rank == 1
    assert Concern.objects.get(pk=done.pk).level.rank == 1


# -- who sees whom ------------------------------------------------------------------------


def test_an_anonymous_concerns_raiser_is_named_only_to_its_handlers_and_raiser(
    cast: Cast,
) -> None:
    concern = raised(cast, anonymous=True)
    services.escalate_concern(cast.group_lead, concern.pk)

    assert queries.concern_page(cast.group_lead, concern.pk).line.raiser == "Mo Member"
    assert queries.concern_page(cast.auditor, concern.pk).line.raiser == "Mo Member"
    assert queries.concern_page(cast.member, concern.pk).line.raiser == "you"
    assert queries.concern_page(cast.steward, concern.pk).line.raiser == "a member"
    for outsider in (cast.other, cast.partner_rep, cast.treasurer, None):
        with pytest.raises(NotFound):
            queries.concern_page(outsider, concern.pk)


def test_a_named_concern_is_named_to_stewards_too(cast: Cast) -> None:
    concern = raised(cast)

    assert queries.concern_page(cast.steward, concern.pk).line.raiser == "Mo Member"


def test_a_handler_sees_the_concerns_at_their_level_in_their_queue(cast: Cast) -> None:
    concern = raised(cast)

    assert [ln.concern.pk for ln in queries.concern_queue(cast.group_lead)] == [concern.pk]
    assert queries.concern_queue(cast.auditor) == []
    assert queries.concern_queue(cast.other) == []
    assert [ln.concern.pk for ln in queries.my_concerns(cast.member)] == [concern.pk]


# -- statistics ---------------------------------------------------------------------------


def test_statistics_withhold_everything_about_fewer_than_ten_concerns(cast: Cast) -> None:
    for n in range(3):
        c = raised(cast, summary=f"c{n}")
        services.resolve_concern(cast.group_lead, c.pk, ResolutionIn(resolution="Done."))

    stats = queries.concern_stats()

    assert str(stats.overall.raised) == "fewer than 10"
    assert stats.overall.median_days is None
    assert stats.overall.within_share is None
    assert stats.withheld


def test_statistics_show_the_median_and_share_from_ten_resolved_concerns(cast: Cast) -> None:
    members = [make_member(name=f"Raiser {n}") for n in range(12)]
    for n, who in enumerate(members):
        c = raised(cast, by=who, summary=f"c{n}")
        if n < 10:
            services.resolve_concern(cast.group_lead, c.pk, ResolutionIn(resolution="Done."))

    stats = queries.concern_stats()

    assert (stats.overall.raised, stats.overall.resolved) == (12, 10)
    assert stats.overall.within_share == 1
    assert stats.overall.median_days is not None
    assert stats.overall.median_days < 1


def test_the_lists_cost_the_same_queries_for_few_concerns_and_many(cast: Cast) -> None:
    def cost() -> list[int]:
        counts = []
        for read in (
            lambda: queries.my_concerns(cast.member),
            lambda: queries.concern_queue(cast.group_lead),
            lambda: queries.concern_queue(cast.steward),
        ):
            with CaptureQueriesContext(connection) as ctx:
                read()
            counts.append(len(ctx.captured_queries))
        return counts

    for n in range(2):
        raised(cast, summary=f"few {n}", anonymous=n % 2 == 0)
    few = cost()
    for n in range(10):
        raised(cast, summary=f"many {n}", anonymous=n % 2 == 0)

    assert cost() == few


def test_erasing_a_raiser_keeps_the_concern_for_the_statistics_without_their_words(
    cast: Cast,
) -> None:
    concern = raised(cast)
    services.resolve_concern(cast.group_lead, concern.pk, ResolutionIn(resolution="Done."))

    people.erase_member(cast.steward, cast.member.pseudonym, ErasureIn(reason="They asked."))

    concern.refresh_from_db()
    assert (concern.raiser, concern.summary, concern.body, concern.resolution) == (
        None,
        "(erased)",
        "",
        "",
    )
    assert concern.status == ConcernStatus.RESOLVED
    people.erase_member(cast.steward, cast.group_lead.pseudonym, ErasureIn(reason="Asked."))
    assert not EscalationLevel.objects.filter(handlers=cast.group_lead).exists()
