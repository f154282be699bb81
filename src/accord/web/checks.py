"""Deployment checks the interface kit owns."""

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache": "each process keeps its own",
    "django.core.cache.backends.dummy.DummyCache": "it keeps nothing",
    "django.core.cache.backends.filebased.FileBasedCache": "each host keeps its own",
}


@register(Tags.caches, deploy=True)
def shared_cache(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Rate limits and the sign-in lockout count in the default cache: every process must
    see the same counters, or an attacker's tries are split among them."""
    backend = settings.CACHES["default"]["BACKEND"]
    reason = PER_PROCESS_CACHES.get(backend)
    if reason is None:
        return []
    return [
        Error(
            f"The default cache ({backend}) is not shared: {reason}, so rate limits and the "
            "sign-in lockout would count apart.",
            hint="Use the database cache (the default) or set REDIS_URL.",
            id="accord.E010",
        )
    ]
