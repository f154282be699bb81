"""With REDIS_URL set, the counters behind rate limits and the sign-in lockout live in Redis,
where every process sees them: two cache clients (two connection pools, as two processes
hold) count together. Skipped only when no Redis answers at ACCORD_TEST_REDIS."""

import importlib.util
import os
import uuid
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client, RequestFactory, override_settings

import accord.settings as production
from accord.web.limits import RateLimited, limit
from tests.conftest import Cast
from tests.factories import PASSWORD

# A database number of our own on the shared server, and a key prefix per run.
REDIS_URL = os.environ.get("ACCORD_TEST_REDIS", "redis://127.0.0.1:6379/11")


def _redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not _redis_answers(), reason=f"no Redis answers at {REDIS_URL}")


@pytest.fixture
def redis_cache() -> Iterator[str]:
    """Point the default cache at Redis under a fresh prefix; yield the prefix and remove
    its keys afterwards."""
    prefix = f"accord-test-{uuid.uuid4().hex[:12]}"
    config = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    with override_settings(CACHES={"default": {**config, "KEY_PREFIX": prefix}}):
        yield prefix
    server = redis.Redis.from_url(REDIS_URL)
    for key in server.scan_iter(f"{prefix}:*"):
        server.delete(key)


def _two_processes() -> tuple[RedisCache, RedisCache]:
    """Two clients of the configured cache, each with its own connection pool."""
    first, second = caches.create_connection("default"), caches.create_connection("default")
    assert isinstance(first, RedisCache)
    assert isinstance(second, RedisCache)
    assert first._cache.get_client() is not second._cache.get_client()
    return first, second


def test_settings_with_redis_url_pick_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    spec = importlib.util.spec_from_file_location("settings_with_redis", production.__file__)
    assert spec is not None
    assert spec.loader is not None
    configured = importlib.util.module_from_spec(spec)

    spec.loader.exec_module(configured)

    assert configured.CACHES["default"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
    }
    assert production.CACHES["default"]["BACKEND"].endswith("DatabaseCache")  # without it


def test_a_rate_limit_counts_across_processes(redis_cache: str) -> None:
    first, second = _two_processes()
    request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.9")

    for i in range(10):
        caches["default"] = (first, second)[i % 2]
        limit(request, "shared-action", "10/h")
    caches["default"] = first

    with pytest.raises(RateLimited):
        limit(request, "shared-action", "10/h")
    keys = redis.Redis.from_url(REDIS_URL).keys(f"{redis_cache}:*limit:shared-action*")
    assert len(keys) == 1  # one counter, in Redis


def test_the_sign_in_lockout_counts_across_processes(cast: Cast, redis_cache: str) -> None:
    first, second = _two_processes()
    email = cast.member.user.email

    for i in range(5):
        caches["default"] = (first, second)[i % 2]
        failed = Client().post("/accounts/login/", {"login": email, "password": "wrong"})
        assert "not correct" in failed.content.decode()
    caches["default"] = second
    client = Client()
    refused = client.post("/accounts/login/", {"login": email, "password": PASSWORD})

    assert "Too many failed login attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert redis.Redis.from_url(REDIS_URL).keys(f"{redis_cache}:*")
