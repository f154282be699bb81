"""Locked doors: the sign-in lockout holds on every sign-in form, the admin signs in through
it, repeated actions are rate-limited in the shared cache, and a deployment with a cache
each process keeps for itself fails `check --deploy`."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.test import Client, override_settings

from accord.people.models import AccessToken
from accord.web.checks import shared_cache
from tests.conftest import Cast, client_for
from tests.factories import PASSWORD


def _sign_in(client: Client, email: str, password: str) -> str:
    response = client.post("/accounts/login/", {"login": email, "password": password})
    return response.content.decode()


def test_after_five_failures_even_the_right_password_is_refused(cast: Cast) -> None:
    email = cast.steward.user.email
    client = Client()

    for _ in range(5):
        assert "not correct" in _sign_in(client, email, "wrong password")
    refused = _sign_in(client, email, PASSWORD)

    assert "Too many failed login attempts" in refused
    assert "_auth_user_id" not in client.session
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM accord_cache")
        assert cursor.fetchone()[0] >= 1  # the counters live in the shared database cache


def test_four_failures_do_not_lock_the_right_password_out(cast: Cast) -> None:
    email = cast.member.user.email
    client = Client()

    for _ in range(4):
        _sign_in(client, email, "wrong password")
    _sign_in(client, email, PASSWORD)

    assert client.session["_auth_user_id"] == str(cast.member.user.pk)


def test_the_admin_signs_in_through_the_same_locked_form(cast: Cast) -> None:
    client = Client()

    shown = client.get("/admin/login/?next=/admin/")
    posted = client.post(
        "/admin/login/", {"username": cast.steward.user.email, "password": PASSWORD}
    )

    assert shown.status_code == 302
    assert shown["Location"].startswith("/accounts/login/?next=")
    assert posted.status_code == 302
    assert posted["Location"].startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client_for(cast.steward).get("/admin/").status_code == 200


def test_token_creation_is_limited_per_member(cast: Cast) -> None:
    client = client_for(cast.member)

    made = [client.post("/me/tokens/", {"name": f"t{i}", "scopes": ["read"]}) for i in range(10)]
    refused = client.post("/me/tokens/", {"name": "one too many", "scopes": ["read"]})
    other = client_for(cast.other).post("/me/tokens/", {"name": "theirs", "scopes": ["read"]})

    assert {r.status_code for r in made} == {201}
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600
    assert b"Too many requests" in refused.content
    assert not AccessToken.objects.filter(name="one too many").exists()
    assert other.status_code == 201  # counted per member


def test_exports_are_limited(cast: Cast) -> None:
    client = client_for(cast.member)

    statuses = [client.get("/members/export.csv").status_code for _ in range(31)]

    assert set(statuses[:30]) == {200}
    assert statuses[30] == 429


def test_the_payouts_export_is_limited(cast: Cast) -> None:
    client = client_for(cast.treasurer)

    statuses = [client.get("/treasury/payouts.csv").status_code for _ in range(31)]

    assert set(statuses[:30]) == {200}
    assert statuses[30] == 429


@pytest.mark.parametrize(
    ("backend", "fails"),
    [
        ("django.core.cache.backends.db.DatabaseCache", False),
        ("django.core.cache.backends.redis.RedisCache", False),
        ("django.core.cache.backends.locmem.LocMemCache", True),
        ("django.core.cache.backends.dummy.DummyCache", True),
    ],
)
def test_deploy_check_refuses_a_cache_each_process_keeps(backend: str, fails: bool) -> None:
    with override_settings(CACHES={"default": {"BACKEND": backend, "LOCATION": "x"}}):
        errors = shared_cache(None)

    assert [e.id for e in errors] == (["accord.E010"] if fails else [])


def test_check_deploy_fails_on_a_per_process_cache(db: None) -> None:
    locmem = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(CACHES=locmem), pytest.raises(SystemCheckError, match=r"accord\.E010"):
        call_command("check", "--deploy", "--tag", "caches")


def test_token_creation_counts_the_page_and_the_api_together(cast: Cast) -> None:
    client = client_for(cast.member)

    pages = [client.post("/me/tokens/", {"name": f"p{i}", "scopes": ["read"]}) for i in range(5)]
    api = [
        client.post(
            "/api/v1/tokens",
            {"name": f"a{i}", "scopes": ["read"]},
            content_type="application/json",
        )
        for i in range(5)
    ]
    refused = client.post(
        "/api/v1/tokens",
        {"name": "one too many", "scopes": ["read"]},
        content_type="application/json",
    )
    page_refused = client.post("/me/tokens/", {"name": "and here", "scopes": ["read"]})

    assert {r.status_code for r in pages + api} == {201}
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert "Too many requests" in refused.json()["detail"]
    assert page_refused.status_code == 429
    assert not AccessToken.objects.filter(name__in=["one too many", "and here"]).exists()


def test_password_reset_emails_to_one_address_are_limited(cast: Cast) -> None:
    email = cast.member.user.email
    client = Client()

    sent = [client.post("/accounts/password/reset/", {"email": email}) for _ in range(3)]
    refused = client.post("/accounts/password/reset/", {"email": email})
    other = client.post("/accounts/password/reset/", {"email": cast.other.user.email})

    assert [r.status_code for r in sent] == [302, 302, 302]
    assert refused.status_code == 429
    assert b"Too many requests" in refused.content
    assert other.status_code == 302  # counted per address


def test_password_reset_requests_from_one_network_address_are_limited(db: None) -> None:
    client = Client(REMOTE_ADDR="198.51.100.7")

    asked = [
        client.post("/accounts/password/reset/", {"email": f"nobody{i}@example.org"})
        for i in range(10)
    ]
    refused = client.post("/accounts/password/reset/", {"email": "nobody10@example.org"})

    assert {r.status_code for r in asked} == {302}
    assert refused.status_code == 429


def test_the_reset_link_page_is_limited_per_network_address(db: None) -> None:
    client = Client(REMOTE_ADDR="198.51.100.8")
    url = "/accounts/password/reset/key/1-not-a-real-key/"
    form = {"password1": "a new long password", "password2": "a new long password"}

    tried = [client.post(url, form).status_code for _ in range(20)]
    refused = client.post(url, form)

    assert 429 not in tried
    assert refused.status_code == 429
