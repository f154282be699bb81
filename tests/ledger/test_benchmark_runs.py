"""The ledger benchmark still runs end to end (on a small ledger), and verifies what it built."""

import json
from pathlib import Path

import pytest

from tests.conftest import run_python, subprocess_env

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_ledger_benchmark_runs_and_reports_every_figure(tmp_path: Path) -> None:
    # The benchmark makes its own data directory and turns DEBUG off, as in production.
    script = str(ROOT / "benchmarks" / "ledger.py")
    env = subprocess_env(tmp_path)
    result = run_python(script, "--entries", "3000", "--single", "40", env=env)

    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["engine"] == "sqlite"
    assert figures["verify_entries"] == 3040  # the bulk import and the single appends
    assert figures["verify_heads"] == 3  # one every 1000 entries
    for key in ("bulk_entries_per_s", "single_entries_per_s", "verify_entries_per_s"):
        assert figures[key] > 0
    assert set(figures["verdicts"]) == {
        "bulk_entries_per_s",
        "single_entries_per_s",
        "verify_entries_per_s",
        "verify_vs_raw_hash_slowdown",
        "proof_p95_ms",
        "peak_rss_mb",
    }


@pytest.mark.slow
def test_the_distribution_benchmark_runs_and_its_commit_adds_up(tmp_path: Path) -> None:
    # The commit phase itself checks that statements and postings add up, and exits
    # non-zero if they do not; two members with the same key would stop the plan.
    script = str(ROOT / "benchmarks" / "distribution.py")
    env = subprocess_env(tmp_path)
    result = run_python(
        script, "--members", "300", "--contributions", "3000", "--naive-members", "50",
        "--engines", "sqlite", env=env, timeout=600,
    )  # fmt: skip

    assert result.returncode in (0, 1), result.stderr  # 1: a target missed at this size
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["sqlite"]["statements"] > 0
    assert figures["sqlite"]["eligible_members"] == 300
    assert figures["sqlite"]["speedup"] > 0


@pytest.mark.slow
def test_the_pages_benchmark_seeds_serves_and_reports_every_route(tmp_path: Path) -> None:
    # A small community, served by `accord serve` as production runs it: every route
    # answers 200 to its role (an error or a missing route would show in the figures).
    script = str(ROOT / "benchmarks" / "pages.py")
    env = subprocess_env(tmp_path)
    result = run_python(
        script, "--members", "120", "--contributions", "1500", "--choices", "10",
        "--engine", "sqlite", "--data-root", str(tmp_path / "pages"),
        "--duration", "0.2", "--warmup", "0", "--clients", "2", "--workers", "1",
        env=env, timeout=900,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])["sqlite"]
    rows = {row["route"]: row for row in figures["rows"]}
    assert len(rows) == 30
    assert {"healthz", "directory", "group page", "treasury", "api payouts"} <= rows.keys()
    for row in rows.values():
        assert row["errors"] == {}, row
        assert row["n"] > 0, row
