"""The ledger benchmark still runs end to end (on a small ledger), and verifies what it built."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_ledger_benchmark_runs_and_reports_every_figure() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "ACCORD_DATA_DIR")
    }
    result = subprocess.run(
        [sys.executable, "benchmarks/ledger.py", "--entries", "3000", "--single", "40"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

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
