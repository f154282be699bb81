"""The ledger: appends inside service transactions, append-only tables, proofs, verify."""

import importlib
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from accord.domain import merkle
from accord.domain.commitments import commitment
from accord.ledger import queries
from accord.ledger.models import Entry, Head, Node, Opening, State
from accord.ledger.services import (
    Record,
    _secondary_indexes,
    append,
    append_many,
    bulk_import,
    format_at,
    sign_head,
)
from accord.ledger.store import DatabaseTree
from accord.ledger.verify import verify_ledger
from accord.people import services as people
from accord.people.models import ConsentSource, Member, Purpose, SiteRole, User
from accord.people.schemas import ConsentIn, ErasureIn, SiteRoleIn
from tests.conftest import Cast, ledger_triggers


def records(n: int, kind: str = "test.event") -> list[Record]:
    return [Record(kind, "system", f"s-{i}", {"i": i}) for i in range(n)]


def test_a_consent_change_is_recorded_in_the_same_transaction(cast: Cast) -> None:
    people.set_consent(
        cast.member, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source=ConsentSource.WEB
    )

    entry = Entry.objects.get()
    fields = json.loads(bytes(entry.data))
    assert entry.seq == 0
    assert fields["kind"] == "consent.changed"
    assert fields["actor"] == "member"
    assert fields["subject"].startswith("b-")
    opening = Opening.objects.get(seq=0)
    assert opening.owner == cast.member.pk
    value = {"purpose": "partner_contact", "granted": True, "source": "web"}
    assert json.loads(opening.value) == value
    assert fields["payload"] == {"commitment": commitment(bytes(opening.salt), value)}
    assert (
        bytes(entry.data)
        == json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )


def test_role_changes_are_recorded(cast: Cast) -> None:
    people.set_site_role(cast.steward, cast.member.pseudonym, SiteRoleIn(role=SiteRole.AUDITOR))

    fields = queries.parsed(Entry.objects.get())
    assert fields["kind"] == "role.changed"
    assert fields["actor"] == cast.steward.pseudonym
    assert fields["payload"] == {"role": "auditor", "previous": "member"}


def test_entries_name_members_only_by_pseudonym(cast: Cast) -> None:
    people.set_consent(
        cast.member, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source=ConsentSource.WEB
    )
    people.set_site_role(cast.steward, cast.member.pseudonym, SiteRoleIn(role=SiteRole.AUDITOR))

    everything = b"".join(bytes(d) for d in Entry.objects.values_list("data", flat=True))
    for personal in (cast.member.display_name, cast.member.user.email, cast.steward.display_name):
        assert personal.encode() not in everything


def _failing_change() -> None:
    with transaction.atomic():
        append("test.event", "system", "b", {})
        raise RuntimeError("the change failed")


def test_a_rolled_back_change_leaves_no_entry_and_no_gap(db: None) -> None:
    append("test.event", "system", "a", {})
    with pytest.raises(RuntimeError):
        _failing_change()
    append("test.event", "system", "c", {})

    assert list(Entry.objects.values_list("seq", "subject")) == [(0, "a"), (1, "c")]


@pytest.mark.parametrize("table", ["ledger_entry", "ledger_node", "ledger_head"])
@pytest.mark.parametrize("statement", ["UPDATE {t} SET {c} = {c}", "DELETE FROM {t}"])
def test_the_database_refuses_update_and_delete(db: None, table: str, statement: str) -> None:
    append_many(records(300))  # a stored node and a head exist as well
    sign_head()
    column = {"ledger_entry": "kind", "ledger_node": "level", "ledger_head": "reason"}[table]

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(statement.format(t=table, c=column))


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return int(cursor.fetchone()[0])


def _empty(table: str) -> None:
    """TRUNCATE on PostgreSQL, from a session that does not allow it (as every app session);
    SQLite has none, and DELETE without WHERE meets the row triggers."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL accord.ledger_truncate = ''")
            cursor.execute(f"TRUNCATE {table} CASCADE")
        else:
            cursor.execute(f"DELETE FROM {table}")


@pytest.mark.parametrize("table", ["ledger_entry", "ledger_node", "ledger_head"])
def test_the_database_refuses_emptying_a_table(db: None, table: str) -> None:
    append_many(records(300))
    sign_head()
    before = _count(table)

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        _empty(table)

    assert _count(table) == before > 0


def test_the_orm_cannot_change_an_entry_either(db: None) -> None:
    entry = append("test.event", "system", "a", {"amount": 100})
    entry.kind = "forged"

    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(seq=entry.seq).update(kind="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        Entry.objects.filter(seq=entry.seq).delete()
    assert Entry.objects.get(seq=0).kind == "test.event"


def test_a_head_is_signed_every_n_entries(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCORD_LEDGER_HEAD_EVERY", "100")

    append_many(records(250))
    for _ in range(60):
        append("test.event", "system", "x", {})

    assert list(Head.objects.values_list("size", flat=True)) == [100, 200, 300]


def test_floats_are_refused(db: None) -> None:
    with pytest.raises(ValueError, match="floats"):
        append("test.event", "system", "a", {"amount": 1.5})
    with pytest.raises(ValueError, match=r"payload.ids\[1\]"):
        append("test.event", "system", "a", {"ids": [1, 2.5]})
    with pytest.raises(ValueError, match="floats"):
        append("test.event", "system", "a", {"nested": {"x": [0.1]}})

    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kind", "has space"),
        ("actor", 'say "hi"'),
        ("subject", "back\\slash"),
        ("subject", "café"),
        ("kind", ""),
        ("actor", "m-" + "x" * 40),
    ],
)
def test_columns_must_be_plain_identifiers(db: None, field: str, value: str) -> None:
    record = {"kind": "test.event", "actor": "system", "subject": "s-1", field: value}

    with pytest.raises(ValueError, match=f"entry's {field}"):
        append(record["kind"], record["actor"], record["subject"], {"note": "café is fine here"})

    assert not Entry.objects.exists()


def test_entry_times_never_decrease_along_seq(db: None) -> None:
    now = timezone.now()
    append_many(records(3), at=now)
    append_many(records(2), at=now - timedelta(hours=1))  # a clock that stepped back
    append_many(records(2), at=now + timedelta(seconds=1))

    times = list(Entry.objects.order_by("seq").values_list("at", flat=True))
    assert times == [now] * 5 + [now + timedelta(seconds=1)] * 2
    assert format_at(now).encode() in bytes(Entry.objects.get(seq=4).data)
    assert verify_ledger().ok


def test_date_filters_find_the_seq_range_by_bisection(db: None) -> None:
    days = [datetime(2026, 3, d, 12, tzinfo=UTC) for d in (1, 1, 2, 4, 4, 4, 9)]
    for day in days:
        append_many(records(1), at=day)

    def seqs(**filters: date) -> list[int]:
        return sorted(e.seq for e in queries.entries(**filters))

    assert seqs(since=date(2026, 3, 2)) == [2, 3, 4, 5, 6]
    assert seqs(until=date(2026, 3, 3)) == [0, 1, 2]
    assert seqs(since=date(2026, 3, 4), until=date(2026, 3, 4)) == [3, 4, 5]
    assert seqs(since=date(2026, 3, 10)) == []
    assert seqs(until=date(2026, 2, 28)) == []
    span = queries.monotonic_span()
    assert span.first_at(datetime(2026, 3, 4, 12, tzinfo=UTC)) == 3
    assert span.first_at(datetime(2026, 3, 4, 12, 0, 0, 1, tzinfo=UTC)) == 6


def test_a_members_entries_include_those_they_caused_for_others(db: None) -> None:
    append("role.changed", "m-steward", "m-member", {})
    append("consent.changed", "m-member", "m-member", {})
    append("payout.made", "system", "m-member", {})
    append("payout.made", "system", "m-other", {})

    assert sorted(e.seq for e in queries.entries(member="m-member")) == [0, 1, 2]
    assert [e.seq for e in queries.entries(member="m-steward")] == [0]
    assert [e.seq for e in queries.entries(member="m-member", kind="payout.made")] == [2]


def test_every_inclusion_and_consistency_proof_verifies(db: None) -> None:
    append_many(records(777))  # crosses several stored-node boundaries (every 256 leaves)
    heads = [sign_head()]
    append_many(records(300))
    heads.append(sign_head())
    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]

    for head in heads:
        root = bytes(head.root)
        assert root == merkle.root(leaves[: head.size])
        for seq in [0, 1, 255, 256, 511, 512, 700, head.size - 1]:
            proof = DatabaseTree().inclusion_proof(seq, head.size)
            assert merkle.verify_inclusion(leaves[seq], seq, head.size, proof, root)
    old, new = heads
    proof = DatabaseTree().consistency_proof(old.size, new.size)
    assert merkle.verify_consistency(old.size, new.size, bytes(old.root), bytes(new.root), proof)
    assert Node.objects.filter(level=8).count() == 1077 // 256


def test_a_proof_reads_few_rows(db: None, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    append_many(records(2000))

    with django_assert_max_num_queries(8):
        DatabaseTree().inclusion_proof(1234, 2000)


def test_verify_accepts_an_untouched_ledger(cast: Cast) -> None:
    people.set_consent(
        cast.member, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source=ConsentSource.WEB
    )
    append_many(records(600))
    sign_head()

    report = verify_ledger()

    assert report.ok, report.problems
    assert (report.entries, report.heads) == (601, 1)


def test_erasing_a_member_keeps_the_ledger_verifiable(cast: Cast) -> None:
    people.set_consent(
        cast.member, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source=ConsentSource.WEB
    )
    people.set_consent(
        cast.member, Purpose.PARTNER_CONTACT, ConsentIn(granted=False), source=ConsentSource.WEB
    )
    sign_head()
    handle, email = cast.member.pseudonym, cast.member.user.email
    assert Opening.objects.filter(owner=cast.member.pk).count() == 2

    people.erase_member(cast.member, cast.member.pseudonym, ErasureIn())
    sign_head()

    report = verify_ledger()
    assert report.ok, report.problems
    assert Entry.objects.count() == 3  # two changes and the erasure
    assert not Opening.objects.filter(owner=cast.member.pk).exists()
    everything = b"".join(bytes(d) for d in Entry.objects.values_list("data", flat=True))
    assert email.encode() not in everything
    assert handle.encode() not in everything
    tombstone = Member.objects.get(pk=cast.member.pk)
    assert tombstone.user is None
    assert tombstone.ledger_secret is None
    assert tombstone.display_name == "Erased member"
    assert not User.objects.filter(email=email).exists()


def test_bulk_import_appends_in_batches_and_restores_the_connection(db: None) -> None:

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size" if connection.vendor == "sqlite" else "SELECT 1")
        before = cursor.fetchone()[0]

    count = bulk_import(records(530), batch=200)

    assert count == 530
    assert list(Entry.objects.values_list("seq", flat=True)) == list(range(530))
    assert verify_ledger().ok
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size" if connection.vendor == "sqlite" else "SELECT 1")
        assert cursor.fetchone()[0] == before


def test_a_bulk_import_with_deferred_indexes_rebuilds_them_even_when_it_fails(db: None) -> None:

    indexes = sorted(_secondary_indexes())
    assert len(indexes) >= 3  # kind, subject, other actor (PostgreSQL adds LIKE indexes)

    def failing() -> Iterator[Record]:
        yield from records(250)
        raise RuntimeError("the source file was cut short")

    bulk_import(records(300), batch=128, defer_indexes=True)
    with pytest.raises(RuntimeError):
        bulk_import(failing(), batch=100, defer_indexes=True)

    assert sorted(_secondary_indexes()) == indexes
    assert Entry.objects.count() == 300 + 200  # committed batches stay, seq without gaps
    assert verify_ledger().ok
    assert Entry.objects.filter(subject="s-7").count() == 2


def test_a_ledger_whose_older_times_step_back_still_verifies_and_filters(db: None) -> None:
    """Before entry times were clamped, concurrent writers could leave a later entry with
    an earlier time. Migration 0004 records where times start never decreasing; below it,
    date filters go by time alone and verify does not object."""
    migration = importlib.import_module("accord.ledger.migrations.0004_state_monotonic_from")
    start = datetime(2026, 1, 2, 0, 0, 1, tzinfo=UTC)
    for moment in (start, start - timedelta(days=1), start):
        append_many(records(1), at=moment)
    ledger_triggers("drop")  # as written before the clamp: the second entry a day earlier
    earlier = start - timedelta(days=1)
    entry = Entry.objects.get(seq=1)
    data = bytes(entry.data).replace(format_at(start).encode(), format_at(earlier).encode())
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_entry SET at = %s, data = %s, leaf_hash = %s WHERE seq = 1",
            [connection.ops.adapt_datetimefield_value(earlier), data, merkle.leaf_hash(data)],
        )
    ledger_triggers("create")
    acc = merkle.Accumulator()
    acc.extend(
        [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    )
    times = Entry.objects.order_by("seq").values_list("at", flat=True)
    State.objects.filter(pk=1).update(
        peaks=b"".join(acc.peaks), monotonic_from=migration.last_step_back(times)
    )
    append_many(records(2), at=start + timedelta(days=1))

    report = verify_ledger()

    assert report.ok, report.problems
    assert State.objects.get(pk=1).monotonic_from == 1

    def seqs(**filters: date) -> list[int]:
        return sorted(e.seq for e in queries.entries(**filters))

    assert seqs(since=date(2026, 1, 1), until=date(2026, 1, 1)) == [1]
    assert seqs(since=date(2026, 1, 2), until=date(2026, 1, 2)) == [0, 2]
    assert seqs(since=date(2026, 1, 3)) == [3, 4]
    assert seqs(until=date.max) == [0, 1, 2, 3, 4]


def test_last_step_back_finds_where_times_stop_going_back() -> None:
    migration = importlib.import_module("accord.ledger.migrations.0004_state_monotonic_from")

    assert migration.last_step_back([]) == 0
    assert migration.last_step_back([1, 2, 2, 3]) == 0
    assert migration.last_step_back([1, 3, 2, 4, 1, 5, 6]) == 4
