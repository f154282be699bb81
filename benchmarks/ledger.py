"""Ledger benchmark: append, verify and prove on a fresh SQLite database.

Measures, in one process against a new database in a temporary ACCORD_DATA_DIR (SQLite in
WAL mode with synchronous=FULL and IMMEDIATE transactions, exactly as configured; DEBUG off,
as in production):

1. bulk append: `services.bulk_import(..., defer_indexes=True)` of N realistic entries
   (consent changes, payouts,
   role changes; pseudonymous ids "m-<16 hex>", integer amounts) -- entries/s. Records
   cycle through a pool built before the clock starts, so generating them costs nothing;
2. single appends: `--single` service-style transactions, each
   `with transaction.atomic(): append(...)`, one entry and one commit each, on top of
   the N-entry tree -- entries/s. Beside it, the disk's ceiling: one-row commits with
   plain sqlite3 and the same durability settings, since every commit waits for fsync;
3. verify: `verify.verify_ledger()` over every entry -- entries/s, against raw
   SHA-256 of 0x00 + data over the same entry bytes in a tight loop, measured
   just before each verify; three rounds, medians reported (and each round's figures);
4. inclusion proofs: `store.DatabaseTree().inclusion_proof(seq, size)` for 1000 random
   seqs against the newest signed head (a fresh DatabaseTree each time), each checked
   with `merkle.verify_inclusion` -- mean and p95 ms per proof generated;
5. peak memory (ru_maxrss) and the wall time of each phase.

Before each phase it calls os.sync(), so a phase does not pay for the previous phase's
write-back. It prints a table with PASS/MISS per target (and the load average, since other
work on the machine moves every figure) and, last, one JSON line with every figure.

Run from the repository root:

    .venv/bin/python benchmarks/ledger.py                  # 1,000,000 entries, 20,000 single
    .venv/bin/python benchmarks/ledger.py --entries 100000 --single 2000   # a quick run
    .venv/bin/python benchmarks/ledger.py --database-url postgres://postgres@127.0.0.1:5432/x
"""

import argparse
import hashlib
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

TARGETS = {
    "bulk_entries_per_s": (">=", 80_000),
    "single_entries_per_s": (">=", 2_000),
    "verify_entries_per_s": (">=", 300_000),
    "verify_vs_raw_hash_slowdown": ("<=", 8.0),
    "proof_p95_ms": ("<", 5.0),
    "peak_rss_mb": ("<", 1024),
}
PROOFS = 1000
POOL = 100_003  # distinct records; prime, so the mix does not line up with batches
PURPOSES = ("newsletter", "research", "partner_offers", "directory", "events")
SOURCES = ("web", "api", "import", "steward")
ROLES = ("member", "steward", "auditor", "lead", "co_lead")


def _setup(data_dir: Path, database_url: str | None) -> None:
    os.environ["ACCORD_DATA_DIR"] = str(data_dir)
    # Production settings: DEBUG off (no query log), a secret key from the environment.
    os.environ["DEBUG"] = ""
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghijklmnop")
    os.environ.setdefault("ACCORD_SECURE_HTTPS", "0")
    os.environ["DJANGO_SETTINGS_MODULE"] = "accord.settings"
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    src = Path(__file__).resolve().parent.parent / "src"
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _peak_mb() -> float:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _records(n: int, seed: int) -> list[Any]:
    """A realistic mix: half consent changes, 40% payouts, 10% role changes."""
    from accord.ledger.services import SYSTEM, Record

    rng = random.Random(seed)
    members = [f"m-{rng.getrandbits(64):016x}" for _ in range(20_000)]
    runs = [f"r-{rng.getrandbits(64):016x}" for _ in range(50)]
    choice, randrange = rng.choice, rng.randrange
    out = []
    for i in range(n):
        member = choice(members)
        pick = i % 10
        if pick < 5:
            payload: dict[str, Any] = {
                "purpose": choice(PURPOSES),
                "granted": pick & 1 == 0,
                "source": choice(SOURCES),
            }
            out.append(Record("consent.changed", member, member, payload))
        elif pick < 9:
            payload = {
                "run": choice(runs),
                "amount_minor": randrange(1, 250_000),
                "currency": "EUR",
                "points": randrange(0, 5_000),
            }
            out.append(Record("payout.made", SYSTEM, member, payload))
        else:
            payload = {"role": choice(ROLES), "previous": choice(ROLES)}
            out.append(Record("role.changed", choice(members), member, payload))
    return out


def _stream(n: int, seed: int) -> Iterator[Any]:
    """N records cycling through a pre-built pool, so generating them costs next to
    nothing inside the timed import and memory stays flat whatever N is."""
    return itertools.islice(itertools.cycle(_records(min(n, POOL), seed)), n)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def bench_bulk(n: int, batch: int | None) -> dict[str, float]:
    from accord.ledger.services import bulk_import

    stream = _stream(n, seed=1)
    # One bulk import of a whole history: indexes are rebuilt once at the end (timed).
    options: dict[str, Any] = {"defer_indexes": True}
    if batch is not None:
        options["batch"] = batch
    count, wall = _timed(lambda: bulk_import(stream, **options))
    if count != n:
        raise SystemExit(f"bulk_import appended {count} entries, expected {n}")
    return {"bulk_entries": n, "bulk_wall_s": wall, "bulk_entries_per_s": n / wall}


def bench_single(n: int) -> dict[str, float]:
    from django.db import transaction

    from accord.ledger.services import append

    records = list(_stream(n, seed=2))

    def run() -> None:
        for r in records:
            with transaction.atomic():
                append(r.kind, r.actor, r.subject, r.payload)

    floor = _raw_commits_per_s(min(n, 2000))
    _, wall = _timed(run)
    return {
        "single_entries": n,
        "single_wall_s": wall,
        "single_entries_per_s": n / wall,
        "raw_sqlite_commits_per_s": floor,
    }


def _raw_commits_per_s(n: int) -> float:
    """The disk's ceiling for durable transactions: one-row commits with plain sqlite3 on
    a scratch file beside the database, with the same WAL / synchronous=FULL settings."""
    import sqlite3

    from django.conf import settings

    path = Path(settings.DATA_DIR) / "fsync-probe.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        db.execute("CREATE TABLE probe (id INTEGER PRIMARY KEY, data BLOB)")
        row = os.urandom(200)
        start = time.perf_counter()
        for _ in range(n):
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT INTO probe (data) VALUES (?)", (row,))
            db.execute("COMMIT")
        return n / (time.perf_counter() - start)
    finally:
        db.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)


def bench_verify(rounds: int) -> dict[str, float]:
    """`rounds` rounds of (raw hashing, verify), medians reported: this machine's speed
    drifts over minutes, so each verify is compared with the raw hashing beside it."""
    from accord.ledger.verify import verify_ledger

    walls, raws, ratios = [], [], []
    entries = heads = 0
    for _ in range(rounds):
        raw_s = _raw_hash_seconds()
        report, wall = _timed(verify_ledger)
        if not report.ok:
            raise SystemExit(f"verify_ledger found problems: {report.problems[:5]}")
        entries, heads = report.entries, report.heads
        walls.append(wall)
        raws.append(raw_s)
        ratios.append(wall / raw_s)
    wall, raw_s = statistics.median(walls), statistics.median(raws)
    return {
        "verify_entries": entries,
        "verify_heads": heads,
        "verify_rounds": rounds,
        "verify_wall_s": wall,
        "verify_entries_per_s": entries / wall,
        "verify_entries_per_s_each": [entries / w for w in walls],
        "raw_hash_wall_s": raw_s,
        "raw_hashes_per_s": entries / raw_s,
        "raw_hashes_per_s_each": [entries / r for r in raws],
        "verify_vs_raw_hash_slowdown": statistics.median(ratios),
    }


def _raw_hash_seconds() -> float:
    """Time only the hashing of every entry's bytes (0x00 prefix), read in batches, done the
    fastest way hashlib offers: copying a state already fed 0x00 (constructing a new sha256
    per entry costs about twice as much with OpenSSL 3)."""
    from django.db import connection

    prefixed, perf = hashlib.sha256(b"\x00"), time.perf_counter
    spent = 0.0
    with connection.chunked_cursor() as cursor:
        cursor.execute("SELECT data FROM ledger_entry ORDER BY seq")
        while rows := cursor.fetchmany(2048):
            blobs = [bytes(row[0]) for row in rows]
            new = prefixed.copy
            start = perf()
            for data in blobs:
                state = new()
                state.update(data)
                state.digest()
            spent += perf() - start
    return spent


def bench_proofs(count: int) -> dict[str, float]:
    from accord.domain import merkle
    from accord.ledger.models import Entry, Head
    from accord.ledger.store import DatabaseTree

    head = Head.objects.order_by("-size").first()
    if head is None:
        raise SystemExit("no signed head to prove against")
    size, root = head.size, bytes(head.root)
    rng = random.Random(3)
    seqs = [rng.randrange(size) for _ in range(count)]
    leaves = {
        seq: bytes(h)
        for seq, h in Entry.objects.filter(seq__in=seqs).values_list("seq", "leaf_hash")
    }
    times: list[float] = []
    perf = time.perf_counter
    wall_start = perf()
    for seq in seqs:
        start = perf()
        proof = DatabaseTree().inclusion_proof(seq, size)
        times.append(perf() - start)
        if not merkle.verify_inclusion(leaves[seq], seq, size, proof, root):
            raise SystemExit(f"inclusion proof for seq {seq} at size {size} does not verify")
    wall = perf() - wall_start
    times.sort()
    return {
        "proof_tree_size": size,
        "proofs": count,
        "proof_wall_s": wall,
        "proof_mean_ms": 1000 * sum(times) / len(times),
        "proof_p95_ms": 1000 * times[int(0.95 * len(times)) - 1],
    }


def _verdict(name: str, value: float) -> str:
    op, target = TARGETS[name]
    ok = {">=": value >= target, "<=": value <= target, "<": value < target}[op]
    return "PASS" if ok else "MISS"


def _report(figures: dict[str, Any]) -> None:
    rows = [
        ("bulk append (bulk_import)", "bulk_entries_per_s", "entries/s", "bulk_wall_s"),
        ("single appends (1 per tx)", "single_entries_per_s", "entries/s", "single_wall_s"),
        ("  disk ceiling: raw commits", "raw_sqlite_commits_per_s", "commits/s", None),
        ("verify_ledger (median)", "verify_entries_per_s", "entries/s", "verify_wall_s"),
        ("raw sha256(0x00||data)", "raw_hashes_per_s", "hashes/s", "raw_hash_wall_s"),
        ("verify slowdown vs raw", "verify_vs_raw_hash_slowdown", "x", None),
        ("inclusion proof mean", "proof_mean_ms", "ms", None),
        ("inclusion proof p95", "proof_p95_ms", "ms", "proof_wall_s"),
        ("peak memory (ru_maxrss)", "peak_rss_mb", "MB", None),
    ]
    print()
    print(
        f"Ledger benchmark: {figures['engine']}, {figures['bulk_entries']:,} entries, "
        f"{figures['cpus']} CPUs, load average {figures['load_before']:.1f} before / "
        f"{figures['load_after']:.1f} after"
    )
    print(f"{'measure':<28}{'value':>14}  {'unit':<10}{'wall s':>9}  {'target':<12}verdict")
    print("-" * 84)
    for label, key, unit, wall_key in rows:
        value = figures[key]
        shown = f"{value:,.0f}" if value >= 1000 else f"{value:,.2f}"
        wall = f"{figures[wall_key]:.1f}" if wall_key else ""
        if key in TARGETS:
            op, target = TARGETS[key]
            target_text, verdict = f"{op} {target:,}", _verdict(key, value)
        else:
            target_text, verdict = "", ""
        print(f"{label:<28}{shown:>14}  {unit:<10}{wall:>9}  {target_text:<12}{verdict}")
    print("-" * 84)
    print(
        f"verify is {figures['verify_vs_raw_hash_slowdown']:.1f}x slower than raw hashing; "
        f"total wall {figures['total_wall_s']:.1f} s"
    )
    figures["verdicts"] = {key: _verdict(key, figures[key]) for key in TARGETS}
    print(json.dumps(figures, sort_keys=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000, help="bulk-imported entries")
    parser.add_argument("--single", type=int, default=20_000, help="one-entry transactions")
    parser.add_argument(
        "--batch", type=int, default=None, help="bulk_import batch size (default: its own)"
    )
    parser.add_argument(
        "--verify-rounds", type=int, default=3, help="verify runs (medians are reported)"
    )
    parser.add_argument(
        "--database-url", default=None, help="benchmark this database instead of a new SQLite"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary data dir")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="accord-bench-"))
    try:
        _setup(data_dir, args.database_url)
        from django.db import connection

        figures: dict[str, Any] = {
            "engine": connection.vendor,
            "python": sys.version.split()[0],
            "head_every": int(os.environ.get("ACCORD_LEDGER_HEAD_EVERY", "1000")),
            "bulk_batch": args.batch,
            "cpus": os.cpu_count(),
            "load_before": os.getloadavg()[0],
        }
        start = time.perf_counter()
        phases: list[tuple[str, Callable[[], dict[str, float]]]] = [
            ("bulk append", lambda: bench_bulk(args.entries, args.batch)),
            ("single appends", lambda: bench_single(args.single)),
            ("verify", lambda: bench_verify(args.verify_rounds)),
            ("inclusion proofs", lambda: bench_proofs(PROOFS)),
        ]
        for name, phase in phases:
            # Write back the previous phase's dirty pages first, so that a phase does not
            # pay (in fsync latency) for the one before it.
            os.sync()
            phase_start = time.perf_counter()
            figures.update(phase())
            print(
                f"  {name}: {time.perf_counter() - phase_start:.1f} s, "
                f"peak {_peak_mb():.0f} MB so far",
                flush=True,
            )
        figures["total_wall_s"] = time.perf_counter() - start
        figures["load_after"] = os.getloadavg()[0]
        figures["peak_rss_mb"] = _peak_mb()
        _report(figures)
    finally:
        if args.keep:
            print(f"data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
