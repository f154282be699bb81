"""Two processes committing the same round at once: exactly one wins (SQLite and PG)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_python, subprocess_env

pytestmark = pytest.mark.slow

SETUP = """
import django
django.setup()
from datetime import timedelta
from django.utils import timezone
from accord.contributions.schemas import ContributionIn, PolicyIn, VerifyIn
from accord.benefits import services
from accord.benefits.schemas import FundIn, PoolIn
from accord.contributions import services as contributions
from accord.contributions.seeding import seed_policy_history
from accord.demo import policies
from accord.people.models import SiteRole
from accord.people.services import create_member
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
today = timezone.localdate()
steward = create_member("steward@example.org", display_name="S", role=SiteRole.STEWARD)
TOTP.activate(steward.user, generate_totp_secret())  # a steward's powers need a second factor
policy = seed_policy_history(steward, PolicyIn(
    document=policies.version(1), effective_from=today - timedelta(days=100), reason="r"))
for i in range(12):
    m = create_member(f"m{i}@example.org", display_name=f"M{i}")
    c = contributions.record_contribution(m, ContributionIn(
        kind="code", title="t", date=today - timedelta(days=3), level=1 + i % 5, hours="1"))
    contributions.verify_contribution(steward, c.pk, VerifyIn(impact=1 + i % 5))
pool = services.create_pool(steward, PoolIn(
    name="Race", unit="EUR", method="immediate", period_start=today - timedelta(days=30),
    period_end=today, policy=policy.version))
treasurer = create_member("treasurer@example.org", display_name="T", role=SiteRole.TREASURER)
TOTP.activate(treasurer.user, generate_totp_secret())
services.fund_pool(treasurer, pool.slug, FundIn(amount=99_999, source="Partner", key="f"))
"""

COMMIT = """
import django, sys
django.setup()
from accord.benefits import services
from accord.benefits.schemas import CommitIn
from accord.domain.errors import Conflict
from accord.people.models import Member
treasurer = Member.objects.get(user__email="treasurer@example.org")
try:
    services.commit_distribution(treasurer, "race", CommitIn(key=sys.argv[1]))
    print("ok")
except Conflict as exc:
    print("conflict")
"""

CHECK = """
import django, json
django.setup()
from accord.benefits.models import Distribution, Statement
from accord.ledger.verify import verify_ledger
print(json.dumps({"distributions": Distribution.objects.count(),
                  "statements": Statement.objects.count(), "ok": verify_ledger().ok}))
"""


def _race(env: dict[str, str]) -> None:
    def run(script: str, *args: str) -> str:
        result = run_python("-c", script, *args, env=env)
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    migrate = run_python("-m", "accord", "manage", "migrate", "-v0", env=env)
    assert migrate.returncode == 0, migrate.stderr
    run(SETUP)
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", COMMIT, f"key-{n}"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(2)
    ]
    outcomes = []
    for racer in racers:
        out, err = racer.communicate(timeout=300)
        assert racer.returncode == 0, err
        outcomes.append(out.strip())
    state = json.loads(run(CHECK))

    assert sorted(outcomes) == ["conflict", "ok"]
    assert state["distributions"] == 1
    assert state["statements"] == 12
    assert state["ok"]


def test_concurrent_commits_on_sqlite(tmp_path: Path) -> None:
    _race(subprocess_env(tmp_path))


def test_concurrent_commits_on_postgresql(tmp_path: Path, scratch_postgres: str) -> None:
    _race(subprocess_env(tmp_path, scratch_postgres))
