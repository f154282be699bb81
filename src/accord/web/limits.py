"""Rate limits on actions people repeat (token creation, exports, payouts): a fixed window
counted in the shared cache (see settings.CACHES), per member when signed in, else per
address. Pages answer 429 with a page; API routes with the error body, code rate_limited.
Sign-in has its own lockout (allauth's, settings.ACCOUNT_RATE_LIMITS)."""

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from ninja.errors import HttpError

from accord.web.rendering import render_page

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class RateLimited(Exception):
    """Too many of one action in its window."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many requests: try again in {retry_after} seconds.")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int

    @classmethod
    def parse(cls, text: str) -> "Rate":
        """ "20/h" is 20 per hour (units s, m, h, d)."""
        count, unit = text.split("/")
        return cls(int(count), _UNITS[unit])


def _who(request: HttpRequest) -> str:
    """The account behind `request` (its page session, or the member an API route
    authenticated), so one person's page and API calls share a counter; else the address."""
    member = getattr(request, "auth", None)
    if getattr(member, "user_id", None) is not None:
        return f"u{member.user_id}"  # type: ignore[union-attr]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return f"ip{request.META.get('REMOTE_ADDR', '')}"


def limit(request: HttpRequest, action: str, rate: str) -> None:
    """Count one `action` for whoever makes `request`; RateLimited past `rate`."""
    r = Rate.parse(rate)
    now = int(time.time())
    window = now // r.seconds
    key = f"limit:{action}:{_who(request)}:{window}"
    count = 1 if cache.add(key, 1, r.seconds + 5) else cache.incr(key)
    if count > r.count:
        raise RateLimited((window + 1) * r.seconds - now)


def limit_api(request: HttpRequest, action: str, rate: str) -> None:
    """`limit` for an API route: past `rate`, a 429 whose detail says when to retry."""
    try:
        limit(request, action, rate)
    except RateLimited as exc:
        raise HttpError(429, str(exc)) from exc


type View = Callable[..., HttpResponseBase]


def limited(
    action: str, rate: str, *, methods: tuple[str, ...] = ("POST",)
) -> Callable[[View], View]:
    """A page view counts `action` on `methods` and answers 429 past `rate`."""

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if request.method in methods:
                try:
                    limit(request, action, rate)
                except RateLimited as exc:
                    response = render_page(
                        request,
                        "web/rate_limited.html",
                        {"retry_after": exc.retry_after},
                        status=429,
                    )
                    response["Retry-After"] = str(exc.retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
