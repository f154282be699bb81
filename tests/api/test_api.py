"""The API: authentication, tokens, the error body, and bad input that changes nothing."""

import json
import os
from pathlib import Path

import pytest
from django.test import Client

from accord.api.api import api
from accord.people.models import AccessToken, Consent, ConsentEvent, Membership
from accord.people.schemas import TokenIn
from accord.people.services import create_token, digest
from tests.conftest import Cast, client_for

SNAPSHOT = Path(__file__).with_name("openapi.json")


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_openapi_is_served_and_matches_the_committed_snapshot(db: None) -> None:
    schema = Client().get("/api/v1/openapi.json").json()

    assert schema["info"]["title"] == "Accord API"
    # A change to the API must be visible in review: regenerate with ACCORD_UPDATE_SNAPSHOT=1.
    text = json.dumps(schema, indent=2, sort_keys=True) + "\n"
    if os.environ.get("ACCORD_UPDATE_SNAPSHOT"):
        SNAPSHOT.write_text(text)
    assert SNAPSHOT.exists(), "no snapshot: run with ACCORD_UPDATE_SNAPSHOT=1 and review it"
    assert text == SNAPSHOT.read_text()


def test_the_schema_is_built_once_per_process_and_served_the_same(db: None) -> None:
    first = api.get_openapi_schema(path_prefix="/api/v1/")

    assert api.get_openapi_schema(path_prefix="/api/v1/") is first
    assert Client().get("/api/v1/openapi.json").json()["paths"].keys() == first["paths"].keys()


def test_it_requires_authentication_with_the_error_shape(db: None) -> None:
    response = Client().get("/api/v1/me")

    assert response.status_code == 401
    assert set(response.json()) == {"detail", "code"}
    assert response.json()["code"] == "unauthenticated"


def test_a_token_is_shown_once_and_stored_only_as_a_digest(cast: Cast) -> None:
    response = client_for(cast.member).post(
        "/api/v1/tokens", {"name": "report script"}, content_type="application/json"
    )

    secret = response.json()["secret"]
    token = AccessToken.objects.get()
    assert response.status_code == 201
    assert secret.startswith("acc_")
    assert token.digest == digest(secret)
    assert secret not in {token.digest, token.prefix, token.name}
    listed = client_for(cast.member).get("/api/v1/tokens").json()
    assert "secret" not in listed[0]


def test_a_token_authenticates_until_revoked(cast: Cast) -> None:
    new = create_token(cast.member, TokenIn(name="script"))
    client = Client()

    me = client.get("/api/v1/me", headers=bearer(new.secret))
    revoked = client_for(cast.member).delete(f"/api/v1/tokens/{new.token.pk}")
    after = client.get("/api/v1/me", headers=bearer(new.secret))

    assert me.json()["pseudonym"] == cast.member.pseudonym
    assert revoked.json()["revoked_at"] is not None
    assert after.status_code == 401


def test_it_refuses_a_wrong_token(cast: Cast) -> None:
    response = Client().get("/api/v1/me", headers=bearer("acc_not-a-real-token"))

    assert response.status_code == 401


def test_another_members_token_cannot_be_revoked(cast: Cast) -> None:
    theirs = create_token(cast.other, TokenIn(name="theirs"))

    response = client_for(cast.member).delete(f"/api/v1/tokens/{theirs.token.pk}")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    theirs.token.refresh_from_db()
    assert theirs.token.revoked_at is None


def test_session_writes_need_the_csrf_token(cast: Cast) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.member.user)

    response = client.put(
        "/api/v1/consents/partner_contact", {"granted": True}, content_type="application/json"
    )

    assert response.status_code == 403
    assert set(response.json()) == {"detail", "code"}
    assert not Consent.objects.exists()


def test_consent_through_the_api_is_recorded_with_its_source(cast: Cast) -> None:
    client = client_for(cast.member)

    response = client.put(
        "/api/v1/consents/partner_contact", {"granted": True}, content_type="application/json"
    )

    assert response.status_code == 200
    assert response.json()["granted"] is True
    assert ConsentEvent.objects.get().source == "api"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("put", "/api/v1/consents/sell_my_data", {"granted": True}, 404),
        ("put", "/api/v1/consents/partner_contact", {"granted": "maybe"}, 422),
        ("put", "/api/v1/consents/partner_contact", {}, 422),
        ("patch", "/api/v1/me", {"time_zone": "Mars/Olympus"}, 422),
        ("patch", "/api/v1/me", {"display_name": ""}, 422),
        ("patch", "/api/v1/me", {"expertise": ["<script>"]}, 422),
        ("post", "/api/v1/tokens", {"name": ""}, 422),
        ("post", "/api/v1/groups/no-such-group/membership", None, 404),
        ("delete", "/api/v1/groups/no-such-group/membership", None, 404),
    ],
)
def test_bad_input_gets_a_reason_and_changes_nothing(
    cast: Cast, method: str, path: str, body: object, status: int
) -> None:
    client = client_for(cast.member)
    before = (Consent.objects.count(), AccessToken.objects.count(), Membership.objects.count())
    profile_before = (cast.member.display_name, cast.member.time_zone, cast.member.expertise)

    kwargs = {"content_type": "application/json", "data": body} if body is not None else {}
    response = getattr(client, method)(path, **kwargs)

    assert response.status_code == status
    assert set(response.json()) == {"detail", "code"}
    assert response.json()["detail"]
    cast.member.refresh_from_db()
    after = (Consent.objects.count(), AccessToken.objects.count(), Membership.objects.count())
    assert after == before
    assert (cast.member.display_name, cast.member.time_zone, cast.member.expertise) == (
        profile_before
    )


def test_join_and_leave_a_group(cast: Cast) -> None:
    client = client_for(cast.steward)
    url = f"/api/v1/groups/{cast.group.slug}/membership"

    joined = client.post(url)
    again = client.post(url)
    left = client.delete(url)

    assert joined.status_code == 201
    assert again.status_code == 409
    assert again.json()["code"] == "conflict"
    assert left.status_code == 200
    assert left.json()["left_at"] is not None
    assert Membership.objects.filter(member=cast.steward).count() == 1  # history kept


def test_member_list_pins_its_query_count(cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for(cast.member)
    client.get("/api/v1/members")  # warm the session

    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/members?limit=50")

    assert response.status_code == 200


def test_profile_update_through_the_api(cast: Cast) -> None:
    response = client_for(cast.member).patch(
        "/api/v1/me",
        {
            "pronouns": "they/them",
            "expertise": ["Grant Writing", "python"],
            "time_zone": "Europe/Paris",
        },
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["expertise"] == ["grant writing", "python"]
    cast.member.refresh_from_db()
    assert cast.member.time_zone == "Europe/Paris"
    assert not Consent.objects.filter(member=cast.member).exists()  # consent is separate
