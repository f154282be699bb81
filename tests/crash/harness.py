"""The crash-consistency drill: Accord served as in production (`accord serve`, gunicorn,
and `accord worker`), driven by concurrent API clients, SIGKILLed at random moments.

One drill, on one database (a SQLite file or a PostgreSQL database):

1. a data folder with a ledger key file (`accord ledger new-key`), DEBUG off, the demo
   community (`accord demo --no-serve`), API tokens for the steward (imports), the
   treasurer (funding, commits, payouts) and a few members, and two pools of the drill's
   own (`checks.setup`);
2. the server and the task worker, each in its own process group, and clients that import
   contribution CSVs, fund pools, commit rounds, choose on statements and mark payouts
   paid, each request retried after a dropped connection until it has an answer (funding
   and commits with their idempotency key, imports with the same file), every 2xx answer
   recorded with what it must have created;
3. at random moments (a seeded RNG, printed so that a failure can be replayed) the whole
   process group of gunicorn (master and workers), of the worker, or of both, is
   SIGKILLed, mid-request; the killed ones restart at once. Now and then the choice
   deadline of committed rounds passes, so the worker is settling statements when it dies;
4. after each kill, as the killed processes restart and the clients go on, and at the
   end: `checks.problems` on one consistent snapshot (nothing acknowledged lost, nothing
   half-applied, every balance right to the cent) and the ledger verified (`accord
   verify` at the end; its `verify_ledger` in the same child process after each kill).

This module is plain Python (no Django): the checks run in child processes set up like the
server. `tests/crash/test_crash.py` runs a short drill per engine, `benchmarks/crash.py` a
long one that prints the figures.
"""

import contextlib
import csv
import http.client
import io
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SECRET = "crash-drill-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
# Where a kill lands: gunicorn (master and workers), the task worker, or both. The first
# three kills of a drill take one of each, in a random order; later ones are drawn from
# TARGETS.
KINDS = ("server", "worker", "both")
TARGETS = ("server", "server", "server", "worker", "both", "both")
PHASE = (
    "import sys, django; django.setup(); from tests.crash import checks; checks.main(sys.argv[1:])"
)

Log = Callable[[str], None]


class Unreachable(Exception):
    """No answer: the server is down, or died while the request was in flight (`cut`)."""

    def __init__(self, message: str, *, cut: bool) -> None:
        super().__init__(message)
        self.cut = cut


@dataclass
class Figures:
    """What one drill did and found; `lost` and `problems` must stay empty."""

    engine: str
    seed: int
    kills: Counter[str] = field(default_factory=Counter)
    requests: int = 0
    dropped: int = 0  # requests whose connection failed (server down or killed)
    cut: int = 0  # of which the server died while handling them
    acknowledged: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)  # 4xx, per status
    unknown: int = 0  # writes whose outcome the client never learnt
    server_errors: list[str] = field(default_factory=list)  # any 5xx is a bug
    settled_by_worker: int = 0  # statements the worker took after their deadline
    checks: int = 0
    checks_passed: int = 0
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def lost(self) -> int:
        return sum(1 for p in self.problems if p.startswith("lost:"))

    def as_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "seed": self.seed,
            "kills": sum(self.kills.values()),
            "kills_by_target": dict(self.kills),
            "requests": self.requests,
            "dropped_connections": self.dropped,
            "cut_mid_request": self.cut,
            "acknowledged": sum(self.acknowledged.values()),
            "acknowledged_by_action": dict(self.acknowledged),
            "refused_by_status": dict(self.refused),
            "unknown_outcome": self.unknown,
            "server_errors": len(self.server_errors),
            "settled_by_worker": self.settled_by_worker,
            "lost": self.lost,
            "problems": len(self.problems),
            "checks": self.checks,
            "checks_passed": self.checks_passed,
            "seconds": round(self.seconds, 1),
        }


def free_port() -> int:
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Service:
    """A command run in its own process group, so that one SIGKILL takes all of it."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name, self.argv, self.env, self.log = name, argv, env, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.argv,
                env=self.env,
                cwd=self.log.parent,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def signal(self, sig: signal.Signals) -> None:
        if self.proc is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout=30)
        # The group is gone only when its last process is (gunicorn's workers too).
        deadline = time.monotonic() + 10
        while True:
            late = time.monotonic() > deadline
            try:
                os.killpg(self.proc.pid, signal.SIGKILL if late else 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        self.proc = None

    def kill(self) -> None:
        self.signal(signal.SIGKILL)

    def stop(self) -> None:
        self.signal(signal.SIGTERM)

    def exited(self) -> bool:
        return self.proc is None or self.proc.poll() is not None

    def tail(self, lines: int = 15) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


class Site:
    """One installation under test: its data folder, database, environment and processes."""

    def __init__(self, engine: str, data_dir: Path, database_url: str) -> None:
        self.engine, self.data_dir, self.database_url = engine, data_dir, database_url
        self.port = free_port()
        self.key_file = data_dir / "ledger-key.pem"
        paths = [str(ROOT / "src"), str(ROOT), os.environ.get("PYTHONPATH", "")]
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("DJANGO_", "PYTEST_", "ACCORD_")) and k != "DEBUG"
        }
        env.update(
            {
                "PYTHONPATH": os.pathsep.join(p for p in paths if p),
                "DJANGO_SETTINGS_MODULE": "accord.settings",
                "DATABASE_URL": database_url,
                "ACCORD_DATA_DIR": str(data_dir),
                "ACCORD_LEDGER_KEY_FILE": str(self.key_file),
                "SECRET_KEY": SECRET,
                "ACCORD_SECURE_HTTPS": "0",  # plain HTTP on 127.0.0.1, no TLS proxy
                # Static files served from the apps: no manifest to rebuild on each restart.
                "ACCORD_STATIC_FROM_APPS": "1",
                # gunicorn's control socket defaults to one path per user: keep it apart.
                "GUNICORN_CMD_ARGS": f"--control-socket {data_dir / 'gunicorn.ctl'}",
            }
        )
        self.env = env
        accord = [sys.executable, "-m", "accord"]
        self.server = Service(
            "server",
            [*accord, "serve", "--port", str(self.port), "--workers", "2"],
            env,
            data_dir / "server.log",
        )
        self.worker = Service("worker", [*accord, "worker"], env, data_dir / "worker.log")

    def accord(self, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "accord", *args],
            env=self.env,
            cwd=self.data_dir,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def phase(self, *args: str, data: Any = None) -> subprocess.Popen[str]:
        """Start a phase of `checks` in a child process; `answer` reads its result."""
        proc = subprocess.Popen(
            [sys.executable, "-c", PHASE, *args],
            env=self.env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(data))
        proc.stdin.close()
        return proc

    @staticmethod
    def answer(proc: subprocess.Popen[str], timeout: float = 300) -> Any:
        assert proc.stdout is not None
        assert proc.stderr is not None
        out = proc.stdout.read()
        err = proc.stderr.read()
        if proc.wait(timeout=timeout) != 0:
            raise RuntimeError(f"a check phase failed:\n{err[-3000:]}")
        return json.loads(out.strip().splitlines()[-1])

    def prepare(self, members: int, demo_members: int) -> dict[str, Any]:
        for args in (
            ("ledger", "new-key", "--out", str(self.key_file)),
            ("demo", "--no-serve", "--members", str(demo_members)),
        ):
            done = self.accord(*args)
            if done.returncode != 0:
                raise RuntimeError(f"accord {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return self.answer(self.phase("setup", str(members)))  # type: ignore[no-any-return]

    def start_server(self) -> None:
        self.server.start()
        self.wait_for_server()

    def wait_for_server(self) -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.server.exited():
                raise RuntimeError(f"accord serve exited:\n{self.server.tail()}")
            with contextlib.suppress(Unreachable):
                if Api(self.port, "").call("GET", "/api/v1/criteria", timeout=10)[0] == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"accord serve did not answer in 120 s:\n{self.server.tail()}")


class Api:
    """A bearer-token JSON client; a new connection per request, as scripts do."""

    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token

    def call(
        self, method: str, path: str, body: Any = None, timeout: float = 60
    ) -> tuple[int, Any]:
        headers = {"Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, None if body is None else json.dumps(body), headers)
            response = conn.getresponse()
            raw = response.read()
        except ConnectionRefusedError as exc:
            raise Unreachable(str(exc), cut=False) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise Unreachable(str(exc), cut=True) from exc
        finally:
            conn.close()
        try:
            return response.status, json.loads(raw) if raw else None
        except ValueError:
            return response.status, raw[:300].decode(errors="replace")


class Drill:
    """The clients' shared record: what was acknowledged, refused, dropped or unknown."""

    def __init__(self, site: Site, setup: dict[str, Any], figures: Figures, tag: str) -> None:
        self.site, self.setup, self.figures, self.tag = site, setup, figures, tag
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.acks: list[dict[str, Any]] = []
        self.unknown: list[dict[str, Any]] = []
        self.committed: list[str] = []
        self.steward = Api(site.port, setup["steward"]["token"])
        self.purse = Api(site.port, setup["treasurer"]["token"])
        self.members = [(m, Api(site.port, m["token"])) for m in setup["members"]]
        self.formats: dict[str, tuple[list[str], list[str]]] = {}

    def request(self, api: Api, method: str, path: str, body: Any = None) -> tuple[int, Any, bool]:
        """The answer to a request, retried while the server is down; (0, None, True) if
        the drill ends first. The flag says whether a connection dropped on the way."""
        dropped = False
        while True:
            with self.lock:
                self.figures.requests += 1
            try:
                status, data = api.call(method, path, body)
            except Unreachable as exc:
                dropped = True
                with self.lock:
                    self.figures.dropped += 1
                    self.figures.cut += exc.cut
                if self.stop.is_set():
                    return 0, None, dropped
                time.sleep(0.2)
                continue
            if status >= 500:
                with self.lock:
                    self.figures.server_errors.append(f"{method} {path} -> {status}: {data}")
            elif status >= 400:
                with self.lock:
                    self.figures.refused[str(status)] += 1
            return status, data, dropped

    def write(
        self, op: str, api: Api, path: str, body: Any, *, ok: int, record: dict[str, Any]
    ) -> Any:
        """A write: on `ok`, recorded as acknowledged; without an answer (or refused after
        a dropped connection, when an earlier attempt may have landed), as unknown."""
        status, data, dropped = self.request(api, "POST", path, body)
        with self.lock:
            if status == ok:
                self.acks.append({"op": op, **record})
                self.figures.acknowledged[op] += 1
                return data
            if status == 0 or dropped:
                self.unknown.append({"op": op, **record})
                self.figures.unknown += 1
        return None

    def pause(self, rng: random.Random) -> None:
        self.stop.wait(rng.uniform(0.02, 0.25))

    # The clients: each loops until the drill stops.

    def treasurer(self, rng: random.Random) -> None:
        n = 0
        while not self.stop.is_set():
            n += 1
            pool = rng.choice(self.setup["pools"])
            amount = rng.randint(100, 500_000) if "cash" in pool else rng.randint(1, 400)
            key = f"{self.tag}-fund-{n}"
            body = {"amount": amount, "source": "Crash Drill Partners", "key": key}
            record = {"key": key, "pool": pool, "amount": amount}
            path = f"/api/v1/pools/{pool}/funding"
            self.write("fund", self.purse, path, body, ok=201, record=record)
            self.pause(rng)
            if rng.random() < 0.5:
                key = f"{self.tag}-commit-{n}"
                path = f"/api/v1/pools/{pool}/distributions"
                status, data, _ = self.request(self.purse, "POST", path, {"key": key})
                if status == 201:
                    with self.lock:
                        self.acks.append(
                            {"op": "commit", "key": key, "pool": pool, "round": data["round"]}
                        )
                        self.figures.acknowledged["commit"] += 1
                        self.committed.append(key)
                self.pause(rng)

    def importer(self, rng: random.Random) -> None:
        n = 0
        first = date.fromisoformat(self.setup["contribution_from"])
        today = datetime.now(UTC).date()
        while not self.stop.is_set():
            n += 1
            keys = [f"{self.tag}-import-{n}-{i}" for i in range(rng.randint(2, 25))]
            out = io.StringIO()
            rows = csv.writer(out)
            rows.writerow(["source_key", "member", "kind", "title", "date", "hours", "level",
                           "impact"])  # fmt: skip
            for key in keys:
                member = rng.choice(self.setup["members"])["email"]
                when = first + timedelta(days=rng.randint(0, (today - first).days))
                rows.writerow([key, member, rng.choice(["mentoring", "code", "research"]),
                               "Drill work", when.isoformat(), rng.choice(["1", "2.5", "6"]),
                               rng.randint(1, 5), rng.randint(1, 5)])  # fmt: skip
            body = {"csv": out.getvalue()}
            path = "/api/v1/contributions/import"
            self.write("import", self.steward, path, body, ok=200, record={"keys": keys})
            self.pause(rng)

    def chooser(self, rng: random.Random) -> None:
        today = datetime.now(UTC).date().isoformat()
        while not self.stop.is_set():
            _, api = rng.choice(self.members)
            status, statements, _ = self.request(api, "GET", "/api/v1/statements")
            open_ = [
                s
                for s in (statements if status == 200 else [])
                if s["choice"] == "pending" and s["payout"] > 0 and s["choice_deadline"] >= today
            ]
            if not open_:
                self.pause(rng)
                continue
            st = rng.choice(open_)
            choice, fmt = rng.choice(["take", "take", "switch", "donate", "decline"]), ""
            if choice == "switch":
                formats, publishing = self.formats.get(st["pool"], ([], []))
                others = [f for f in formats if f != st["format"] and f not in publishing]
                choice, fmt = ("switch", others[0]) if others else ("take", "")
            path = f"/api/v1/statements/{st['id']}/choice"
            body = {"choice": choice, "format": fmt}
            status, data, dropped = self.request(api, "POST", path, body)
            with self.lock:
                if status == 200:
                    chosen = {"choice": data["choice"], "format": data["format"]}
                    self.acks.append({"op": "choose", "statement": st["id"], **chosen})
                    self.figures.acknowledged["choose"] += 1
                elif status == 0 or dropped:
                    self.figures.unknown += 1
            self.pause(rng)

    def payer(self, rng: random.Random) -> None:
        while not self.stop.is_set():
            status, payouts, _ = self.request(self.purse, "GET", "/api/v1/payouts")
            listed = payouts["items"] if status == 200 else []
            pending = [p for p in listed if p["status"] == "pending"]
            if not pending:
                self.pause(rng)
                continue
            payout = rng.choice(pending[:50])["id"]
            body = {"reference": f"{self.tag}-{payout}"}
            path = f"/api/v1/payouts/{payout}/paid"
            self.write("paid", self.purse, path, body, ok=200, record={"payout": payout})
            self.pause(rng)

    def clients(self, rng: random.Random) -> list[threading.Thread]:
        status, pools, _ = self.request(self.purse, "GET", "/api/v1/pools")
        assert status == 200, pools
        self.formats = {p["slug"]: (p["formats"], p["publishing_formats"]) for p in pools}
        loops = [self.treasurer, self.importer, self.chooser, self.chooser, self.payer]
        return [
            threading.Thread(target=loop, args=(random.Random(rng.random()),), daemon=True)
            for loop in loops
        ]

    def recorded_commits(self) -> list[str]:
        with self.lock:
            return list(self.committed)

    def recorded(self) -> dict[str, list[dict[str, Any]]]:
        with self.lock:
            return {"acks": list(self.acks), "unknown": list(self.unknown)}


def check(site: Site, drill: Drill, log: Log, when: str, *, command: bool = False) -> None:
    """The checks on the database as it is now, with the ledger verified in the same child
    process (`verify_ledger`, what `accord verify` runs) or, if `command`, by running
    `accord verify` itself beside it."""
    figures = drill.figures
    phase = site.phase("check", data={**drill.recorded(), "verify": not command})
    verified = site.accord("verify") if command else None
    answer = Site.answer(phase)
    found: list[str] = answer["problems"]
    figures.settled_by_worker = answer["settled_by_worker"]
    if verified is not None and verified.returncode != 0:
        found.append(f"accord verify: {verified.stderr.strip()[-500:]}")
    figures.checks += 1
    if found:
        figures.problems += [f"{p} (after {when})" for p in found]
        log(f"  check after {when}: {len(found)} problem(s): {found[:3]}")
    else:
        figures.checks_passed += 1
        log(f"  check after {when}: OK ({sum(figures.acknowledged.values())} acknowledged)")


@contextlib.contextmanager
def running(site: Site) -> Iterator[None]:
    site.worker.start()
    site.start_server()
    try:
        yield
    finally:
        site.server.stop()
        site.worker.stop()


def run_drill(
    site: Site,
    *,
    kills: int,
    seed: int,
    log: Log,
    load: tuple[float, float] = (1.0, 3.0),
    members: int = 6,
    demo_members: int = 40,
) -> Figures:
    """Seed `site`, serve it, and kill it `kills` times under load; the figures."""
    started = time.monotonic()
    figures = Figures(site.engine, seed)
    rng = random.Random(seed)
    log(f"crash drill on {site.engine}, seed {seed} (replay: --seed {seed}), {kills} kills")
    setup = site.prepare(members, demo_members)
    drill = Drill(site, setup, figures, tag=f"{site.engine}-{seed}")
    expired: set[str] = set()
    first = rng.sample(KINDS, len(KINDS))
    with running(site):
        threads = drill.clients(rng)
        for t in threads:
            t.start()
        for k in range(1, kills + 1):
            drill.stop.wait(rng.uniform(*load) / 2)
            fresh = [key for key in drill.recorded_commits() if key not in expired]
            if fresh and rng.random() < 0.4:
                expired.update(fresh)
                site.answer(site.phase("expire", data=fresh))
            drill.stop.wait(rng.uniform(*load) / 2)
            target = first[k - 1] if k <= len(first) else rng.choice(TARGETS)
            victims = [site.server, site.worker] if target == "both" else [getattr(site, target)]
            for victim in victims:
                victim.kill()
            killed = time.monotonic()
            figures.kills[target] += 1
            log(f"kill {k}/{kills}: SIGKILL {target} at {time.monotonic() - started:.1f} s")
            for victim in victims:
                victim.start()
            # The database as the kill left it, checked while the victims come back.
            check(site, drill, log, f"kill {k}")
            checked = time.monotonic()
            if site.server in victims:
                site.wait_for_server()
            log(
                f"  checked in {checked - killed:.1f} s, "
                f"serving again {time.monotonic() - killed:.1f} s after the kill"
            )
        drill.stop.set()
        for t in threads:
            t.join(timeout=120)
        check(site, drill, log, "the drill", command=True)
    figures.seconds = time.monotonic() - started
    log(f"{site.engine}: {json.dumps(figures.as_json())}")
    return figures
