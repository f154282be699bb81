"""A new steward signs in, is told their powers wait for a second factor, sets up an
authenticator app from the page it links to, and then has them; the next sign-in asks for
the app's code."""

import base64
import hmac
import struct
import time

import pytest
from axe_playwright_python.sync_playwright import Axe

from accord.people.models import SiteRole
from tests.e2e.conftest import sign_in
from tests.factories import PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _code(secret: str, at: float) -> str:
    """What an authenticator app shows for `secret` at time `at` (RFC 6238, SHA-1, 6 digits)."""
    digest = hmac.new(
        base64.b32decode(secret, casefold=True), struct.pack(">Q", int(at) // 30), "sha1"
    ).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_a_steward_sets_up_an_authenticator_app_and_gains_their_powers(  # type: ignore[no-untyped-def]
    live_server, browser
) -> None:
    make_member(
        name="Nia New", email="nia@example.org", role=SiteRole.STEWARD, second_factor=False
    )
    page = browser.new_context().new_page()

    sign_in(page, live_server.url, "nia@example.org", PASSWORD)
    banner = page.get_by_role("status").filter(has_text="two-factor authentication")
    assert banner.is_visible()
    assert page.get_by_role("link", name="Leadership").count() == 0
    banner.get_by_role("link", name="Set it up").click()
    page.wait_for_url(f"{live_server.url}/accounts/2fa/")
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    if "/accounts/reauthenticate/" in page.url:  # allauth confirms the password first
        page.fill("input[name=password]", PASSWORD)
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    assert Axe().run(page).violations_count == 0
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", _code(secret, time.time()))
    page.get_by_role("button", name="Activate").click()
    page.goto(f"{live_server.url}/home/")

    assert page.get_by_role("link", name="Leadership").is_visible()
    assert "powers start once" not in page.content()

    again = browser.new_context().new_page()
    again.goto(f"{live_server.url}/accounts/login/")
    again.fill("input[name=login]", "nia@example.org")
    again.fill("input[name=password]", PASSWORD)
    again.click("form button[type=submit]")
    again.wait_for_url(f"{live_server.url}/accounts/2fa/authenticate/")
    again.fill("input[name=code]", _code(secret, time.time() + 30))  # a code not used yet
    again.click("form button[type=submit]")
    again.wait_for_url(f"{live_server.url}/home/")
    assert again.get_by_role("link", name="Leadership").is_visible()
