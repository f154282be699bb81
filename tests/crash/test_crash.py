"""Crash consistency: Accord's server and task worker SIGKILLed mid-request lose nothing
they acknowledged and leave nothing half-applied (see `tests/crash/harness.py`). A short
drill per engine: SQLite always, PostgreSQL when the suite runs on it. Set
ACCORD_CRASH_KILLS for a longer drill and ACCORD_CRASH_SEED to replay one; the seed is
printed. `benchmarks/crash.py` runs the long form and prints the figures."""

import os
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from accord.benefits import services as benefits
from accord.benefits.models import Payout, Posting, Statement, Transaction
from accord.benefits.schemas import ChoiceIn, CommitIn, PaidIn
from accord.contributions.models import Contribution
from tests.conftest import Cast, scratch_database
from tests.crash.checks import problems
from tests.crash.harness import Site, run_drill
from tests.factories import funded_pool, make_member, make_policy, verified_contribution

ENGINES = ["sqlite"]
if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    ENGINES.append("postgresql")


@contextmanager
def database(engine: str, data_dir: Path) -> Iterator[str]:
    """A new database of the drill's own: a file, or a scratch PostgreSQL database (whose
    name, accord_scratch_<random>, no test database shares)."""
    if engine == "sqlite":
        yield f"sqlite:///{data_dir / 'accord.sqlite3'}"
        return
    with scratch_database() as url:
        yield url


def _log(line: str) -> None:
    sys.stderr.write(line + "\n")


@pytest.mark.slow
@pytest.mark.parametrize("engine", ENGINES)
def test_killed_server_and_worker_lose_nothing_acknowledged(engine: str, tmp_path: Path) -> None:
    kills = int(os.environ.get("ACCORD_CRASH_KILLS", "4"))
    seed = int(os.environ.get("ACCORD_CRASH_SEED") or random.SystemRandom().randrange(10**6))

    with database(engine, tmp_path) as url:
        figures = run_drill(Site(engine, tmp_path, url), kills=kills, seed=seed, log=_log)

    replay = f"replay with ACCORD_CRASH_SEED={seed}"
    assert figures.problems == [], replay
    assert figures.server_errors == [], replay
    assert sum(figures.kills.values()) == kills
    assert set(figures.kills) == {"server", "worker", "both"} or kills < 3
    assert figures.checks == figures.checks_passed == kills + 1
    assert figures.dropped > 0  # the clients met the server down, and went on
    for action in ("fund", "commit", "import", "choose", "paid"):
        assert figures.acknowledged[action] > 0, f"no {action} was acknowledged ({replay})"


# The checks themselves must be able to fail: a small community, whole, then broken.


def _community(cast: Cast) -> dict[str, object]:
    """A pool funded and committed, a member's statement taken and paid; the acks."""
    policy = make_policy(cast.steward, effective_from=timezone.localdate() - timedelta(days=400))
    verified_contribution(cast.member, cast.steward)
    verified_contribution(cast.other, cast.steward)
    pool = funded_pool(cast.steward, policy, amount=10_000)
    d = benefits.commit_distribution(cast.treasurer, pool.slug, CommitIn(key="k1"))
    st = Statement.objects.get(distribution=d, member=cast.member)
    benefits.choose(cast.member, st.pk, ChoiceIn(choice="take"))
    payout = Payout.objects.get(statement=st)
    benefits.mark_paid(cast.treasurer, payout.pk, PaidIn(reference="r"))
    acks = [
        {"op": "fund", "key": "fund-Spring grants", "pool": pool.slug, "amount": 10_000},
        {"op": "commit", "key": "k1", "pool": pool.slug, "round": 1},
        {"op": "choose", "statement": st.pk, "choice": "take", "format": st.format},
        {"op": "paid", "payout": payout.pk},
    ]
    return {"acks": acks, "payout": payout, "statement": st}


def test_the_checks_pass_a_whole_community_and_name_a_lost_request(cast: Cast) -> None:
    made = _community(cast)
    acks: list[dict[str, object]] = made["acks"]  # type: ignore[assignment]

    whole = problems(acks)
    lost = problems([*acks, {"op": "fund", "key": "never", "pool": "x", "amount": 1}])
    other = problems([*acks[:2], {**acks[2], "choice": "donate"}])

    assert whole == []
    assert lost == ['lost: fund {"key": "never", "pool": "x", "amount": 1}: no funding tx']
    assert len(other) == 1
    assert other[0].startswith("lost: choose")


def test_the_checks_find_a_half_applied_choice_and_an_unbalanced_transaction(
    cast: Cast,
) -> None:
    made = _community(cast)
    acks: list[dict[str, object]] = made["acks"]  # type: ignore[assignment]
    payout: Payout = made["payout"]  # type: ignore[assignment]
    st: Statement = made["statement"]  # type: ignore[assignment]

    Posting.objects.filter(transaction__key=f"paid:{payout.pk}").delete()
    Transaction.objects.filter(key=f"paid:{payout.pk}").delete()
    Payout.objects.filter(pk=payout.pk).delete()
    tx = Transaction.objects.get(key="distribution:k1")
    posting = tx.postings.first()
    assert posting is not None
    Posting.objects.create(transaction=tx, account=posting.account, amount=1, unit=posting.unit)
    found = problems(acks)

    assert f'lost: paid {{"payout": {payout.pk}}}: the payout is not paid' in found
    assert f"half-applied: statement {st.pk} chose take but holds " in " ".join(found)
    assert "half-applied: 1 payout.paid entries for 0 rows" in found
    assert "unbalanced: transaction distribution:k1 sums to 1 EUR" in found
    assert any(p.startswith("balance: ") for p in found)


def test_the_checks_find_an_import_that_landed_in_part(cast: Cast) -> None:
    member = make_member()
    Contribution.objects.create(
        member=member, kind="code", title="t", date=timezone.localdate(), level=1,
        source_key="half-1",
    )  # fmt: skip

    found = problems([], [{"op": "import", "keys": ["half-1", "half-2"]}])

    assert "half-applied: an import holds 1 of its 2 rows" in found
