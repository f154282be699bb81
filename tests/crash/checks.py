"""What the crash harness asks of the database, in a child process set up like the server
(or inside a test): seed the drill, let time pass, and check that nothing acknowledged was
lost and nothing was half-applied.

`main` runs a phase (setup, expire, check) in a child process with the site's
environment, printing one JSON line. `problems(acks)` is the check itself: a list of what is wrong,
empty when every acknowledged request's effect is present, every distribution, import,
choice and payout is whole, every transaction balances and every account holds, to the
cent, what the rows and the ledger say it should.
"""

import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from accord.benefits import accounts
from accord.benefits.models import (
    Account,
    AccountKind,
    Choice,
    Distribution,
    Payout,
    PayoutStatus,
    Pool,
    Posting,
    Statement,
    Transaction,
)
from accord.contributions.models import Contribution, PolicyVersion, Status
from accord.ledger.models import SYSTEM, Entry
from accord.ledger.verify import verify_ledger
from accord.people.models import Member, SiteRole

# The drill's pools: two units, two methods, formats members can switch between.
POOLS: tuple[dict[str, Any], ...] = (
    {"name": "Crash drill cash", "unit": "EUR", "method": "immediate",
     "formats": ["bank transfer", "book vouchers"]},
    {"name": "Crash drill credits", "unit": "training_credit", "method": "recent",
     "formats": ["training_credit", "mentoring session"]},
)  # fmt: skip

# The ledger entry kinds the checks count against the rows they record.
COUNTED_KINDS = (
    "pool.created",
    "pool.funded",
    "distribution.committed",
    "distribution.statement",
    "statement.choice",
    "payout.paid",
    "contribution.recorded",
    "contribution.verified",
)

Ack = dict[str, Any]


def setup(members: int) -> dict[str, Any]:
    """API tokens for the steward (read, write: imports), the treasurer (read, write,
    treasury: funding, commits, payouts) and `members` members (read, write), and the
    drill's pools; the demo's rounds are moved past their choice deadline,
    so the task worker has statements to settle from its first tick."""
    from accord.benefits.schemas import PoolIn  # noqa: PLC0415 - Django is set up by now
    from accord.benefits.services import create_pool  # noqa: PLC0415
    from accord.people.schemas import TokenIn  # noqa: PLC0415
    from accord.people.services import create_token  # noqa: PLC0415

    steward = Member.objects.get(role=SiteRole.STEWARD, user__email__startswith="steward@")
    treasurer = Member.objects.get(role=SiteRole.TREASURER, user__email__startswith="treasurer@")
    imports = create_token(steward, TokenIn(name="crash drill", scopes=["read", "write"]))
    treasury = create_token(
        treasurer, TokenIn(name="crash drill", scopes=["read", "write", "treasury"])
    )
    people = []
    for m in Member.objects.filter(role=SiteRole.MEMBER, user__isnull=False).order_by("pk")[
        :members
    ]:
        assert m.user is not None
        token = create_token(m, TokenIn(name="crash drill", scopes=["read", "write"]))
        people.append({"id": m.pk, "email": m.user.email, "token": token.secret})
    latest = PolicyVersion.objects.order_by("-version").first()
    assert latest is not None, "the demo publishes policies"
    today = timezone.localdate()
    start = max(latest.effective_from, today - timedelta(days=60))
    slugs = []
    for spec in POOLS:
        pool = create_pool(
            steward,
            PoolIn(
                **spec,
                period_start=start,
                period_end=today + timedelta(days=30),
                policy=latest.version,
                choice_days=30,
            ),
        )
        slugs.append(pool.slug)
    expired = _expire(Distribution.objects.all())
    return {
        "steward": {"id": steward.pk, "token": imports.secret},
        "treasurer": {"id": treasurer.pk, "token": treasury.secret},
        "members": people,
        "pools": slugs,
        "expired": expired,
        "contribution_from": start.isoformat(),
    }


def _expire(rounds: Iterable[Distribution]) -> int:
    """Time passes: the rounds' choice deadline is yesterday, and a tick is queued so the
    worker settles their unanswered statements (a clock, not a user action: no service)."""
    from accord.jobs import tick  # noqa: PLC0415

    ids = [d.pk for d in rounds]
    yesterday = timezone.localdate() - timedelta(days=1)
    Distribution.objects.filter(pk__in=ids).update(choice_deadline=yesterday)
    tick.enqueue()
    return len(ids)


def expire(keys: list[str]) -> dict[str, Any]:
    """Let the choice deadline of the committed rounds among `keys` pass."""
    return {"expired": _expire(Distribution.objects.filter(key__in=keys))}


@contextmanager
def snapshot() -> Iterator[None]:
    """One consistent view of the database while the server keeps writing: REPEATABLE READ
    on PostgreSQL; on SQLite the IMMEDIATE transaction holds writers off until it ends.
    Inside a test's transaction, that transaction's view."""
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def problems(acks: list[Ack], unknown: list[Ack] | None = None) -> list[str]:
    """Everything wrong with the database, given the acknowledged requests (`acks`) and
    the requests whose outcome the client never learnt (`unknown`)."""
    with snapshot():
        return [*lost(acks), *torn_imports(unknown or []), *half_applied()]


def lost(acks: list[Ack]) -> list[str]:
    """Acknowledged requests whose effect is missing or different."""
    out: list[str] = []
    for ack in acks:
        problem = _LOST[ack["op"]](ack)
        if problem:
            out.append(f"lost: {ack['op']} {_brief(ack)}: {problem}")
    return out


def _brief(ack: Ack) -> str:
    return json.dumps({k: v for k, v in ack.items() if k not in ("op", "keys")})[:200]


def _lost_fund(ack: Ack) -> str:
    tx = Transaction.objects.filter(key=f"fund:{ack['key']}").first()
    if tx is None:
        return "no funding tx"
    into = Posting.objects.filter(
        transaction=tx, account__code=f"pool:{Pool.objects.get(slug=ack['pool']).pk}"
    ).aggregate(s=Sum("amount"))["s"]
    return "" if into == ack["amount"] else f"the pool received {into}, not {ack['amount']}"


def _lost_commit(ack: Ack) -> str:
    d = Distribution.objects.filter(key=ack["key"]).select_related("pool").first()
    if d is None:
        return "no distribution"
    if (d.pool.slug, d.round) != (ack["pool"], ack["round"]):
        return f"it is {d.pool.slug} round {d.round}"
    return ""


def _lost_import(ack: Ack) -> str:
    found = Contribution.objects.filter(source_key__in=ack["keys"], status=Status.VERIFIED)
    missing = len(ack["keys"]) - found.count()
    return f"{missing} of {len(ack['keys'])} rows missing" if missing else ""


def _lost_choice(ack: Ack) -> str:
    st = Statement.objects.filter(pk=ack["statement"]).first()
    if st is None:
        return "no statement"
    if (st.choice, st.format) != (ack["choice"], ack["format"]):
        return f"the statement holds {st.choice} {st.format!r}"
    return ""


def _lost_paid(ack: Ack) -> str:
    payout = Payout.objects.filter(pk=ack["payout"]).first()
    if payout is None or payout.status != PayoutStatus.PAID:
        return "the payout is not paid"
    return ""


_LOST = {
    "fund": _lost_fund,
    "commit": _lost_commit,
    "import": _lost_import,
    "choose": _lost_choice,
    "paid": _lost_paid,
}


def torn_imports(unknown: list[Ack]) -> list[str]:
    """An import whose answer never came is all there or not there at all."""
    out = []
    for ack in unknown:
        if ack["op"] != "import":
            continue
        found = Contribution.objects.filter(source_key__in=ack["keys"]).count()
        if found not in (0, len(ack["keys"])):
            out.append(f"half-applied: an import holds {found} of its {len(ack['keys'])} rows")
    return out


def half_applied() -> list[str]:
    """Rows, postings and ledger entries that disagree, whatever was acknowledged."""
    return [
        *unbalanced_transactions(),
        *torn_distributions(),
        *torn_choices(),
        *torn_payouts(),
        *ledger_counts(),
        *wrong_balances(),
    ]


def unbalanced_transactions() -> list[str]:
    """Every transaction has postings, and they sum to zero per unit."""
    out = []
    sums = Posting.objects.values("transaction__key", "unit").annotate(total=Sum("amount"))
    for row in sums.exclude(total=0):
        out.append(
            f"unbalanced: transaction {row['transaction__key']} sums to {row['total']} "
            f"{row['unit']}"
        )
    for key in Transaction.objects.filter(postings__isnull=True).values_list("key", flat=True):
        out.append(f"half-applied: transaction {key} has no postings")
    return out


def _entries(kind: str) -> Iterator[dict[str, Any]]:
    for data in Entry.objects.filter(kind=kind).values_list("data", flat=True).iterator():
        yield json.loads(bytes(data))


def torn_distributions() -> list[str]:
    """Each committed round has its transaction, its statements, its committed entry and
    one statement entry per statement, all agreeing."""
    out = []
    committed = {e["payload"]["seed"]: e["payload"] for e in _entries("distribution.committed")}
    statement_entries = Counter(
        e["payload"]["distribution"] for e in _entries("distribution.statement")
    )
    for d in Distribution.objects.select_related("pool"):
        name = f"{d.pool.slug} round {d.round}"
        rows = Statement.objects.filter(distribution=d).aggregate(
            n=Count("pk"),
            payout=Sum("payout"),
            carried_out=Sum("carried_out"),
            carried_in=Sum("carried_in"),
        )
        n = rows["n"] or 0
        by_kind = dict(
            Posting.objects.filter(transaction__key=f"distribution:{d.key}")
            .values_list("account__kind")
            .annotate(s=Sum("amount"))
        )
        distributed = d.total - d.unallocated
        expected = {
            AccountKind.POOL: -distributed,
            AccountKind.MEMBER_PAYABLE: rows["payout"] or 0,
            AccountKind.MEMBER_CARRY: (rows["carried_out"] or 0) - (rows["carried_in"] or 0),
        }
        if {k: v for k, v in by_kind.items() if v} != {k: v for k, v in expected.items() if v}:
            out.append(f"half-applied: {name}: postings {by_kind}, statements say {expected}")
        entry = committed.get(d.seed)
        if entry is None:
            out.append(f"half-applied: {name} has no distribution.committed entry")
        elif (entry["statements"], entry["distributed"]) != (n, distributed):
            out.append(
                f"half-applied: {name}: the ledger says {entry['statements']} statements and "
                f"{entry['distributed']} distributed, the rows {n} and {distributed}"
            )
        if statement_entries[d.seed] != n:
            out.append(
                f"half-applied: {name} has {n} statements and {statement_entries[d.seed]} "
                "statement entries"
            )
    return out


def torn_choices() -> list[str]:
    """A taken statement has its payout row; a donated or declined one its transaction;
    an unanswered one neither."""
    out = []
    payouts = dict(Payout.objects.values_list("statement_id", "amount"))
    settled = set(
        Transaction.objects.filter(key__regex=r"^(donate|decline):").values_list("key", flat=True)
    )
    for st_id, choice, payout in Statement.objects.values_list("pk", "choice", "payout"):
        has = {
            "payout": st_id in payouts,
            "donate": f"donate:{st_id}" in settled,
            "decline": f"decline:{st_id}" in settled,
        }
        wanted = {
            "payout": choice in (Choice.TAKE, Choice.SWITCH),
            "donate": choice == Choice.DONATE,
            "decline": choice == Choice.DECLINE,
        }
        if has != wanted:
            out.append(f"half-applied: statement {st_id} chose {choice} but holds {has}")
        elif has["payout"] and payouts[st_id] != payout:
            out.append(
                f"half-applied: statement {st_id} pays {payout}, its payout {payouts[st_id]}"
            )
    return out


def torn_payouts() -> list[str]:
    """A paid payout has its transaction; a pending one has none."""
    paid_tx = {
        int(k.removeprefix("paid:"))
        for k in Transaction.objects.filter(key__startswith="paid:").values_list("key", flat=True)
    }
    out = []
    for pk, status in Payout.objects.values_list("pk", "status"):
        if (status == PayoutStatus.PAID) != (pk in paid_tx):
            has = "has a" if pk in paid_tx else "has no"
            out.append(f"half-applied: payout {pk} is {status} and {has} paid transaction")
    return out


def ledger_counts() -> list[str]:
    """Each kind of entry is as many as the rows it records."""
    entries = dict(
        Entry.objects.filter(kind__in=COUNTED_KINDS).values_list("kind").annotate(n=Count("pk"))
    )
    rows = {
        "pool.created": Pool.objects.count(),
        "pool.funded": Transaction.objects.filter(key__startswith="fund:").count(),
        "distribution.committed": Distribution.objects.count(),
        "distribution.statement": Statement.objects.count(),
        "statement.choice": Statement.objects.exclude(choice=Choice.PENDING).count(),
        "payout.paid": Payout.objects.filter(status=PayoutStatus.PAID).count(),
        "contribution.recorded": Contribution.objects.count(),
        "contribution.verified": Contribution.objects.filter(status=Status.VERIFIED).count(),
    }
    return [
        f"half-applied: {entries.get(kind, 0)} {kind} entries for {n} rows"
        for kind, n in rows.items()
        if entries.get(kind, 0) != n
    ]


def _money_in_per_the_ledger() -> dict[str, int]:
    """What the ledger says came in: each pool's fundings (those from the community fund
    leave it, those from a partner come straight from it), and what partners paid into the
    community fund."""
    expected: dict[str, int] = defaultdict(int)
    pools = {p.slug: p for p in Pool.objects.all()}
    for e in _entries("pool.funded"):
        pool = pools[e["subject"].removeprefix("pool:")]
        expected[f"pool:{pool.pk}"] += e["payload"]["amount"]
        if e["payload"].get("from") == "community_fund":
            expected[f"community_fund:{pool.unit}"] -= e["payload"]["amount"]
    for e in _entries("pool.funded_by_partner"):  # a partner's money straight into a pool
        expected[f"pool:{pools[e['payload']['pool']].pk}"] += e["payload"]["amount"]
    for e in _entries("commitment.received"):
        expected[f"community_fund:{e['payload']['unit']}"] += e["payload"]["amount"]
    return expected


def wrong_balances() -> list[str]:
    """Accounts hold, to the cent, what the rows and the ledger say: a pool what was funded
    (per the ledger) less what its rounds distributed plus what members declined; a
    member's payable what their statements pay less what was paid, donated or declined;
    paid-out what was paid; the community fund what was donated and what partners paid,
    less what it funded pools with."""
    expected = _money_in_per_the_ledger()
    for d in Distribution.objects.all():
        expected[f"pool:{d.pool_id}"] -= d.total - d.unallocated
    for st in Statement.objects.select_related("distribution__pool").exclude(payout=0):
        pool = st.distribution.pool
        expected[f"payable:{st.member_id}:{pool.unit}"] += st.payout
        if st.choice == Choice.DECLINE:
            expected[f"payable:{st.member_id}:{pool.unit}"] -= st.payout
            expected[f"pool:{pool.pk}"] += st.payout
        elif st.choice == Choice.DONATE:
            expected[f"payable:{st.member_id}:{pool.unit}"] -= st.payout
            expected[f"community_fund:{pool.unit}"] += st.payout
    for p in Payout.objects.filter(status=PayoutStatus.PAID).select_related("statement"):
        expected[f"payable:{p.statement.member_id}:{p.unit}"] -= p.amount
        expected[f"paid_out:{p.unit}"] += p.amount
    kinds = ("pool", "payable", "paid_out", "community_fund")
    out = []
    for account in Account.objects.filter(code__regex=rf"^({'|'.join(kinds)}):"):
        held, want = accounts.balance(account), expected.pop(account.code, 0)
        if held != want:
            out.append(f"balance: {account.code} holds {held}, the rows and ledger say {want}")
    out += [f"balance: no account {code} for {n}" for code, n in expected.items() if n]
    return out


def main(argv: list[str]) -> None:
    """A phase in a child process (Django already set up, see `harness.Site.phase`)."""
    phase = argv[0]
    if phase == "setup":
        result = setup(int(argv[1]))
    elif phase == "expire":
        result = expire(json.loads(sys.stdin.read()))
    elif phase == "check":
        given = json.loads(sys.stdin.read())
        found = problems(given["acks"], given["unknown"])
        if given["verify"]:
            found += [f"ledger: {p}" for p in verify_ledger().problems]
        settled = Entry.objects.filter(kind="statement.choice", actor=SYSTEM).count()
        result = {"problems": found, "settled_by_worker": settled}
    else:
        raise SystemExit(f"unknown phase {phase!r}")
    sys.stdout.write(json.dumps(result) + "\n")
