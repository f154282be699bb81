import json
from collections.abc import Callable
from datetime import timedelta

import pytest

from accord.domain.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound
from accord.governance import services
from accord.governance.models import (
    CallAnswer,
    MemoryEntry,
    PlanPerson,
    Position,
    PositionTerm,
    VolunteerCall,
)
from accord.governance.queries import succession as q
from accord.governance.schemas import (
    AnswerIn,
    HandoverItemIn,
    HandoverTickIn,
    HideIn,
    MemoryIn,
    PlanPersonIn,
    PositionTermIn,
    TransferNotesIn,
)
from accord.ledger.models import Entry
from tests.conftest import Cast
from tests.factories import make_member
from tests.governance.conftest import agreement, opened
from tests.governance.succession_factories import call, held, position, today


def _state() -> object:
    return (
        list(Position.objects.order_by("pk").values()),
        list(PositionTerm.objects.order_by("pk").values()),
        list(PlanPerson.objects.order_by("pk").values()),
        list(VolunteerCall.objects.order_by("pk").values()),
        list(CallAnswer.objects.order_by("pk").values()),
        list(MemoryEntry.objects.order_by("pk").values()),
        Entry.objects.count(),
    )


def _payload(entry: Entry | None) -> dict[str, object]:
    assert entry is not None
    return json.loads(bytes(entry.data))["payload"]


def _refused(error: type[DomainError], action: Callable[[], object]) -> DomainError:
    before = _state()
    with pytest.raises(error) as refused:
        action()
    assert _state() == before, "a refused action changed something"
    return refused.value


def test_a_steward_creates_a_position_and_the_ledger_keeps_no_title(cast: Cast) -> None:
    p = position(cast.steward, title="Secretary", group=cast.group.slug)

    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.kind == "position.created"
    assert "Secretary" not in str(_payload(entry))
    assert p.group == cast.group


def test_only_stewards_create_positions(cast: Cast) -> None:
    _refused(Forbidden, lambda: position(cast.member))


def test_a_term_names_its_holder_in_the_ledger_by_handle(cast: Cast) -> None:
    p = position(cast.steward)

    held(cast.steward, p, cast.member)

    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    assert entry.kind == "position.term_recorded"
    assert _payload(entry)["holder"] == cast.member.pseudonym
    assert cast.member.display_name not in str(_payload(entry))


def test_a_term_beyond_the_seats_is_refused(cast: Cast) -> None:
    p = position(cast.steward, seats=1)
    held(cast.steward, p, cast.member)

    refused = _refused(Conflict, lambda: held(cast.steward, p, cast.other))

    assert "seat" in refused.detail


def test_a_term_beyond_the_limit_is_refused_with_the_reason(cast: Cast) -> None:
    p = position(cast.steward, term_limit=1)
    held(cast.steward, p, cast.member, days=10)
    after = today() + timedelta(days=11)
    data = PositionTermIn(
        member=cast.member.pseudonym, start=after, end=after + timedelta(days=300)
    )

    refused = _refused(Conflict, lambda: services.record_position_term(cast.steward, p.pk, data))

    assert "limit is 1" in refused.detail


def test_a_term_ending_before_it_starts_is_bad_input(cast: Cast) -> None:
    p = position(cast.steward)
    data = PositionTermIn(
        member=cast.member.pseudonym, start=today(), end=today() - timedelta(days=1)
    )

    _refused(InvalidInput, lambda: services.record_position_term(cast.steward, p.pk, data))


def test_an_unknown_or_outside_holder_is_refused(cast: Cast) -> None:
    p = position(cast.steward)

    for handle in ("nobody-at-all", cast.partner_rep.pseudonym):
        data = PositionTermIn(member=handle, start=today(), end=today())
        _refused(InvalidInput, lambda d=data: services.record_position_term(cast.steward, p.pk, d))


def test_a_position_is_at_risk_until_a_successor_is_named(cast: Cast) -> None:
    p = position(cast.steward)
    held(cast.steward, p, cast.member)
    assert [ln.at_risk for ln in q.positions_page(None, today=today()).at_risk] == ["no successor"]

    services.add_to_plan(
        cast.steward, p.pk, PlanPersonIn(member=cast.other.pseudonym, role="successor")
    )

    assert q.positions_page(None, today=today()).at_risk == []


def test_a_vacant_position_is_at_risk_and_a_term_near_its_end_is_due(cast: Cast) -> None:
    vacant = position(cast.steward, title="Chair")
    ending = position(cast.steward, title="Secretary")
    held(cast.steward, ending, cast.member, days=20)

    page = q.positions_page(None, today=today())

    assert {ln.position.pk: ln.at_risk for ln in page.at_risk}[vacant.pk] == "vacant"
    assert [ln.position.pk for ln in page.due] == [ending.pk]


def test_the_holder_keeps_the_plan_and_others_do_not(cast: Cast) -> None:
    p = position(cast.steward)
    held(cast.steward, p, cast.member)

    services.add_handover_item(cast.member, p.pk, HandoverItemIn(text="Bank mandate"))
    item = p.checklist.get()
    services.tick_handover_item(cast.member, p.pk, item.pk, HandoverTickIn(done=True))
    services.write_transfer_notes(cast.member, p.pk, TransferNotesIn(notes="Ask the bank."))

    item.refresh_from_db()
    assert item.done
    _refused(
        Forbidden, lambda: services.add_handover_item(cast.other, p.pk, HandoverItemIn(text="x"))
    )
    _refused(
        Forbidden,
        lambda: services.add_to_plan(
            cast.other, p.pk, PlanPersonIn(member=cast.other.pseudonym, role="shadow")
        ),
    )


def test_the_public_sees_whether_a_successor_exists_but_not_who(cast: Cast) -> None:
    p = position(cast.steward)
    held(cast.steward, p, cast.member)
    services.add_to_plan(
        cast.steward, p.pk, PlanPersonIn(member=cast.other.pseudonym, role="successor")
    )

    public = q.position_page(None, p.pk, today=today())
    named = q.position_page(cast.other, p.pk, today=today())

    assert public.line.has_successor
    assert not public.plan_shown
    assert public.plan == []
    assert named.plan_shown
    assert public.line.holders == [q.A_MEMBER]


def test_a_member_answers_a_call_and_only_stewards_see_who(cast: Cast) -> None:
    c = call(cast.steward, position(cast.steward))

    services.answer_call(cast.member, c.pk, AnswerIn(backgrounds=["Students"], note="Happy to"))

    assert q.call_page(cast.steward, c.pk, today=today()).answers is not None
    assert q.call_page(cast.other, c.pk, today=today()).answers is None
    assert q.call_page(cast.member, c.pk, today=today()).mine is not None
    public = q.call_page(None, c.pk, today=today()).line
    assert str(public.answered) == "fewer than 10"
    assert str(public.backgrounds["Students"]) == "fewer than 10"
    assert public.backgrounds["Retirees"] == 0


def test_answering_again_replaces_and_withdrawing_ends_the_answer(cast: Cast) -> None:
    c = call(cast.steward, position(cast.steward))
    services.answer_call(cast.member, c.pk, AnswerIn(backgrounds=["Students"]))

    services.answer_call(cast.member, c.pk, AnswerIn(backgrounds=["Retirees"]))
    services.withdraw_answer(cast.member, c.pk)

    answers = list(CallAnswer.objects.filter(call=c))
    assert len(answers) == 1
    assert answers[0].backgrounds == ["Retirees"]
    assert answers[0].withdrawn_at is not None
    _refused(NotFound, lambda: services.withdraw_answer(cast.member, c.pk))


def test_an_answer_names_only_the_calls_backgrounds(cast: Cast) -> None:
    c = call(cast.steward, position(cast.steward))

    _refused(
        InvalidInput,
        lambda: services.answer_call(cast.member, c.pk, AnswerIn(backgrounds=["Pilots"])),
    )


def test_a_closed_call_takes_no_answers_and_the_ledger_keeps_a_count(cast: Cast) -> None:
    c = call(cast.steward, position(cast.steward))
    services.answer_call(cast.member, c.pk, AnswerIn())

    services.close_call(cast.steward, c.pk)

    entry = Entry.objects.order_by("-seq").first()
    assert entry is not None
    assert _payload(entry) == {"call": c.pk, "answered": 1}
    _refused(Conflict, lambda: services.answer_call(cast.other, c.pk, AnswerIn()))
    _refused(Conflict, lambda: services.close_call(cast.steward, c.pk))


def test_partner_representatives_do_not_answer_calls(cast: Cast) -> None:
    c = call(cast.steward, position(cast.steward))

    _refused(Forbidden, lambda: services.answer_call(cast.partner_rep, c.pk, AnswerIn()))


def test_only_stewards_open_calls_and_not_into_the_past(cast: Cast) -> None:
    p = position(cast.steward)

    _refused(Forbidden, lambda: call(cast.member, p))
    _refused(InvalidInput, lambda: call(cast.steward, p, closes_on=today() - timedelta(days=1)))
    _refused(NotFound, lambda: call(cast.steward, p, position=p.pk + 100))


def test_a_memory_entry_links_to_its_decision_and_partnership(cast: Cast) -> None:
    d = opened(cast)
    a = agreement(cast)

    entry = services.add_memory(
        cast.member,
        MemoryIn(
            kind="lesson", title="Ask early", body="Ask members first.", decision=d.pk, agreement=a
        ),
    )

    assert [ln.entry for ln in q.memory_for(cast.other, decision=d.pk)] == [entry]
    assert [ln.entry for ln in q.memory_for(cast.other, agreement=a)] == [entry]
    assert q.memory_for(None, decision=d.pk) == []
    assert Entry.objects.filter(kind__startswith="memory").count() == 0


def test_a_steward_hides_an_entry_with_a_reason_kept_off_the_ledger(cast: Cast) -> None:
    entry = services.add_memory(cast.member, MemoryIn(kind="caution", title="T", body="B"))

    services.hide_memory(cast.steward, entry.pk, HideIn(reason="Names a member"))

    assert q.list_memory(cast.other) == []
    assert [ln.entry.pk for ln in q.list_memory(cast.steward)] == [entry.pk]
    hidden = Entry.objects.get(kind="memory.hidden")
    assert "Names a member" not in str(_payload(hidden))
    _refused(Forbidden, lambda: services.hide_memory(cast.member, entry.pk, HideIn(reason="x")))
    _refused(Conflict, lambda: services.hide_memory(cast.steward, entry.pk, HideIn(reason="x")))


def test_bad_memory_input_is_refused(cast: Cast) -> None:
    _refused(
        InvalidInput,
        lambda: services.add_memory(cast.member, MemoryIn(kind="lesson", title=" ", body="B")),
    )
    _refused(
        InvalidInput,
        lambda: services.add_memory(
            cast.member, MemoryIn(kind="lesson", title="T", body="B", decision=999)
        ),
    )
    _refused(
        Forbidden,
        lambda: services.add_memory(
            cast.partner_rep, MemoryIn(kind="lesson", title="T", body="B")
        ),
    )


def test_members_are_named_only_as_they_chose(cast: Cast) -> None:
    shy = make_member(name="Shy Holder")
    p = position(cast.steward)
    held(cast.steward, p, shy)

    assert q.positions_page(cast.member, today=today()).lines[0].holders == [q.A_MEMBER]
    assert q.positions_page(shy, today=today()).lines[0].holders == ["Shy Holder"]
