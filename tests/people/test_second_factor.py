"""Stewards and auditors hold their powers only with a second factor (an authenticator app
or a security key): without one they act as a plain member on every door, and the pages
ask them to set one up; with one, signing in asks for its code."""

import pytest
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.test import Client

from accord.demo import DEMO_TOTP_KEY, demo_code
from accord.domain.errors import Forbidden
from accord.people import permissions
from accord.people.models import SiteRole
from accord.people.schemas import SiteRoleIn, TokenIn
from accord.people.services import create_token, set_site_role
from tests.conftest import Cast, client_for
from tests.factories import PASSWORD, add_second_factor, make_member, totp_code


def test_a_steward_without_a_second_factor_acts_as_a_member(cast: Cast) -> None:
    steward = make_member(role=SiteRole.STEWARD, second_factor=False)

    with pytest.raises(Forbidden):
        set_site_role(steward, cast.member.pseudonym, SiteRoleIn(role="auditor"))
    home = client_for(steward).get("/home/")
    pools = client_for(steward).get("/pools/new/")
    admin = client_for(steward).get("/admin/")
    token = create_token(steward, TokenIn(name="script", scopes=["read", "write"]))
    api = Client().put(
        f"/api/v1/members/{cast.member.pseudonym}/role",
        {"role": "auditor"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token.secret}"},
    )

    assert not permissions.is_steward(steward)
    assert permissions.awaits_second_factor(steward)
    assert b"powers start once you set up two-factor authentication" in home.content
    assert b'href="/accounts/2fa/"' in home.content
    assert b">Leadership<" not in home.content
    assert pools.status_code in {403, 404}
    assert admin.status_code == 302
    assert api.status_code in {403, 404}
    cast.member.refresh_from_db()
    assert cast.member.role == SiteRole.MEMBER


def test_with_a_second_factor_the_powers_work(cast: Cast) -> None:
    steward = make_member(role=SiteRole.STEWARD, second_factor=False)
    add_second_factor(steward)

    set_site_role(steward, cast.member.pseudonym, SiteRoleIn(role="auditor"))
    home = client_for(steward).get("/home/")

    assert permissions.is_steward(steward)
    assert b"powers start once" not in home.content
    assert b">Leadership<" in home.content


def test_an_auditor_without_a_second_factor_gets_no_auditor_export(cast: Cast) -> None:
    auditor = make_member(role=SiteRole.AUDITOR, second_factor=False)

    response = client_for(auditor).get("/audit/ledger.jsonl")

    assert response.status_code in {403, 404}
    assert not permissions.is_auditor(auditor)


def test_signing_in_asks_for_the_apps_code(cast: Cast) -> None:
    client = Client()
    email = cast.steward.user.email

    first = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    signed_out_yet = "_auth_user_id" not in client.session
    right = client.post("/accounts/2fa/authenticate/", {"code": totp_code(cast.steward)})

    assert first.status_code == 302
    assert first["Location"] == "/accounts/2fa/authenticate/"
    assert wrong.status_code == 200
    assert signed_out_yet
    assert right.status_code == 302
    assert client.session["_auth_user_id"] == str(cast.steward.user.pk)


def test_a_plain_member_signs_in_with_a_password_alone(cast: Cast) -> None:
    client = Client()

    response = client.post(
        "/accounts/login/", {"login": cast.member.user.email, "password": PASSWORD}
    )

    assert response["Location"] == "/home/"
    assert not permissions.awaits_second_factor(cast.member)


def test_the_demo_code_is_the_code_the_demo_key_gives() -> None:
    assert validate_totp_code(DEMO_TOTP_KEY, demo_code())
    assert demo_code(at=0) != demo_code(at=30)
