"""The succession pages: each form does what it says, bad input is re-shown with the
service's reason (422) and changes nothing; the public sees counts and whether a successor
exists, never who answered a call or who is in a plan."""

from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accord.governance import services
from accord.governance.models import CallAnswer, MemoryEntry, PlanPerson, Position, PositionTerm
from accord.governance.schemas import AnswerIn, HideIn, MemoryIn, PlanPersonIn
from accord.people.models import Purpose
from tests.conftest import Cast, client_for
from tests.factories import grant, make_member
from tests.governance.conftest import agreement, opened
from tests.governance.succession_factories import call, held, position, today


def test_a_steward_creates_a_position_from_the_page(cast: Cast) -> None:
    response = client_for(cast.steward).post(
        "/positions/",
        {"title": "Chair", "group": "", "seats": "1", "term_months": "12", "term_limit": "2"},
    )

    made = Position.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/positions/{made.pk}/"


def test_a_bad_position_is_shown_beside_the_form(cast: Cast) -> None:
    response = client_for(cast.steward).post(
        "/positions/", {"title": "Chair", "seats": "0", "term_months": "12", "term_limit": "2"}
    )

    assert response.status_code == 422
    assert b"create-error" in response.content
    assert Position.objects.count() == 0


def test_the_public_sees_the_risk_and_rotation_lists(cast: Cast) -> None:
    at_risk = position(cast.steward, title="Chair")
    held(cast.steward, at_risk, cast.member, days=10)

    page = Client().get("/positions/").content.decode()

    assert 'id="risk-list"' in page
    assert 'id="due-list"' in page
    assert "Chair" in page
    assert cast.member.display_name not in page


def test_a_term_over_the_seats_is_shown_beside_its_form(cast: Cast) -> None:
    p = position(cast.steward)
    held(cast.steward, p, cast.member)
    start = today().isoformat()

    response = client_for(cast.steward).post(
        f"/positions/{p.pk}/terms/",
        {"member": cast.other.pseudonym, "start": start, "end": start},
    )

    assert response.status_code == 409
    assert b"term-error" in response.content
    assert PositionTerm.objects.count() == 1


def test_a_steward_names_a_successor_and_the_risk_ends(cast: Cast) -> None:
    p = position(cast.steward)
    held(cast.steward, p, cast.member)

    response = client_for(cast.steward).post(
        f"/positions/{p.pk}/plan/", {"member": cast.other.pseudonym, "role": "successor"}
    )

    assert response.status_code == 302
    assert PlanPerson.objects.filter(position=p, member=cast.other).exists()
    assert b'id="risk-list"' not in Client().get("/positions/").content


def test_the_plan_is_shown_to_its_people_and_only_its_existence_to_others(cast: Cast) -> None:
    p = position(cast.steward)
    held(cast.steward, p, cast.member)
    services.add_to_plan(
        cast.steward, p.pk, PlanPersonIn(member=cast.other.pseudonym, role="shadow")
    )

    public = Client().get(f"/positions/{p.pk}/").content.decode()
    holder = client_for(cast.member).get(f"/positions/{p.pk}/").content.decode()

    assert 'id="plan-people"' not in public
    assert 'id="plan-people"' in holder
    assert cast.other.display_name in holder
    assert cast.other.display_name not in public


def test_a_stranger_cannot_change_the_plan(cast: Cast) -> None:
    p = position(cast.steward)

    response = client_for(cast.other).post(f"/positions/{p.pk}/checklist/", {"text": "Keys"})

    assert response.status_code == 403
    assert p.checklist.count() == 0


def test_a_steward_opens_a_call_and_a_member_answers_it(cast: Cast) -> None:
    p = position(cast.steward)
    closes = (today() + timedelta(days=7)).isoformat()

    opened_call = client_for(cast.steward).post(
        "/calls/",
        {
            "position": str(p.pk),
            "asks": "A chair",
            "backgrounds": "Students\nRetirees",
            "closes_on": closes,
        },
    )
    c = p.calls.get()
    answered = client_for(cast.member).post(
        f"/calls/{c.pk}/answer/", {"backgrounds": ["Students"], "note": "Glad to"}
    )

    assert opened_call.status_code == 302
    assert answered.status_code == 302
    assert CallAnswer.objects.get().backgrounds == ["Students"]
    steward_view = client_for(cast.steward).get(f"/calls/{c.pk}/").content.decode()
    public_view = Client().get(f"/calls/{c.pk}/").content.decode()
    assert cast.member.display_name in steward_view
    assert cast.member.display_name not in public_view
    assert "Glad to" not in public_view
    assert "fewer than 10" in public_view


def test_an_answer_with_a_background_the_call_lacks_is_re_shown(cast: Cast) -> None:
    c = call(cast.steward, position(cast.steward))

    response = client_for(cast.member).post(
        f"/calls/{c.pk}/answer/", {"backgrounds": ["Pilots"], "note": "keep me"}
    )

    assert response.status_code == 422
    assert b"answer-error" in response.content
    assert b"keep me" in response.content
    assert CallAnswer.objects.count() == 0


def test_a_member_withdraws_their_answer(cast: Cast) -> None:
    c = call(cast.steward, position(cast.steward))
    services.answer_call(cast.member, c.pk, AnswerIn())

    response = client_for(cast.member).post(f"/calls/{c.pk}/withdraw/")

    assert response.status_code == 302
    assert CallAnswer.objects.get().withdrawn_at is not None


def test_ten_answers_show_their_count(cast: Cast) -> None:
    c = call(cast.steward, position(cast.steward))
    for i in range(10):
        services.answer_call(make_member(name=f"V{i}"), c.pk, AnswerIn(backgrounds=["Students"]))

    page = Client().get(f"/calls/{c.pk}/").content.decode()

    assert '<dd id="answered">10</dd>' in page
    assert "<td>Students</td><td>10</td>" in page


def test_a_member_adds_to_the_memory_and_it_shows_on_the_decision_and_partnership(
    cast: Cast,
) -> None:
    d = opened(cast)
    a = agreement(cast)

    response = client_for(cast.member).post(
        "/memory/",
        {
            "kind": "lesson",
            "title": "Ask early",
            "body": "B",
            "decision": str(d.pk),
            "agreement": str(a),
        },
    )

    assert response.status_code == 302
    assert "Ask early" in client_for(cast.other).get(f"/decisions/{d.pk}/").content.decode()
    assert "Ask early" in client_for(cast.other).get(f"/partnerships/{a}/").content.decode()
    assert "Ask early" in client_for(cast.other).get("/home/").content.decode()


def test_a_blank_memory_entry_is_re_shown(cast: Cast) -> None:
    response = client_for(cast.member).post(
        "/memory/", {"kind": "lesson", "title": "T", "body": " "}
    )

    assert response.status_code == 422
    assert b"memory-error" in response.content
    assert MemoryEntry.objects.count() == 0


def test_the_memory_filters_by_kind_and_is_for_members(cast: Cast) -> None:
    services.add_memory(cast.member, MemoryIn(kind="lesson", title="A lesson", body="B"))
    services.add_memory(cast.member, MemoryIn(kind="caution", title="A warning", body="B"))

    page = client_for(cast.other).get("/memory/?kind=caution").content.decode()

    assert "A warning" in page
    assert "A lesson" not in page
    assert Client().get("/memory/").status_code == 302
    assert client_for(cast.partner_rep).get("/memory/").status_code == 403


def test_a_steward_hides_an_entry_and_a_blank_reason_is_refused(cast: Cast) -> None:
    entry = services.add_memory(cast.member, MemoryIn(kind="lesson", title="T", body="B"))
    steward = client_for(cast.steward)

    blank = steward.post(f"/memory/{entry.pk}/hide/", {"reason": " "})
    hidden = steward.post(f"/memory/{entry.pk}/hide/", {"reason": "Names someone"})

    assert blank.status_code == 422
    assert hidden.status_code == 302
    assert (
        client_for(cast.member).post(f"/memory/{entry.pk}/hide/", {"reason": "x"}).status_code
        == 403
    )


def test_a_holder_who_chose_to_be_listed_is_named(cast: Cast) -> None:
    grant(cast.member, Purpose.MEMBER_DIRECTORY)
    p = position(cast.steward)
    held(cast.steward, p, cast.member)

    assert cast.member.display_name in client_for(cast.other).get("/positions/").content.decode()
    assert cast.member.display_name not in Client().get("/positions/").content.decode()


def _queries(client: Client, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_lists_read_as_many_queries_however_long_they_are(cast: Cast) -> None:
    client = client_for(cast.other)
    for i in range(2):
        p = position(cast.steward, title=f"Seat {i}")
        held(cast.steward, p, cast.member if i else cast.group_lead)
        call(cast.steward, p)
        services.add_memory(cast.group_lead, MemoryIn(kind="caution", title=f"C{i}", body="b"))
    small = [_queries(client, path) for path in ("/positions/", "/calls/", "/memory/")]

    for i in range(2, 6):
        p = position(cast.steward, title=f"Seat {i}")
        held(cast.steward, p, make_member(name=f"H{i}"))
        services.add_to_plan(
            cast.steward, p.pk, PlanPersonIn(member=cast.other.pseudonym, role="shadow")
        )
        services.answer_call(make_member(name=f"A{i}"), call(cast.steward, p).pk, AnswerIn())
        services.add_memory(cast.member, MemoryIn(kind="lesson", title=f"M{i}", body="b"))

    assert [_queries(client, path) for path in ("/positions/", "/calls/", "/memory/")] == small


def test_a_hidden_entry_is_not_shown_to_joiners_even_to_stewards(cast: Cast) -> None:
    entry = services.add_memory(cast.member, MemoryIn(kind="lesson", title="Old news", body="B"))
    services.hide_memory(cast.steward, entry.pk, HideIn(reason="Outdated"))

    assert "Old news" not in client_for(cast.steward).get("/home/").content.decode()
    assert "Old news" in client_for(cast.steward).get("/memory/").content.decode()


def test_home_welcomes_with_the_newest_live_memories_only(cast: Cast) -> None:
    for n in range(7):
        services.add_memory(cast.member, MemoryIn(kind="lesson", title=f"Lesson {n}", body="B"))
    hidden = MemoryEntry.objects.get(title="Lesson 6")
    services.hide_memory(cast.steward, hidden.pk, HideIn(reason="Off topic"))

    for reader in (cast.other, cast.steward):
        page = client_for(reader).get("/home/").content.decode()
        welcome = page.split('id="memory-welcome"')[1].split("</ul>")[0]
        shown = [f"Lesson {n}" for n in range(7) if f"Lesson {n}<" in welcome]
        # newest first, five of them; a hidden entry not even for the steward who hid it
        assert shown == ["Lesson 1", "Lesson 2", "Lesson 3", "Lesson 4", "Lesson 5"]
        assert welcome.index("Lesson 5") < welcome.index("Lesson 1")
        assert f"#memory-{hidden.pk - 1}" in welcome
