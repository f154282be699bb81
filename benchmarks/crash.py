"""Crash-consistency benchmark: SIGKILL Accord's server and task worker again and again
under concurrent API traffic, on SQLite and PostgreSQL, and prove after each restart that
nothing acknowledged was lost and nothing was half-applied (`tests/crash/harness.py` says
how). It prints each kill and check, a table per engine and, last, one JSON line with every
figure; it exits 1 if any request was lost, any check failed or any request made a 5xx.

Run from the repository root:

    .venv/bin/python benchmarks/crash.py                        # 50 kills per engine
    .venv/bin/python benchmarks/crash.py --kills 5 --engines sqlite --seed 7   # replay one
    .venv/bin/python benchmarks/crash.py --postgres postgres://postgres@127.0.0.1:5432/postgres

On PostgreSQL it creates a database of its own (accord_crash_<random>) on that server and
drops it afterwards.
"""

import argparse
import contextlib
import json
import random
import shutil
import sys
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from tests.crash.harness import Site, run_drill  # noqa: E402 - the checkout's own harness


@contextlib.contextmanager
def database(engine: str, data_dir: Path, admin_url: str) -> Iterator[str]:
    if engine == "sqlite":
        yield f"sqlite:///{data_dir / 'accord.sqlite3'}"
        return
    import psycopg

    name = f"accord_crash_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin_url.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50, help="SIGKILLs per engine")
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=None, help="replay a drill")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server's admin URL, where the drill makes its database",
    )  # fmt: skip
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    results = {}
    failed = False
    for engine in args.engines.split(","):
        data_dir = Path(tempfile.mkdtemp(prefix=f"accord-crash-{engine}-"))
        with database(engine, data_dir, args.postgres) as url:
            figures = run_drill(
                Site(engine, data_dir, url), kills=args.kills, seed=seed, log=print
            )
        results[engine] = figures.as_json()
        print(f"\n{engine}: data in {data_dir}" if args.keep else "")
        for key in ("kills", "requests", "acknowledged", "unknown_outcome", "lost",
                    "server_errors", "checks", "checks_passed", "seconds"):  # fmt: skip
            print(f"  {key:<18} {results[engine][key]}")
        for problem in figures.problems[:20] + figures.server_errors[:20]:
            print(f"  ! {problem}")
        failed |= bool(figures.problems or figures.server_errors)
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    print(json.dumps(results))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
