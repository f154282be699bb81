"""Distribution benchmark: score, plan and commit one pool for a large community.

Per engine (a fresh SQLite file in a temporary ACCORD_DATA_DIR, configured exactly as in
production, and/or a scratch PostgreSQL database created and dropped by the run):

1. data: N members and M verified contributions in one 90-day period (every kind, level,
   impact and a spread of hours; joins over six years, so tenure steps apply; rows in date
   order, as recorded over time), policy version 2 of the demo, one IMMEDIATE pool of
   10,000,000.00 EUR (minimum payout 5.00), inserted in bulk from a seeded RNG -- timed
   but not counted;
2. end to end: `services.commit_distribution` from start to finish (read, score, plan, write
   statements, postings and ledger entries, sign the head), with a `planning.preview` of
   the same pool timed before it, and the peak memory (ru_maxrss) of that process;
3. baseline: `naive_distribution` below, a straightforward per-member ORM implementation,
   on a second pool limited to a group of the first 10,000 members (in USD, so it creates
   its payable accounts as the real commit does); its time x N/10,000 against (2).

Before that, the domain core alone: `score_many` + `member_totals` + `plan_distribution` on
in-memory arrays of the same size (best of three). Every phase runs in its own process so
each peak memory is its own. Django runs with DEBUG=1 (for the development secret key) but
with the query log off, as in production; both implementations get the same.

It prints a table with PASS/MISS per target and, last, one JSON line with every figure.

    .venv/bin/python benchmarks/distribution.py                       # 100k members, 1M rows
    .venv/bin/python benchmarks/distribution.py --members 20000 --contributions 200000 \\
        --naive-members 2000 --engines sqlite                          # a quick run
"""

import argparse
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from accord.contributions.schemas import PolicyIn

TARGETS = {
    "core_s": ("<", 0.5),
    "commit_s": ("<", 20.0),
    "commit_peak_rss_mb": ("<", 1536),
    "speedup": (">=", 20.0),
}
PERIOD_START, PERIOD_END = date(2025, 1, 1), date(2025, 3, 31)
JOINS_FROM = date(2019, 1, 1)  # members joined over the six years before the period
POOL_AMOUNT = 1_000_000_000  # 10,000,000.00 EUR in cents
NAIVE_AMOUNT = 100_000_000  # 1,000,000.00 USD for the 10,000-member subset
MINIMUM = 500
POLICY = 2  # the demo policy with two tenure steps
MAIN_SLUG, NAIVE_SLUG = "benchmark-pool", "benchmark-subset-pool"
BATCH = 50_000
CONTRIBUTION_COLUMNS = [
    *("member_id", "kind", "title", "date", "hours_h100", "level", "impact", "status"),
    *("reviewed_at", "created_at", "reviewer_id"),
]
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/postgres"


# -- process set-up ---------------------------------------------------------------------


def _setup(*, migrate: bool = False) -> None:
    """Configure Django from the environment the parent set (data dir, DATABASE_URL)."""
    os.environ.setdefault("DEBUG", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "accord.settings"
    src = Path(__file__).resolve().parent.parent / "src"
    if str(src) not in sys.path:
        sys.path.insert(0, str(src))
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.DEBUG = False  # no query log: it would slow down every query, naive ones most
    if migrate:
        call_command("migrate", verbosity=0)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _say(text: str) -> None:
    print(f"    {text}", flush=True)


def _timed(fn: Callable[[], Any]) -> tuple[Any, float]:
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


# -- data -------------------------------------------------------------------------------


def _insert(model: Any, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> int:
    """Insert rows given for `columns`; every other field gets its default. COPY on
    PostgreSQL, executemany on SQLite. Values must already be in database form."""
    from django.db import connection
    from django.db.models import JSONField

    consts: dict[str, Any] = {}
    for field in model._meta.concrete_fields:
        if field.attname in columns or field.primary_key:
            continue
        value = field.get_default()
        if isinstance(field, JSONField):
            consts[field.column] = json.dumps(value)
        else:
            consts[field.column] = field.get_db_prep_save(value, connection)
    names = [model._meta.get_field(c).column for c in columns] + list(consts)
    extra = tuple(consts.values())
    table, quote = model._meta.db_table, connection.ops.quote_name
    column_list = ", ".join(quote(n) for n in names)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            sql = f"COPY {quote(table)} ({column_list}) FROM STDIN"
            with cursor.cursor.copy(sql) as copy:
                for row in rows:
                    copy.write_row(row + extra)
                    count += 1
        else:
            marks = ", ".join(["%s"] * len(names))
            sql = f"INSERT INTO {quote(table)} ({column_list}) VALUES ({marks})"  # noqa: S608
            chunk: list[tuple[Any, ...]] = []
            for row in rows:
                chunk.append(row + extra)
                if len(chunk) == BATCH:
                    cursor.executemany(sql, chunk)
                    count, chunk = count + len(chunk), []
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


def _next_id(model: Any) -> int:
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def _people(rng: np.random.Generator, n: int) -> tuple[list[int], datetime]:
    """N users and members (the first a steward, the second a treasurer); return member ids
    and a fixed time."""
    from django.db import connection

    from accord.people.models import Member, SiteRole, User

    adapt = connection.ops.adapt_datetimefield_value
    stamp = datetime(2025, 4, 1, 9, tzinfo=UTC)
    first_user, first_member = _next_id(User), _next_id(Member)
    secs = rng.integers(0, (PERIOD_START - JOINS_FROM).days * 86_400, size=n).tolist()
    joins = [adapt(datetime(2019, 1, 1, tzinfo=UTC) + timedelta(seconds=s)) for s in secs]
    tags = rng.integers(0, 2**63, size=n, dtype=np.int64).tolist()
    pseudonyms = [f"m-{t:016x}" for t in tags]
    if len(set(pseudonyms)) != n:
        raise SystemExit("pseudonym collision: pick another --seed")
    password = "!unusable-benchmark"  # noqa: S105 - unusable on purpose
    _insert(
        User,
        ["id", "username", "email", "password", "date_joined", "is_active"],
        (
            (
                first_user + i,
                f"b{i}@bench.example",
                f"b{i}@bench.example",
                password,
                adapt(stamp),
                True,
            )
            for i in range(n)
        ),
    )
    roles = [SiteRole.STEWARD.value, SiteRole.TREASURER.value] + [SiteRole.MEMBER.value] * (n - 2)
    # Each member's own ledger secret (a column default would give them all the same one).
    secrets = [rng.bytes(32) for _ in range(n)]
    _insert(
        Member,
        ["id", "user_id", "pseudonym", "ledger_secret", "display_name", "role", "joined_at"],
        (
            (
                first_member + i,
                first_user + i,
                pseudonyms[i],
                secrets[i],
                f"Member {i}",
                roles[i],
                joins[i],
            )
            for i in range(n)
        ),
    )
    # The steward's and the treasurer's powers wait for a second factor, as in production.
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    for user in User.objects.filter(pk__in=[first_user, first_user + 1]):
        TOTP.activate(user, generate_totp_secret())
    return list(range(first_member, first_member + n)), stamp


def _contributions(
    rng: np.random.Generator, member_ids: list[int], m: int, stamp: datetime
) -> Iterator[tuple[Any, ...]]:
    from django.db import connection

    from accord.contributions.models import Kind, Status

    kinds = list(Kind.values)
    days = [(PERIOD_START + timedelta(days=d)).isoformat() for d in range(90)]
    titles = [f"{k} work" for k in kinds]
    # The steward and the treasurer contribute nothing: the treasurer commits a round that
    # gives them nothing, so needs no second approval.
    ids = np.array(member_ids[2:], dtype=np.int64)
    created = connection.ops.adapt_datetimefield_value(stamp)
    verified = Status.VERIFIED.value
    # Recorded as they happen: ids grow with dates, as in a real community's table.
    dated = np.sort(rng.integers(0, 90, size=m))
    for start in range(0, m, BATCH):
        size = min(BATCH, m - start)
        columns = zip(
            ids[rng.integers(0, len(ids), size=size)].tolist(),
            rng.integers(0, len(kinds), size=size).tolist(),
            dated[start : start + size].tolist(),
            rng.integers(0, 3001, size=size).tolist(),  # up to 30 h; the cap is 20 h
            rng.integers(1, 6, size=size).tolist(),
            rng.integers(1, 6, size=size).tolist(),
            strict=True,
        )
        for member, kind, day, hours, level, impact in columns:
            yield (
                *(member, kinds[kind], titles[kind], days[day], hours, level, impact),
                *(verified, created, created, member_ids[0]),
            )


def seed_phase(args: argparse.Namespace) -> dict[str, Any]:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from accord.benefits.schemas import FundIn, PoolIn
    from accord.benefits.services import create_pool, fund_pool
    from accord.contributions.models import Contribution
    from accord.contributions.seeding import seed_policy_history
    from accord.demo import policies
    from accord.people.models import Group, GroupKind, Member, Membership, User

    rng = np.random.default_rng(args.seed)
    start = time.perf_counter()
    with transaction.atomic():
        member_ids, stamp = _people(rng, args.members)
        _say(f"{args.members:,} members in {time.perf_counter() - start:.1f} s")
        rows = _contributions(rng, member_ids, args.contributions, stamp)
        count = _insert(
            Contribution,
            CONTRIBUTION_COLUMNS,
            rows,
        )
        _say(f"{count:,} contributions after {time.perf_counter() - start:.1f} s")
        subset = member_ids[: args.naive_members]
        group = Group.objects.create(
            name="Benchmark subset", slug="benchmark-subset", kind=GroupKind.WORKING_GROUP
        )
        joined = connection.ops.adapt_datetimefield_value(datetime(2018, 6, 1, tzinfo=UTC))
        _insert(
            Membership,
            ["member_id", "group_id", "joined_at", "left_at"],
            ((m, group.pk, joined, None) for m in subset),
        )
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [User, Member]):
                cursor.execute(sql)
    steward = Member.objects.get(pk=member_ids[0])
    policy = seed_policy_history(  # the benchmark's fixed past period: seeded history
        steward,
        PolicyIn(
            document=policies.version(POLICY), effective_from=PERIOD_START, reason="Benchmark."
        ),
    )
    for name, unit, amount, groups in (
        ("Benchmark pool", "EUR", POOL_AMOUNT, ()),
        ("Benchmark subset pool", "USD", NAIVE_AMOUNT, (group,)),
    ):
        pool = create_pool(
            steward,
            PoolIn(
                name=name,
                unit=unit,
                method="immediate",
                period_start=PERIOD_START,
                period_end=PERIOD_END,
                policy=policy.version,
                minimum_payout=MINIMUM if not groups else 0,
                eligible_groups=[g.slug for g in groups],
            ),
        )
        fund_pool(
            Member.objects.get(pk=member_ids[1]),
            pool.slug,
            FundIn(amount=amount, source="Benchmark Foundation", key=pool.slug),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wall = time.perf_counter() - start
    return {"seed_s": wall, "seed_members": args.members, "seed_contributions": count}


# -- domain core ------------------------------------------------------------------------


def core_phase(args: argparse.Namespace) -> dict[str, Any]:
    from accord.contributions.models import Kind
    from accord.contributions.policy import parse_policy
    from accord.demo import policies
    from accord.domain.attribution import member_totals, score_many
    from accord.domain.distribution import Method, plan_distribution

    rng = np.random.default_rng(args.seed)
    n, m = args.members, args.contributions
    kinds = tuple(Kind.values)
    policy = parse_policy(policies.version(POLICY)).to_domain(POLICY)
    member = rng.integers(0, n, size=m)
    columns = (
        rng.integers(0, len(kinds), size=m),
        rng.integers(1, 6, size=m),
        rng.integers(1, 6, size=m),
        rng.integers(0, 3001, size=m),
        rng.integers(0, 80, size=m),  # tenure months
    )
    keys = [f"m-{t:016x}" for t in rng.integers(0, 2**63, size=n, dtype=np.int64).tolist()]
    best: dict[str, float] = {}
    for _ in range(3):
        t0 = time.perf_counter()
        points = score_many(*columns, policy, kinds)
        t1 = time.perf_counter()
        totals = member_totals(member, points, n, policy.member_cap_cp)
        t2 = time.perf_counter()
        plan = plan_distribution(
            pool=POOL_AMOUNT,
            method=Method.IMMEDIATE,
            keys=keys,
            weights=totals.tolist(),
            minimum=MINIMUM,
            seed="benchmark-pool:1",
        )
        t3 = time.perf_counter()
        if not plan.conserves():
            raise SystemExit("the plan does not conserve the pool")
        for name, value in (("score", t1 - t0), ("totals", t2 - t1), ("plan", t3 - t2)):
            best[name] = min(best.get(name, value), value)
        best["core"] = min(best.get("core", t3 - t0), t3 - t0)
    return {f"{k}_s": v for k, v in best.items()} | {"core_peak_rss_mb": _peak_mb()}


# -- end to end -------------------------------------------------------------------------


def _treasurer() -> Any:
    from accord.people.models import Member, SiteRole

    return Member.objects.filter(role=SiteRole.TREASURER).order_by("pk").first()


def commit_phase(args: argparse.Namespace) -> dict[str, Any]:
    from django.db.models import Count, Sum

    from accord.benefits import planning, services
    from accord.benefits.models import Pool, Posting, Statement
    from accord.benefits.schemas import CommitIn

    pool, treasurer = Pool.objects.get(slug=MAIN_SLUG), _treasurer()
    preview, preview_s = _timed(lambda: planning.preview(pool))
    members = len(preview.inputs.member_ids)
    del preview
    gc.collect()
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
        profile.enable()
    distribution, commit_s = _timed(
        lambda: services.commit_distribution(
            treasurer, pool.slug, CommitIn(key="benchmark-round-1")
        )
    )
    if profile is not None:
        profile.disable()
        profile.dump_stats(args.profile)
    peak = _peak_mb()
    got = Statement.objects.filter(distribution=distribution).aggregate(
        n=Count("pk"), paid=Sum("payout"), kept=Sum("carried_out")
    )
    if got["paid"] + got["kept"] + distribution.unallocated != POOL_AMOUNT:
        raise SystemExit(f"the committed statements do not add up: {got}")
    if Posting.objects.aggregate(total=Sum("amount"))["total"] != 0:
        raise SystemExit("the postings do not balance")
    return {
        "preview_s": preview_s,
        "commit_s": commit_s,
        "commit_peak_rss_mb": peak,
        "eligible_members": members,
        "statements": got["n"],
    }


def naive_distribution(actor: Any, pool: Any, *, key: str) -> Any:
    """The straightforward implementation: per member, query their contributions through
    the ORM, score each with the scalar `score`, split with `largest_remainder`, then one
    Statement, two Postings and one ledger entry (blinded, as the real commit writes it)
    per member with the usual ORM calls."""
    import hashlib

    from django.db import transaction
    from django.utils import timezone

    from accord.benefits import accounts
    from accord.benefits.models import Distribution, Posting, Statement, Transaction
    from accord.contributions.models import Contribution, Status
    from accord.contributions.queries import domain_policy
    from accord.domain.allocation import largest_remainder
    from accord.domain.attribution import ContributionFacts, score
    from accord.domain.commitments import blind
    from accord.ledger import services as ledger
    from accord.ledger.models import HeadReason
    from accord.people.models import Member

    policy = domain_policy(pool.policy)
    with transaction.atomic():
        pool = type(pool).objects.select_for_update().get(pk=pool.pk)
        members = list(
            Member.objects.filter(
                memberships__group__pools=pool, memberships__joined_at__date__lte=pool.period_end
            )
            .distinct()
            .order_by("pk")
        )
        weights, counted = [], []
        for member in members:
            joined, total, ids = member.joined_at.date(), 0, []
            for c in Contribution.objects.filter(
                member=member,
                status=Status.VERIFIED,
                date__gte=pool.period_start,
                date__lte=pool.period_end,
            ).order_by("id"):
                months = (c.date.year - joined.year) * 12 + c.date.month - joined.month
                months -= c.date.day < joined.day
                facts = ContributionFacts(c.kind, c.level, c.impact, c.hours_h100, max(months, 0))
                total += score(facts, policy).points_cp
                ids.append(c.pk)
            if policy.member_cap_cp is not None:
                total = min(total, policy.member_cap_cp)
            weights.append(total)
            counted.append(ids)
        pool_account = accounts.pool_account(pool)
        amount = accounts.balance(pool_account)
        round_ = pool.distributions.count() + 1
        seed = f"{pool.slug}:{round_}"
        # Statements are keyed by each member's blinded label, as the real commit keys them.
        context = f"statement:{pool.slug}:{round_}"
        keys = [blind(bytes(m.ledger_secret), context) for m in members]
        shares = largest_remainder(amount, weights, keys, seed=seed)
        distribution = Distribution.objects.create(
            pool=pool,
            round=round_,
            key=key,
            method=pool.method,
            seed=seed,
            total=amount,
            policy=pool.policy,
            as_of=pool.period_end,
            total_weight=str(sum(weights)),
            committed_by=actor,
            choice_deadline=timezone.localdate() + timedelta(days=pool.choice_days),
        )
        tx = Transaction.objects.create(
            key=f"distribution:{key}",
            fingerprint=hashlib.sha256(key.encode()).hexdigest(),
            memo=f"{pool.name} round {round_}",
        )
        for member, label, weight, ids, share in zip(
            members, keys, weights, counted, shares, strict=True
        ):
            if not weight:
                continue
            Statement.objects.create(
                distribution=distribution,
                member=member,
                weight=str(weight),
                points_cp=weight,
                share=share,
                payout=share,
                contribution_ids=ids,
                format=pool.formats[0],
            )
            if share:
                payable = accounts.payable_account(member, pool.unit)
                Posting.objects.create(
                    transaction=tx, account=payable, amount=share, unit=pool.unit
                )
                Posting.objects.create(
                    transaction=tx, account=pool_account, amount=-share, unit=pool.unit
                )
            ledger.append_many(
                [
                    ledger.about_member(
                        "distribution.statement",
                        actor.pseudonym,
                        member.pk,
                        {"distribution": seed, "points_cp": weight, "payout": share,
                         "contributions": ids},
                        public={"distribution": seed, "weight": str(weight), "amount": share},
                        subject=label,
                    )
                ]
            )  # fmt: skip
        ledger.append(
            "distribution.committed",
            actor.pseudonym,
            f"pool:{pool.slug}",
            {"distribution": key, "pool": pool.slug, "round": round_, "total": amount},
        )
    ledger.sign_head(HeadReason.DISTRIBUTION)
    return distribution


def naive_phase(args: argparse.Namespace) -> dict[str, Any]:
    from accord.benefits import planning
    from accord.benefits.models import Pool, Statement

    pool, treasurer = Pool.objects.get(slug=NAIVE_SLUG), _treasurer()
    distribution, wall = _timed(lambda: naive_distribution(treasurer, pool, key="benchmark-naive"))
    # The baseline must compute what the real code computes: compare the weights.
    inputs = planning.gather(pool)
    expected = {m: w for m, w in zip(inputs.member_ids, inputs.weights, strict=True) if w}
    got = dict(
        Statement.objects.filter(distribution=distribution).values_list("member_id", "weight")
    )
    if {m: int(w) for m, w in got.items()} != expected:
        raise SystemExit("the naive weights differ from planning.gather's")
    return {"naive_s": wall, "naive_members": len(inputs.member_ids)}


PHASES: dict[str, Callable[[argparse.Namespace], dict[str, Any]]] = {
    "core": core_phase,
    "seed": seed_phase,
    "commit": commit_phase,
    "naive": naive_phase,
}


# -- the parent: run phases in child processes, report ------------------------------------


def _child(phase: str, args: argparse.Namespace, env: dict[str, str]) -> dict[str, Any]:
    argv = [sys.executable, str(Path(__file__).resolve()), "--phase", phase]
    argv += ["--members", str(args.members), "--contributions", str(args.contributions)]
    argv += ["--naive-members", str(args.naive_members), "--seed", str(args.seed)]
    if args.profile and phase == "commit":
        argv += ["--profile", f"{args.profile}.{env['BENCH_ENGINE']}"]
    result: dict[str, Any] | None = None
    with subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, text=True) as proc:  # noqa: S603
        assert proc.stdout is not None  # noqa: S101
        for line in proc.stdout:
            if line.startswith("RESULT "):
                result = json.loads(line[7:])
            else:
                print(line, end="", flush=True)
    if proc.returncode or result is None:
        raise SystemExit(f"phase {phase} failed ({proc.returncode})")
    return result


def _engine(name: str, args: argparse.Namespace) -> dict[str, Any]:
    import psycopg

    data_dir = Path(tempfile.mkdtemp(prefix="accord-dist-bench-"))
    env = dict(os.environ, ACCORD_DATA_DIR=str(data_dir), BENCH_ENGINE=name)
    env.pop("DATABASE_URL", None)
    scratch = f"accord_bench_dist_{os.getpid()}"
    if name == "postgres":
        with psycopg.connect(args.postgres_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{scratch}"')
        env["DATABASE_URL"] = args.postgres_url.rsplit("/", 1)[0] + f"/{scratch}"
    figures: dict[str, Any] = {}
    try:
        for phase in ("seed", "commit", "naive"):
            print(f"  {name}: {phase}", flush=True)
            figures.update(_child(phase, args, env))
    finally:
        if name == "postgres":
            with psycopg.connect(args.postgres_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)
    figures["naive_scaled_s"] = figures["naive_s"] * args.members / figures["naive_members"]
    figures["speedup"] = figures["naive_scaled_s"] / figures["commit_s"]
    return figures


def _verdict(key: str, value: float) -> str:
    op, target = TARGETS[key]
    return "PASS" if (value >= target if op == ">=" else value < target) else "MISS"


def _report(figures: dict[str, Any], engines: list[str], args: argparse.Namespace) -> None:
    n_naive = args.naive_members
    rows = [
        ("data generation (not counted)", "seed_s", "s"),
        ("planning.preview (read + plan)", "preview_s", "s"),
        ("commit_distribution end to end", "commit_s", "s"),
        ("peak memory, commit process", "commit_peak_rss_mb", "MB"),
        (f"naive_distribution, {n_naive:,} members", "naive_s", "s"),
        (f"naive scaled x{args.members / n_naive:g}", "naive_scaled_s", "s"),
        ("speedup: scaled naive / commit", "speedup", "x"),
    ]
    units = {"core_s": "s", "commit_s": "s", "commit_peak_rss_mb": "MB", "speedup": "x"}
    verdicts: dict[str, str] = {}

    def cell(key: str, value: float, unit: str, verdict_key: str) -> str:
        text = f"{value:,.3f}" if key == "core_s" else f"{value:,.2f}"
        if key in TARGETS:
            verdicts[verdict_key] = _verdict(key, value)
            return f"{text:>11} {unit:<2} {verdicts[verdict_key]:<4}"
        return f"{text:>11} {unit:<2}     "

    def target(key: str) -> str:
        return f"{TARGETS[key][0]} {TARGETS[key][1]:g} {units[key]}" if key in TARGETS else ""

    width = 34 + 19 * len(engines)
    print()
    print(
        f"Distribution benchmark: {args.members:,} members, {args.contributions:,} "
        f"verified contributions, policy v{POLICY}, IMMEDIATE pool"
    )
    print(f"{'measure':<34}" + "".join(f"{e:>14}     " for e in engines) + "  target")
    print("-" * (width + 12))
    core = figures["core"]
    print(
        f"{'domain core, best of 3 (no DB)':<34}"
        f"{cell('core_s', core['core_s'], 's', 'core_s')}{' ' * 19 * (len(engines) - 1)}"
        f"  {target('core_s')}"
    )
    print(
        f"{'  score / totals / plan':<34}"
        f"{core['score_s']:.3f} / {core['totals_s']:.3f} / {core['plan_s']:.3f} s"
    )
    for label, key, unit in rows:
        cells = "".join(cell(key, figures[e][key], unit, f"{e}_{key}") for e in engines)
        print(f"{label:<34}{cells}  {target(key)}")
    print("-" * (width + 12))
    figures["verdicts"] = verdicts
    figures["total_wall_s"] = time.perf_counter() - figures.pop("_start")
    missed = sorted(k for k, v in verdicts.items() if v == "MISS")
    print(
        f"{'all targets met' if not missed else 'MISSED: ' + ', '.join(missed)}; "
        f"total wall {figures['total_wall_s']:.0f} s"
    )
    print(json.dumps(figures, sort_keys=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--contributions", type=int, default=1_000_000)
    parser.add_argument("--naive-members", type=int, default=10_000)
    parser.add_argument("--engines", default="sqlite,postgres", help="sqlite and/or postgres")
    parser.add_argument("--postgres-url", default=DEFAULT_PG, help="a database to connect to")
    parser.add_argument("--seed", type=int, default=20250401)
    parser.add_argument("--profile", default="", help="cProfile the commit into FILE.<engine>")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        _setup(migrate=args.phase == "seed")
        print("RESULT " + json.dumps(PHASES[args.phase](args)), flush=True)
        return
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    figures: dict[str, Any] = {"_start": time.perf_counter(), "python": sys.version.split()[0]}
    core_dir = Path(tempfile.mkdtemp(prefix="accord-dist-core-"))
    try:
        print("  domain core", flush=True)
        env = dict(os.environ, ACCORD_DATA_DIR=str(core_dir), BENCH_ENGINE="core")
        env.pop("DATABASE_URL", None)
        figures["core"] = _child("core", args, env)
    finally:
        shutil.rmtree(core_dir, ignore_errors=True)
    for engine in engines:
        figures[engine] = _engine(engine, args)
    _report(figures, engines, args)


if __name__ == "__main__":
    main()
