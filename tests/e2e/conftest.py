"""Real Chromium (Debian's package) through Playwright, against pytest-django's live server."""

import os
import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import sync_playwright

from accord.people.models import Member
from tests.factories import totp_code

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per test module, closed before the next module's tests run.

    Playwright's sync API keeps an event loop running in this thread while it is open; the
    ORM calls that tests make to set up data are still plain synchronous calls, so Django's
    async-safety guard is lifted for exactly that long.
    """
    if CHROMIUM is None:
        if os.environ.get("ACCORD_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required (ACCORD_REQUIRE_BROWSER=1) but not installed.")
        pytest.skip("Debian's chromium is not installed")

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch(sync_playwright)
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch(sync_playwright) -> Iterator[object]:  # type: ignore[no-untyped-def]
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def sign_in(page, base_url: str, email: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    if "/accounts/2fa/authenticate/" in page.url:  # stewards and auditors: their app's code
        page.fill("input[name=code]", totp_code(Member.objects.get(user__email=email)))
        page.click("form button[type=submit]")
    page.wait_for_url(f"{base_url}/home/")
