"""Positions, calls and memory through the API: the flow, refusals with their reasons, and
answers that stay with stewards."""

import json
from datetime import timedelta
from typing import Any

from django.test import Client

from accord.governance import services
from accord.governance.schemas import AnswerIn
from tests.conftest import Cast, client_for
from tests.factories import make_member
from tests.governance.conftest import opened
from tests.governance.succession_factories import call, held, position, today


def _send(
    client: Client, path: str, body: dict[str, Any] | None = None, method: str = "post"
) -> Any:
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def test_a_position_gets_a_holder_a_successor_and_a_checklist(cast: Cast) -> None:
    steward = client_for(cast.steward)

    made = _send(steward, "/api/v1/positions", {"title": "Treasurer", "seats": 1})
    pk = made.json()["id"]
    start = today().isoformat()
    end = (today() + timedelta(days=300)).isoformat()
    termed = _send(
        steward,
        f"/api/v1/positions/{pk}/terms",
        {"member": cast.member.pseudonym, "start": start, "end": end},
    )
    planned = _send(
        client_for(cast.member),
        f"/api/v1/positions/{pk}/plan",
        {"member": cast.other.pseudonym, "role": "successor"},
    )
    item = _send(client_for(cast.member), f"/api/v1/positions/{pk}/checklist", {"text": "Keys"})
    item_id = item.json()["checklist"][0]["id"]
    ticked = _send(steward, f"/api/v1/positions/{pk}/checklist/{item_id}", {"done": True}, "put")
    noted = _send(steward, f"/api/v1/positions/{pk}/notes", {"notes": "Ask the bank."}, "put")
    listed = client_for(cast.other).get("/api/v1/positions").json()

    assert made.status_code == 201
    assert termed.status_code == 201
    assert planned.json()["has_successor"] is True
    assert ticked.json()["checklist"][0]["done"] is True
    assert noted.json()["transfer_notes"] == "Ask the bank."
    assert listed[0]["at_risk"] == ""
    assert client_for(cast.treasurer).get(f"/api/v1/positions/{pk}").json()["plan"] == []


def test_refusals_say_why(cast: Cast) -> None:
    p = position(cast.steward)
    held(cast.steward, p, cast.member)
    start = today().isoformat()

    over = _send(
        client_for(cast.steward),
        f"/api/v1/positions/{p.pk}/terms",
        {"member": cast.other.pseudonym, "start": start, "end": start},
    )
    not_steward = _send(client_for(cast.member), "/api/v1/positions", {"title": "Chair"})

    assert over.status_code == 409
    assert "seat" in over.json()["detail"]
    assert not_steward.status_code == 403


def test_a_call_shows_its_answers_only_to_stewards(cast: Cast) -> None:
    p = position(cast.steward)
    closes = (today() + timedelta(days=7)).isoformat()
    made = _send(
        client_for(cast.steward),
        "/api/v1/calls",
        {"position": p.pk, "asks": "A chair", "backgrounds": ["Students"], "closes_on": closes},
    )
    pk = made.json()["id"]

    answered = _send(
        client_for(cast.member), f"/api/v1/calls/{pk}/answer", {"backgrounds": ["Students"]}, "put"
    )
    seen_by_other = client_for(cast.other).get(f"/api/v1/calls/{pk}").json()
    seen_by_steward = client_for(cast.steward).get(f"/api/v1/calls/{pk}").json()
    withdrawn = client_for(cast.member).delete(f"/api/v1/calls/{pk}/answer")
    closed = _send(client_for(cast.steward), f"/api/v1/calls/{pk}/close")

    assert made.status_code == 201
    assert answered.json()["my_answer"]["backgrounds"] == ["Students"]
    assert seen_by_other["answers"] is None
    assert seen_by_other["answered"] is None
    assert seen_by_other["background_counts"] == {"Students": None}
    assert len(seen_by_steward["answers"]) == 1
    assert withdrawn.json()["my_answer"] is None
    assert closed.json()["status"] == "closed"


def test_ten_answers_are_counted(cast: Cast) -> None:
    c = call(cast.steward, position(cast.steward))
    for i in range(10):
        services.answer_call(make_member(name=f"V{i}"), c.pk, AnswerIn(backgrounds=["Retirees"]))

    got = client_for(cast.partner_rep).get(f"/api/v1/calls/{c.pk}").json()

    assert got["answered"] == 10
    assert got["background_counts"] == {"Students": 0, "Retirees": 10, "Newcomers": 0}


def test_memory_is_added_listed_and_hidden(cast: Cast) -> None:
    d = opened(cast)

    made = _send(
        client_for(cast.member),
        "/api/v1/memory",
        {"kind": "strategy", "title": "Pilot first", "body": "It worked.", "decision": d.pk},
    )
    by_decision = client_for(cast.other).get(f"/api/v1/memory?decision={d.pk}").json()
    hidden = _send(
        client_for(cast.steward), f"/api/v1/memory/{made.json()['id']}/hide", {"reason": "Dup"}
    )
    after = client_for(cast.other).get("/api/v1/memory").json()

    assert made.status_code == 201
    assert [e["title"] for e in by_decision] == ["Pilot first"]
    assert hidden.json()["hidden"] is True
    assert after == []
    assert client_for(cast.partner_rep).get("/api/v1/memory").status_code == 403
    assert (
        _send(
            client_for(cast.member), "/api/v1/memory", {"kind": "nope", "title": "T", "body": "B"}
        ).status_code
        == 422
    )
