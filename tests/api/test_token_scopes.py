"""A token does what its scopes allow and no more, stops at its expiry, dies with its
member's password or role, and never manages tokens: that takes a signed-in session."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accord.people.models import AccessToken, Consent
from accord.people.schemas import SiteRoleIn, TokenIn
from accord.people.services import create_token, set_site_role
from tests.api.test_api import bearer
from tests.conftest import Cast, client_for


def test_a_token_cannot_make_list_or_revoke_tokens(cast: Cast) -> None:
    new = create_token(cast.member, TokenIn(name="script", scopes=["read", "write"]))
    client = Client()

    made = client.post(
        "/api/v1/tokens", {"name": "child"}, content_type="application/json", **_auth(new.secret)
    )
    listed = client.get("/api/v1/tokens", **_auth(new.secret))
    revoked = client.delete(f"/api/v1/tokens/{new.token.pk}", **_auth(new.secret))

    for response in (made, listed, revoked):
        assert response.status_code == 403
        assert "signed-in session" in response.json()["detail"]
    assert list(AccessToken.objects.values_list("name", "revoked_at")) == [("script", None)]


def test_a_read_token_reads_but_does_not_write(cast: Cast) -> None:
    new = create_token(cast.member, TokenIn(name="reader"))
    client = Client()

    me = client.get("/api/v1/me", **_auth(new.secret))
    write = client.put(
        "/api/v1/consents/partner_contact",
        {"granted": True},
        content_type="application/json",
        **_auth(new.secret),
    )

    assert new.token.scopes == ["read"]
    assert me.status_code == 200
    assert write.status_code == 403
    assert write.json()["detail"] == "This token lacks the write scope this route needs."
    assert not Consent.objects.exists()


def test_money_routes_need_the_treasury_scope(cast: Cast) -> None:
    plain = create_token(cast.treasurer, TokenIn(name="plain", scopes=["read", "write"]))
    treasury = create_token(cast.treasurer, TokenIn(name="money", scopes=["treasury"]))
    body = {"amount": 100, "source": "Lumen", "key": "k"}
    client = Client()

    without = client.post(
        "/api/v1/pools/no-such-pool/funding", body, "application/json", **_auth(plain.secret)
    )
    payouts = client.get("/api/v1/payouts", **_auth(plain.secret))
    with_it = client.post(
        "/api/v1/pools/no-such-pool/funding", body, "application/json", **_auth(treasury.secret)
    )

    assert without.status_code == payouts.status_code == 403
    assert "treasury scope" in without.json()["detail"]
    assert with_it.status_code == 404  # past the scope check, the service looks the pool up


def test_only_those_with_treasury_powers_get_the_treasury_scope(cast: Cast) -> None:
    pages = [
        client_for(someone).post(
            "/me/tokens/",
            {"name": "sneaky", "scopes": ["read", "treasury"], "expires_in_days": "30"},
        )
        for someone in (cast.member, cast.steward, cast.auditor)
    ]

    assert [p.status_code for p in pages] == [403, 403, 403]
    assert all(b"treasury powers" in p.content for p in pages)
    assert not AccessToken.objects.exists()


def test_the_page_makes_a_token_with_the_scopes_and_lifetime_chosen(cast: Cast) -> None:
    before = timezone.now()

    page = client_for(cast.member).post(
        "/me/tokens/", {"name": "weekly", "scopes": ["read", "write"], "expires_in_days": "7"}
    )

    token = AccessToken.objects.get()
    assert page.status_code == 201
    assert token.scopes == ["read", "write"]
    assert timedelta(days=7) <= token.expires_at - before < timedelta(days=7, minutes=1)


def test_an_expired_token_is_refused(cast: Cast) -> None:
    new = create_token(cast.member, TokenIn(name="old"))
    AccessToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client().get("/api/v1/me", **_auth(new.secret))

    assert response.status_code == 401


def test_a_new_password_revokes_every_token(cast: Cast) -> None:
    first = create_token(cast.member, TokenIn(name="one"))
    create_token(cast.member, TokenIn(name="two"))
    theirs = create_token(cast.other, TokenIn(name="theirs"))
    user = cast.member.user

    user.set_password("a new passphrase, long enough")
    user.save()

    assert set(AccessToken.objects.filter(member=cast.member).values_list("revoked_because")) == {
        ("password changed",)
    }
    assert Client().get("/api/v1/me", **_auth(first.secret)).status_code == 401
    assert Client().get("/api/v1/me", **_auth(theirs.secret)).status_code == 200


def test_saving_a_user_without_a_new_password_keeps_the_tokens(cast: Cast) -> None:
    create_token(cast.member, TokenIn(name="one"))
    user = cast.member.user

    user.first_name = "Mo"
    user.save()

    assert AccessToken.objects.get().revoked_at is None


def test_a_role_change_revokes_every_token(cast: Cast) -> None:
    new = create_token(cast.member, TokenIn(name="one"))

    set_site_role(cast.steward, cast.member.pseudonym, SiteRoleIn(role="auditor"))

    new.token.refresh_from_db()
    assert new.token.revoked_because == "role changed"
    assert Client().get("/api/v1/me", **_auth(new.secret)).status_code == 401


def _auth(secret: str) -> dict[str, dict[str, str]]:
    return {"headers": bearer(secret)}
