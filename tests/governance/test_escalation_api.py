"""Concerns through the API: the whole flow, refusals with their reasons, anonymity, and
public statistics that say nothing about fewer than 10 concerns."""

import json
from typing import Any

from django.test import Client

from accord.governance import services
from tests.conftest import Cast, client_for
from tests.governance.escalation_helpers import ladder, raised


def _send(
    client: Client, path: str, body: dict[str, Any] | None = None, method: str = "post"
) -> Any:
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def test_a_concern_goes_from_raised_to_resolved(cast: Cast) -> None:
    ladder(cast)
    member, lead, auditor = (client_for(m) for m in (cast.member, cast.group_lead, cast.auditor))

    made = _send(
        member,
        "/api/v1/concerns",
        {"kind": "conduct", "summary": "Late", "body": "Too late.", "anonymous": True},
    )
    pk = made.json()["id"]
    acknowledged = _send(lead, f"/api/v1/concerns/{pk}/acknowledge")
    escalated = _send(lead, f"/api/v1/concerns/{pk}/escalate")
    resolved = _send(auditor, f"/api/v1/concerns/{pk}/resolve", {"resolution": "Fixed."})
    seen = member.get(f"/api/v1/concerns/{pk}").json()

    assert made.status_code == 201
    assert (made.json()["level"], made.json()["raiser"]) == (1, "you")
    assert acknowledged.json()["status"] == "acknowledged"
    assert escalated.json()["level"] == 2
    assert resolved.json()["status"] == "resolved"
    assert seen["resolution"] == "Fixed."
    assert [h["kind"] for h in seen["history"]] == [
        "raised",
        "acknowledged",
        "escalated",
        "resolved",
    ]
    assert auditor.get(f"/api/v1/concerns/{pk}").json()["raiser"] == "Mo Member"
    steward_view = client_for(cast.steward).get(f"/api/v1/concerns/{pk}").json()
    assert steward_view["raiser"] == "a member"
    assert [c["id"] for c in member.get("/api/v1/concerns").json()] == [pk]


def test_refusals_come_with_the_services_reason(cast: Cast) -> None:
    concern = raised(cast)

    other = _send(client_for(cast.other), f"/api/v1/concerns/{concern.pk}/acknowledge")
    member = _send(client_for(cast.member), f"/api/v1/concerns/{concern.pk}/acknowledge")
    empty = _send(
        client_for(cast.group_lead), f"/api/v1/concerns/{concern.pk}/resolve", {"resolution": ""}
    )
    rep = _send(
        client_for(cast.partner_rep),
        "/api/v1/concerns",
        {"kind": "conduct", "summary": "s", "body": "b"},
    )

    assert (other.status_code, other.json()["code"]) == (404, "not_found")
    assert (member.status_code, member.json()["code"]) == (403, "forbidden")
    assert empty.status_code == 422
    assert rep.status_code == 403


def test_levels_are_set_and_listed(cast: Cast) -> None:
    body = {
        "rank": 1,
        "name": "Leads",
        "response_hours": 24,
        "handlers": [cast.group_lead.pseudonym],
    }

    set_ = _send(client_for(cast.steward), "/api/v1/concerns/levels", body, method="put")
    refused = _send(client_for(cast.member), "/api/v1/concerns/levels", body, method="put")

    assert set_.status_code == 200
    assert [(lv["rank"], lv["name"], lv["group"]) for lv in set_.json()] == [(1, "Leads", None)]
    assert refused.status_code == 403
    assert client_for(cast.member).get("/api/v1/concerns/levels").status_code == 200


def test_the_handlers_queue(cast: Cast) -> None:
    concern = raised(cast)

    queue = client_for(cast.group_lead).get("/api/v1/concerns/queue").json()

    assert [c["id"] for c in queue] == [concern.pk]
    assert client_for(cast.other).get("/api/v1/concerns/queue").json() == []


def test_the_statistics_are_public_and_null_below_ten(cast: Cast) -> None:
    concern = raised(cast)
    services.escalate_overdue_concerns(now=concern.deadline)

    stats = Client().get("/api/v1/concerns/statistics")

    assert stats.status_code == 200
    overall = stats.json()["overall"]
    assert overall == {
        "label": "All concerns",
        "raised": None,
        "resolved": 0,
        "median_days": None,
        "within_deadline": None,
    }
