"""Pages benchmark: every page type and main API list route at scale, served as in production.

Per engine (a SQLite file, and/or a PostgreSQL database of your own):

1. data (reused while its parameters match; seeding prints how long it took): the demo
   community at N members (consents, groups, partners, roles with a second factor, three
   policy versions, pools with committed rounds, choices and payouts), then M
   contributions in all (two years, every kind; most verified, some waiting for review,
   some rejected or disputed) with their ledger entries, and one large pool committed over
   a past quarter (statements, postings and ledger entries for everyone who contributed),
   of which some members take their reward (pending payouts for the treasurer);
2. `accord serve` as production runs it (gunicorn, 2 workers, DEBUG off, the ledger key
   from a file, the access log written);
3. the roles sign in through the site's own forms (the steward and the treasurer with a
   second factor);
4. each route is driven by 8 concurrent clients for a fixed time (a warm-up first, not
   counted), `/healthz` first as the yardstick of the same server in the same run.

It prints, per route: requests, p50, p95, p99, requests/s, the ratio of its requests/s to
`/healthz`'s, and PASS/FAIL against the targets (p95 under 150 ms; at least a tenth of
`/healthz`'s requests/s); the load average before and after, and one JSON line last.

    .venv/bin/python benchmarks/pages.py                          # 100k members, 1M rows
    .venv/bin/python benchmarks/pages.py --members 10000 --contributions 100000 \\
        --engine sqlite --duration 3                               # a quick run
    .venv/bin/python benchmarks/pages.py --engine postgres \\
        --postgres-url postgres://postgres@127.0.0.1:5432/pages
"""

import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
P95_MS = 150.0
MIN_RATIO = 0.10
SEED_FORMAT = 1  # bump when the seeded shapes change, so an older database is seeded again
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/accord_bench_pages"
SECRET = "benchmark-only-secret-key-0123456789-abcdefghijklmnop"  # noqa: S105
BATCH = 20_000
# Share of contributions by status: most verified, a review backlog, some rejected.
STATUS_SHARES = (("verified", 0.88), ("pending", 0.05), ("rejected", 0.05), ("disputed", 0.02))
BIG_POOL = "benchmark-quarter"
# The demo's published sign-ins (accord.demo.people; `accord demo` prints them).
DEMO_MEMBER, DEMO_STEWARD = "member@demo.accord.example", "steward@demo.accord.example"
DEMO_TREASURER = "treasurer@demo.accord.example"
DEMO_PASSWORD = "accord-demo-2026"  # noqa: S105 - demo data only
SEARCHES = ("python", "smith", "an", "facilitation", "maria", "zz-nobody")


# -- the environment of one engine ---------------------------------------------------


@dataclass(frozen=True)
class Engine:
    name: str  # sqlite or postgres
    data_dir: Path
    database_url: str  # empty: SQLite in the data dir

    def env(self, *, debug: bool) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            ACCORD_DATA_DIR=str(self.data_dir),
            SECRET_KEY=SECRET,
            ACCORD_SECURE_HTTPS="0",
            DEBUG="1" if debug else "",
            ACCORD_LEDGER_KEY_FILE=str(self.data_dir / "ledger" / "ed25519.pem"),
            DJANGO_SETTINGS_MODULE="accord.settings",
            PYTHONPATH=os.pathsep.join(
                [str(ROOT / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
            ),
        )
        env.pop("REDIS_URL", None)
        if debug:  # seeding makes the key file the server then reads
            env["ACCORD_LEDGER_KEY_GENERATE"] = "1"
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        else:
            env.pop("DATABASE_URL", None)
        return env


def _engines(args: argparse.Namespace) -> list[Engine]:
    root = Path(args.data_root).resolve()
    names = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    out = []
    for name in names:
        if name == "sqlite":
            out.append(Engine("sqlite", root / "sqlite", ""))
        else:
            db = urllib.parse.urlparse(args.postgres_url).path.lstrip("/")
            out.append(Engine("postgres", root / f"postgres-{db}", args.postgres_url))
    return out


def _params(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "members": args.members,
        "contributions": args.contributions,
        "choices": args.choices,
        "seed": args.seed,
        "format": SEED_FORMAT,
    }


# -- seeding (in a child process: python pages.py --seed-child) ------------------------


def _say(text: str) -> None:
    print(f"    {text}", flush=True)


def seed_child(args: argparse.Namespace) -> None:
    """Seed the database the environment names; print RESULT {figures} at the end."""
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # no query log while seeding a million rows
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    from accord.demo import seed_demo
    from accord.people.models import Member

    if Member.objects.exists():
        raise SystemExit("the database already holds a community: pass --reseed")
    seed_demo(members=args.members, seed=args.seed)
    _say(f"demo community of {args.members:,} members after {time.perf_counter() - start:.0f} s")
    made = _seed_contributions(args)
    _say(
        f"{made:,} more contributions with their entries after {time.perf_counter() - start:.0f} s"
    )
    statements, payouts = _seed_big_pool(args)
    _say(
        f"a pool of {statements:,} statements and {payouts:,} payouts "
        f"after {time.perf_counter() - start:.0f} s"
    )
    _finish()
    print("RESULT " + json.dumps({"seed_s": time.perf_counter() - start}), flush=True)


def _status_for(rng: Any, size: int) -> list[str]:
    names = [s for s, _ in STATUS_SHARES]
    shares = [p for _, p in STATUS_SHARES]
    return [names[i] for i in rng.choice(len(names), size=size, p=shares).tolist()]


def _seed_contributions(args: argparse.Namespace) -> int:  # noqa: PLR0915 - one pass, rows and entries
    """Contributions up to `--contributions` in all, over two years, in date order as
    recorded; a few members contribute a lot and most a little. Each gets its ledger
    entries (recorded; verified) as the services write them."""
    import numpy as np
    from django.db import connection, transaction
    from django.utils import timezone

    from accord.bulk import insert_rows
    from accord.contributions.models import Contribution, Kind
    from accord.contributions.services import ledger_records
    from accord.demo.benefits import TITLES
    from accord.ledger.services import bulk_import
    from accord.people.models import Group, Member, SiteRole

    existing = Contribution.objects.count()
    wanted = max(args.contributions - existing, 0)
    if not wanted:
        return 0
    rng = np.random.default_rng(args.seed)
    today = timezone.localdate()
    steward = Member.objects.filter(role=SiteRole.STEWARD).order_by("pk").first()
    assert steward is not None  # noqa: S101 - the demo has one
    people = Member.objects.only("pk", "joined_at").in_bulk()
    joined = {pk: m.joined_at for pk, m in people.items()}
    ids = np.array(sorted(people), dtype=np.int64)
    # Zipf-like: member i contributes in proportion to 1 / (i + 10), shuffled.
    weights = 1.0 / (np.arange(len(ids)) + 10.0)
    rng.shuffle(weights)
    weights /= weights.sum()
    groups = list(Group.objects.order_by("pk"))
    kinds = list(Kind)
    days = np.sort(rng.integers(1, 730, size=wanted))[::-1]  # oldest first
    first = (Contribution.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    adapt = connection.ops.adapt_datetimefield_value
    columns = [
        *("id", "member_id", "kind", "title", "description", "evidence_url", "date"),
        *("hours_h100", "level", "group_id", "initiative", "partnership_id", "status", "impact"),
        *("reviewer_id", "reviewed_at", "review_note", "dispute_reason", "created_at"),
    ]
    made = 0
    for start in range(0, wanted, BATCH):
        size = min(BATCH, wanted - start)
        who = ids[rng.choice(len(ids), size=size, p=weights)].tolist()
        statuses = _status_for(rng, size)
        kind_ix = rng.integers(0, len(kinds), size=size).tolist()
        hours = rng.choice([50, 100, 150, 200, 300, 400, 600, 800, 1200, 2500], size=size)
        levels = rng.integers(1, 6, size=size).tolist()
        impacts = rng.integers(1, 6, size=size).tolist()
        in_group = rng.random(size=size) < 0.6
        group_ix = rng.integers(0, len(groups), size=size).tolist()
        rows, objects, records = [], [], []
        for i in range(size):
            pk, member = first + start + i, who[i]
            when = today - timedelta(days=int(days[start + i]))
            when = max(when, joined[member].date())
            status, kind = statuses[i], kinds[kind_ix[i]]
            reviewed = status != "pending"
            stamp = datetime.combine(when, datetime.min.time(), tzinfo=UTC)
            group = groups[group_ix[i]] if in_group[i] else None
            c = Contribution(
                pk=pk,
                member_id=member,
                kind=kind,
                title=rng_title(TITLES[kind], pk),
                date=when,
                hours_h100=int(hours[i]),
                level=levels[i],
                group=group,
                status=status,
                impact=impacts[i] if status == "verified" else None,
                reviewer_id=steward.pk if reviewed else None,
                reviewed_at=stamp if reviewed else None,
            )
            c.member = people[member]
            objects.append(c)
            note = "No evidence link yet." if status in ("rejected", "disputed") else ""
            reason = "The link is in the description." if status == "disputed" else ""
            rows.append(
                (
                    *(pk, member, kind.value, c.title, "", "", when.isoformat()),
                    *(c.hours_h100, c.level, group.pk if group else None, "", None),
                    *(status, c.impact, c.reviewer_id, adapt(stamp) if reviewed else None),
                    *(note, reason, adapt(stamp)),
                )
            )
            records += ledger_records(c, recorded_by=c.member, reviewed_by=steward)  # type: ignore[arg-type]
        with transaction.atomic():
            insert_rows(Contribution._meta.db_table, columns, rows)
        bulk_import(records)
        made += size
    _reset_sequences(Contribution)
    return made


def rng_title(titles: list[str], pk: int) -> str:
    return titles[pk % len(titles)]


def _reset_sequences(*models: Any) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def _seed_big_pool(args: argparse.Namespace) -> tuple[int, int]:
    """A money pool over the last closed quarter under the policy then in force, committed;
    then `--choices` members take their reward (pending payouts for the treasurer)."""
    from django.utils import timezone

    from accord.benefits import services as benefits
    from accord.benefits.models import Choice, Method, Statement
    from accord.benefits.schemas import ChoiceIn, CommitIn, FundIn, PoolIn
    from accord.contributions.models import PolicyVersion
    from accord.people.models import Member, SiteRole

    today = timezone.localdate()
    start, end = today - timedelta(days=180), today - timedelta(days=91)
    policy = PolicyVersion.objects.filter(effective_from__lte=start).order_by("-version").first()
    assert policy is not None  # noqa: S101 - the demo publishes three
    steward = Member.objects.filter(role=SiteRole.STEWARD).order_by("pk").first()
    treasurer = Member.objects.filter(role=SiteRole.TREASURER).order_by("pk").first()
    pool = benefits.create_pool(
        steward,  # type: ignore[arg-type]
        PoolIn(
            name="Benchmark quarter",
            unit="EUR",
            method=Method.IMMEDIATE,
            period_start=start,
            period_end=end,
            policy=policy.version,
            minimum_payout=500,
            formats=["bank transfer", "book vouchers"],
            description="The association's quarterly share of partnership income.",
        ),
    )
    assert pool.slug == BIG_POOL  # noqa: S101
    benefits.fund_pool(
        treasurer,  # type: ignore[arg-type]
        pool.slug,
        FundIn(amount=1_000_000_000, source="Partnership income", key="bench:quarter"),
    )
    run = benefits.commit_distribution(treasurer, pool.slug, CommitIn(key="bench:quarter:1"))  # type: ignore[arg-type]
    payable = list(
        Statement.objects.filter(distribution=run, payout__gt=0)
        .order_by("pk")
        .values_list("pk", "member_id")[: args.choices]
    )
    members = Member.objects.in_bulk([m for _, m in payable])
    for pk, member in payable:
        benefits.choose(members[member], pk, ChoiceIn(choice=Choice.TAKE))
    return Statement.objects.filter(distribution=run).count(), len(payable)


def _finish() -> None:
    from django.db import connection

    from accord.ledger.services import sign_head

    sign_head()
    with connection.cursor() as cursor:
        # What autovacuum does after a bulk load, done now rather than at some point during
        # the run: statistics, and the visibility map that index-only reads rely on.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _prepare(engine: Engine, args: argparse.Namespace) -> float | None:
    """Seed the engine's database unless it holds data seeded with the same parameters.
    Returns the seeding time, or None when the data was reused."""
    marker = engine.data_dir / "seeded.json"
    params = _params(args)
    reuse = not args.reseed and marker.exists() and json.loads(marker.read_text()) == params
    if reuse and _holds_data(engine):
        return None
    _reset(engine)
    argv = [sys.executable, str(Path(__file__).resolve()), "--seed-child"]
    argv += ["--members", str(args.members), "--contributions", str(args.contributions)]
    argv += ["--choices", str(args.choices), "--seed", str(args.seed)]
    print(
        f"  {engine.name}: seeding {args.members:,} members, {args.contributions:,} "
        "contributions (once; reused while the parameters match)",
        flush=True,
    )
    result = None
    with subprocess.Popen(  # noqa: S603
        argv, env=engine.env(debug=True), stdout=subprocess.PIPE, text=True, cwd=ROOT
    ) as proc:
        assert proc.stdout is not None  # noqa: S101
        for line in proc.stdout:
            if line.startswith("RESULT "):
                result = json.loads(line[7:])
            else:
                print(line, end="", flush=True)
    if proc.returncode or result is None:
        raise SystemExit(f"seeding {engine.name} failed ({proc.returncode})")
    marker.write_text(json.dumps(params))
    print(f"  {engine.name}: seeded in {result['seed_s']:.0f} s", flush=True)
    return float(result["seed_s"])


def _holds_data(engine: Engine) -> bool:
    if engine.database_url:
        import psycopg

        try:
            with psycopg.connect(engine.database_url) as conn:
                row = conn.execute(
                    "SELECT count(*) FROM benefits_pool WHERE slug = %s", [BIG_POOL]
                ).fetchone()
        except psycopg.Error:
            return False
        return bool(row and row[0])
    return (engine.data_dir / "accord.sqlite3").exists()


def _reset(engine: Engine) -> None:
    shutil.rmtree(engine.data_dir, ignore_errors=True)
    engine.data_dir.mkdir(parents=True)
    if engine.database_url:
        import psycopg

        parsed = urllib.parse.urlparse(engine.database_url)
        db = parsed.path.lstrip("/")
        admin_url = parsed._replace(path="/postgres").geturl()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{db}"')


# -- the server ------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    port: int
    proc: subprocess.Popen[bytes]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _serve(engine: Engine, workers: int) -> Server:
    """`accord serve` as in production, its access log into the data dir."""
    port = _free_port()
    log = (engine.data_dir / "serve.log").open("wb")
    argv = [sys.executable, "-m", "accord", "serve", "--port", str(port)]
    argv += ["--workers", str(workers)]
    proc = subprocess.Popen(  # noqa: S603
        argv, env=engine.env(debug=False), stdout=log, stderr=subprocess.STDOUT, cwd=ROOT
    )
    server = Server(port, proc)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"accord serve exited ({proc.returncode}): see {log.name}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.stop()
    raise SystemExit("accord serve did not answer /healthz within 120 s")


# -- signing in ------------------------------------------------------------------------


def _csrf(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not found:
        raise SystemExit("no CSRF token on the sign-in page")
    return found.group(1)


class SignInFailed(Exception):
    pass


def sign_in(port: int, email: str, password: str, code: str | None) -> str:
    """Sign in through allauth's forms (and its second-factor step); return the Cookie
    header a browser would send afterwards."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"

    def post(url: str, fields: dict[str, str]) -> Any:
        data = urllib.parse.urlencode(fields).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})  # noqa: S310
        return opener.open(request)

    url = f"{base}/accounts/login/"
    page = opener.open(url).read().decode()
    reply = post(url, {"csrfmiddlewaretoken": _csrf(page), "login": email, "password": password})
    if "/2fa/authenticate" in reply.geturl():
        if code is None:
            raise SystemExit(f"{email} was asked for a second factor")
        page = reply.read().decode()
        reply = post(reply.geturl(), {"csrfmiddlewaretoken": _csrf(page), "code": code})
    if "/accounts/" in reply.geturl():
        raise SignInFailed(f"signing in as {email} failed (ended at {reply.geturl()})")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def _sign_in_office(port: int, engine: Engine, email: str) -> str:
    """An office holder's sign-in with the demo's authenticator code. A code is accepted
    once per person (replay protection), so a second run within the same 30 s waits for the
    next one."""
    for _ in range(3):
        try:
            return sign_in(port, email, DEMO_PASSWORD, _demo_code(engine))
        except SignInFailed:
            time.sleep(30.5 - time.time() % 30)
    raise SystemExit(f"signing in as {email} failed three times")


def _demo_code(engine: Engine) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "accord", "demo-code"],
        env=engine.env(debug=False),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    return out.stdout.strip()


# -- routes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    name: str
    role: str  # anon, member, steward, treasurer
    paths: tuple[str, ...]  # taken in turn


def _get_json(port: int, path: str, cookie: str) -> Any:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path}: {response.status} {body[:200]!r}")
    return json.loads(body)


def _routes(port: int, cookies: dict[str, str]) -> list[Route]:
    """Every page type and main API list route, with real ids found through the API."""
    member = cookies["member"]
    mine = _get_json(port, "/api/v1/statements", member)
    if not mine:
        raise SystemExit("the demo member has no statement")
    statement = mine[0]["id"]
    groups = _get_json(port, "/api/v1/groups", member)
    biggest = max(groups, key=lambda g: g["member_count"] or 0)["slug"]
    entries = _get_json(port, "/api/v1/ledger/entries?limit=1", "")
    size = entries["count"]
    people = _get_json(port, "/api/v1/members?limit=100", member)["items"]
    profile = people[len(people) // 2]["pseudonym"]
    seqs = tuple(f"/ledger/entries/{s}/" for s in (size // 3, size // 2, size - 10))
    searches = tuple(f"/members/?q={q}" for q in SEARCHES)
    api_searches = tuple(f"/api/v1/members?search={q}" for q in SEARCHES)
    return [
        Route("healthz", "anon", ("/healthz",)),
        Route("landing", "anon", ("/",)),
        Route("ledger", "anon", ("/ledger/",)),
        Route("ledger ?kind", "anon", ("/ledger/?kind=contribution.verified",)),
        Route("ledger deep page", "anon", (f"/ledger/?before={size // 2}",)),
        Route("ledger entry+proof", "anon", seqs),
        Route("ledger heads", "anon", ("/ledger/heads/",)),
        Route("criteria", "anon", ("/criteria/",)),
        Route("home", "member", ("/home/",)),
        Route("directory", "member", ("/members/",)),
        Route("directory search", "member", searches),
        Route("member page", "member", (f"/members/{profile}/",)),
        Route("groups", "member", ("/groups/",)),
        Route("group page", "member", (f"/groups/{biggest}/",)),
        Route("statements", "member", ("/benefits/",)),
        Route("statement", "member", (f"/benefits/statements/{statement}/",)),
        Route("receipts", "member", ("/me/receipts/",)),
        Route("pools", "member", ("/pools/",)),
        Route("pool page", "member", (f"/pools/{BIG_POOL}/",)),
        Route("review queue", "steward", ("/contributions/review/",)),
        Route("treasury", "treasurer", ("/treasury/",)),
        Route("api ledger entries", "anon", ("/api/v1/ledger/entries",)),
        Route("api criteria", "anon", ("/api/v1/criteria",)),
        Route("api members", "member", ("/api/v1/members",)),
        Route("api members search", "member", api_searches),
        Route("api groups", "member", ("/api/v1/groups",)),
        Route("api statements", "member", ("/api/v1/statements",)),
        Route("api pools", "member", ("/api/v1/pools",)),
        Route("api review queue", "steward", ("/api/v1/contributions/review-queue",)),
        Route("api payouts", "treasurer", ("/api/v1/payouts",)),
    ]


# -- load ------------------------------------------------------------------------------


@dataclass
class Result:
    route: Route
    latencies: list[float] = field(default_factory=list)  # seconds, counted requests only
    errors: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    bytes: int = 0

    def pct(self, q: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return 1000 * ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def _client(
    port: int,
    paths: tuple[str, ...],
    cookie: str,
    *,
    offset: int,
    stop_at: float,
    count_from: float,
    result: Result,
    lock: threading.Lock,
) -> None:
    """One keep-alive client: requests back to back until `stop_at` (reconnecting when the
    server closes the connection, as gunicorn's sync workers do after each response)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    latencies, errors, size, i = [], {}, 0, offset
    perf = time.perf_counter
    while True:
        start = perf()
        if start >= stop_at:
            break
        path = paths[i % len(paths)]
        i += 1
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            status = response.status
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            conn.close()
            status, body = 599, b""
        end = perf()
        if start < count_from:
            continue
        if status == 200:
            latencies.append(end - start)
            size += len(body)
        else:
            errors[status] = errors.get(status, 0) + 1
    conn.close()
    with lock:
        result.latencies += latencies
        result.bytes += size
        for k, v in errors.items():
            result.errors[k] = result.errors.get(k, 0) + v


def drive(
    port: int, route: Route, cookie: str, *, clients: int, seconds: float, warmup: float
) -> Result:
    result, lock = Result(route), threading.Lock()
    now = time.perf_counter()
    count_from, stop_at = now + warmup, now + warmup + seconds
    threads = [
        threading.Thread(
            target=_client,
            args=(port, route.paths, cookie),
            kwargs={
                "offset": n,
                "stop_at": stop_at,
                "count_from": count_from,
                "result": result,
                "lock": lock,
            },
        )
        for n in range(clients)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = seconds
    return result


# -- one engine ------------------------------------------------------------------------


def run_engine(engine: Engine, args: argparse.Namespace) -> dict[str, Any]:
    engine.data_dir.mkdir(parents=True, exist_ok=True)
    seed_s = _prepare(engine, args)
    if args.seed_only:
        return {"engine": engine.name, "seed_s": seed_s}
    server = _serve(engine, args.workers)
    try:
        cookies = {
            "anon": "",
            "member": sign_in(server.port, DEMO_MEMBER, DEMO_PASSWORD, None),
            "steward": _sign_in_office(server.port, engine, DEMO_STEWARD),
            "treasurer": _sign_in_office(server.port, engine, DEMO_TREASURER),
        }
        routes = _routes(server.port, cookies)
        if args.routes:
            wanted = [w.strip() for w in args.routes.split(",")]
            routes = [r for r in routes if r.name == "healthz" or any(w in r.name for w in wanted)]
        load_before = os.getloadavg()
        results = []
        for route in routes:
            result = drive(
                server.port,
                route,
                cookies[route.role],
                clients=args.clients,
                seconds=args.duration,
                warmup=args.warmup,
            )
            results.append(result)
            print(
                f"    {route.name:<22} {len(result.latencies):>7,} ok"
                f"  p95 {result.pct(0.95):8.1f} ms  {result.rps:8.1f}/s"
                + (f"  errors {result.errors}" if result.errors else ""),
                flush=True,
            )
        load_after = os.getloadavg()
    finally:
        server.stop()
    return _figures(
        engine, args, results, seed_s=seed_s, load_before=load_before, load_after=load_after
    )


def _figures(
    engine: Engine,
    args: argparse.Namespace,
    results: list[Result],
    *,
    seed_s: float | None,
    load_before: tuple[float, float, float],
    load_after: tuple[float, float, float],
) -> dict[str, Any]:
    health = results[0].rps
    rows = []
    for r in results:
        ratio = r.rps / health if health else 0.0
        ok = (
            not r.errors
            and bool(r.latencies)
            and r.pct(0.95) < P95_MS
            and (r.route.name == "healthz" or ratio >= MIN_RATIO)
        )
        rows.append(
            {
                "route": r.route.name,
                "path": r.route.paths[0],
                "n": len(r.latencies),
                "p50_ms": round(r.pct(0.50), 1),
                "p95_ms": round(r.pct(0.95), 1),
                "p99_ms": round(r.pct(0.99), 1),
                "rps": round(r.rps, 1),
                "ratio": round(ratio, 3),
                "kb": round(r.bytes / max(len(r.latencies), 1) / 1024, 1),
                "errors": r.errors,
                "verdict": "PASS" if ok else "FAIL",
            }
        )
    return {
        "engine": engine.name,
        "seed_s": seed_s,
        "load_before": load_before,
        "load_after": load_after,
        "rows": rows,
    }


def _report(figures: dict[str, Any], args: argparse.Namespace) -> None:
    print()
    print(
        f"Pages benchmark: {figures['engine']}, {args.members:,} members, "
        f"{args.contributions:,} contributions; gunicorn {args.workers} workers, "
        f"{args.clients} clients, {args.duration:g} s per route; {os.cpu_count()} CPUs, "
        "load average {:.1f} before / {:.1f} after".format(
            figures["load_before"][0], figures["load_after"][0]
        )
    )
    seeded = figures["seed_s"]
    print("data: " + ("reused" if seeded is None else f"seeded in {seeded:.0f} s"))
    head = (
        f"{'route':<22}{'n':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'req/s':>9}"
        f"{'x healthz':>11}{'KiB':>7}  verdict"
    )
    print(head)
    print("-" * len(head))
    for row in figures["rows"]:
        print(
            f"{row['route']:<22}{row['n']:>8,}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
            f"{row['p99_ms']:>9.1f}{row['rps']:>9.1f}{row['ratio']:>11.3f}{row['kb']:>7.1f}  "
            f"{row['verdict']}" + (f" {row['errors']}" if row["errors"] else "")
        )
    print("-" * len(head))
    failed = [r["route"] for r in figures["rows"] if r["verdict"] != "PASS"]
    print(
        f"targets: p95 < {P95_MS:g} ms and >= {MIN_RATIO:g} x healthz req/s: "
        + ("all met" if not failed else "FAILED " + ", ".join(failed))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--contributions", type=int, default=1_000_000)
    parser.add_argument(
        "--choices", type=int, default=5_000, help="members of the big pool who take theirs"
    )
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=DEFAULT_PG, help="a database of your own")
    parser.add_argument(
        "--data-root", default=str(ROOT / "data" / "bench-pages"), help="kept between runs"
    )
    parser.add_argument("--reseed", action="store_true", help="seed again even if it matches")
    parser.add_argument("--duration", type=float, default=10.0, help="counted seconds per route")
    parser.add_argument("--warmup", type=float, default=1.0, help="uncounted seconds first")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--routes", default="", help="only routes whose name contains one of these"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--seed-only", action="store_true", help="prepare the data, then stop")
    parser.add_argument("--seed-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    if args.seed_child:
        seed_child(args)
        return
    everything: dict[str, Any] = {"python": sys.version.split()[0], "params": _params(args)}
    for engine in _engines(args):
        print(f"  {engine.name}", flush=True)
        figures = run_engine(engine, args)
        if not args.seed_only:
            _report(figures, args)
        everything[engine.name] = figures
    print(json.dumps(everything, sort_keys=True))


if __name__ == "__main__":
    main()
