"""Decisions through the API: the whole flow, refusals with their reasons, and ballots
that stay secret from every reader, response and ledger entry."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accord.governance.models import Decision
from accord.ledger import queries as ledger_queries
from accord.people.models import Member, Purpose
from tests.conftest import Cast, client_for
from tests.factories import grant
from tests.governance.conftest import opened, past_closing, vote

ROLES = ("member", "other", "group_lead", "steward", "treasurer", "partner_rep", "auditor")


def _post(
    client: Client, path: str, body: dict[str, Any] | None = None, method: str = "post"
) -> Any:
    return getattr(client, method)(path, json.dumps(body or {}), content_type="application/json")


def test_a_decision_goes_from_proposal_to_outcome(cast: Cast) -> None:
    member, steward = client_for(cast.member), client_for(cast.steward)
    closes = (timezone.now() + timedelta(days=3)).isoformat()
    body = {
        "title": "Pick a day",
        "body": "For the meetup.",
        "poll": "single",
        "options": ["Tuesday", "Thursday"],
        "closes_at": closes,
    }

    made = _post(member, "/api/v1/decisions", body)
    pk = made.json()["id"]
    opening = _post(steward, f"/api/v1/decisions/{pk}/open")
    voted = _post(member, f"/api/v1/decisions/{pk}/vote", {"option": 1}, method="put")
    _post(client_for(cast.other), f"/api/v1/decisions/{pk}/vote", {"option": 1}, method="put")
    commented = _post(member, f"/api/v1/decisions/{pk}/comments", {"body": "Thursdays suit me"})
    past_closing(Decision.objects.get(pk=pk))
    closing = _post(steward, f"/api/v1/decisions/{pk}/close")
    outcome = _post(steward, f"/api/v1/decisions/{pk}/outcome", {"statement": "Thursdays."})

    assert made.status_code == 201
    assert made.json()["status"] == "draft"
    assert opening.json()["electorate"] == 6
    assert voted.json()["my_choice"] == {"option": 1}
    assert commented.status_code == 201
    assert commented.json()["mine"] is True
    assert closing.json()["tally"]["winner"] == 1
    assert closing.json()["tally"]["counts"] == [0, 2]
    assert closing.json()["turnout"] == "1/3"
    assert closing.json()["outcome_due"] is True
    assert outcome.json()["outcome"] == "Thursdays."
    assert outcome.json()["outcome_due"] is False
    listed = member.get("/api/v1/decisions?status=closed").json()
    assert [d["id"] for d in listed] == [pk]


@pytest.mark.parametrize(
    ("path", "body", "method", "status", "code"),
    [
        (
            "/api/v1/decisions",
            {"title": "T", "body": "B", "poll": "consent"},
            "post",
            422,
            "invalid",
        ),
        (
            "/api/v1/decisions",
            {"title": "T", "body": "B", "poll": "vibes", "closes_at": "2099-01-01T00:00Z"},
            "post",
            422,
            "invalid",
        ),
        ("/api/v1/decisions/{pk}/vote", {"stance": "maybe"}, "put", 422, "invalid"),
        ("/api/v1/decisions/{pk}/vote", {"option": 1}, "put", 422, "invalid"),
        ("/api/v1/decisions/{pk}/open", None, "post", 403, "forbidden"),
        ("/api/v1/decisions/{pk}/comments", {"body": " "}, "post", 422, "invalid"),
        ("/api/v1/decisions/{pk}/close", None, "post", 403, "forbidden"),
        ("/api/v1/decisions/{pk}/outcome", {"statement": "x"}, "post", 403, "forbidden"),
        ("/api/v1/decisions/999999", None, "get", 404, "not_found"),
    ],
)
def test_bad_requests_get_a_4xx_with_the_reason_and_change_nothing(  # noqa: PLR0917
    cast: Cast, path: str, body: dict[str, Any] | None, method: str, status: int, code: str
) -> None:
    decision = opened(cast)
    before = list(Decision.objects.values()), decision.ballots.count()
    client = client_for(cast.member)

    if method == "get":
        response = client.get(path.format(pk=decision.pk))
    else:
        response = _post(client, path.format(pk=decision.pk), body, method=method)

    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response.json()["detail"]
    assert (list(Decision.objects.values()), decision.ballots.count()) == before


def test_a_partner_representative_reads_no_decision(cast: Cast) -> None:
    decision = opened(cast)
    rep = client_for(cast.partner_rep)

    assert rep.get("/api/v1/decisions").status_code == 403
    assert rep.get(f"/api/v1/decisions/{decision.pk}").status_code == 404


def _voters(cast: Cast) -> list[Member]:
    """Voters every reader could see by consent: an open ballot would name them."""
    voters = [cast.other, cast.group_lead, cast.treasurer, cast.auditor]
    for v in voters:
        grant(v, Purpose.MEMBER_DIRECTORY)
    return voters


def _everything_read(cast: Cast, pk: int) -> str:
    """Every API response about the decision, for every role, and the public ledger."""
    seen = []
    for role in ROLES:
        client = client_for(getattr(cast, role))
        for path in (
            "/api/v1/decisions",
            f"/api/v1/decisions/{pk}",
            f"/api/v1/decisions/{pk}/comments",
        ):
            response = client.get(path)
            if role in ("other", "group_lead", "treasurer", "auditor") and path.endswith(str(pk)):
                mine = response.json()["my_choice"]
                assert mine is not None  # each voter sees their own ballot, and only that
                response = json.loads(response.content)
                response["my_choice"] = None
                seen.append(json.dumps(response))
            else:
                seen.append(response.content.decode())
    seen.append("\n".join(ledger_queries.export_lines()))
    seen.append(client_for(None).get("/ledger/").content.decode())
    return "\n".join(seen)


STANCES = ("agree", "disagree", "block", "abstain")


def test_no_response_or_ledger_entry_tells_who_voted_what_in_a_secret_ballot(cast: Cast) -> None:
    decision = opened(cast, secret=True)
    voters = _voters(cast)
    for voter, stance in zip(voters, STANCES, strict=True):
        vote(voter, decision, stance=stance)
    while_open = _everything_read(cast, decision.pk)
    running = client_for(cast.steward).get(f"/api/v1/decisions/{decision.pk}").json()
    past_closing(decision)
    client_for(cast.steward).post(f"/api/v1/decisions/{decision.pk}/close")

    after = _everything_read(cast, decision.pk)

    for text in (while_open, after):
        for voter in voters:
            assert voter.pseudonym not in text
            assert voter.display_name not in text
        for stance in STANCES:
            assert f'"stance": "{stance}"' not in text
            assert f'"stance":"{stance}"' not in text
    assert running["tally"] is None  # a running count would move with each ballot
    assert running["ballots"] == 4
    page = client_for(cast.steward).get(f"/api/v1/decisions/{decision.pk}").json()
    assert page["tally"]["counts"] == [1, 1, 1, 1]  # counts and turnout: always
    assert page["turnout"] == "2/3"
    assert page["voters"] is None


def test_an_open_ballot_names_voters_only_as_their_consent_allows(cast: Cast) -> None:
    decision = opened(cast)
    grant(cast.member, Purpose.MEMBER_DIRECTORY)  # cast.other is not shown to members
    vote(cast.member, decision, stance="agree")
    vote(cast.other, decision, stance="block")

    page = client_for(cast.group_lead).get(f"/api/v1/decisions/{decision.pk}").json()

    assert page["voters"] == [
        {
            "name": cast.member.display_name,
            "handle": cast.member.pseudonym,
            "choice": {"stance": "agree"},
        }
    ]
    assert cast.other.pseudonym not in json.dumps(page)
    assert page["tally"]["counts"] == [1, 0, 0, 1]
    assert page["ballots"] == 2
