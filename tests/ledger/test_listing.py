"""The ledger's listing pages by seq and counts without scanning the whole ledger."""

import re

import pytest
from django.db import transaction
from django.test import Client

from accord.ledger import queries
from accord.ledger.models import Entry
from accord.ledger.services import Record, append_many, sign_head


def _fill(n: int, kind: str = "test.event") -> None:
    append_many([Record(kind, "system", f"s-{i}", {"i": i}) for i in range(n)])


def _table(html: str) -> str:
    return html[html.index('<table class="ledger">') : html.index("</table>")]


def _seqs(html: str) -> list[int]:
    return [int(s) for s in re.findall(r'<td class="num">(\d+)</td>', html)]


def test_the_ledger_pages_older_and_newer_by_seq(db: None) -> None:
    _fill(120)
    client = Client()

    first = client.get("/ledger/").content.decode()
    second = client.get("/ledger/?before=70").content.decode()
    last = client.get("/ledger/?before=20").content.decode()
    back = client.get("/ledger/?after=69").content.decode()

    assert _seqs(first) == list(range(119, 69, -1))
    assert "before=70" in first
    assert "after=" not in first
    assert _seqs(second) == list(range(69, 19, -1))
    assert "before=20" in second
    assert "after=69" in second
    assert _seqs(last) == list(range(19, -1, -1))
    assert "before=" not in last
    assert _seqs(back) == list(range(119, 69, -1))
    assert "120 entries" in first


def test_a_filtered_listing_pages_within_its_kind_and_keeps_the_filter(db: None) -> None:
    _fill(60, "test.a")
    _fill(60, "test.b")
    client = Client()

    page = client.get("/ledger/?kind=test.a").content.decode()
    older = client.get("/ledger/?kind=test.a&before=10").content.decode()

    assert _seqs(page) == list(range(59, 9, -1))
    assert "kind=test.a&amp;before=10" in page
    assert _seqs(older) == list(range(9, -1, -1))
    assert "60 entries" in page


def test_a_filtered_count_stops_at_its_cap(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    _fill(30, "test.a")
    monkeypatch.setattr(queries, "COUNT_CAP", 25)

    page = Client().get("/ledger/?kind=test.a").content.decode()
    exact = Client().get("/ledger/").content.decode()

    assert "More than 25 entries" in page
    assert "30 entries" in exact


def test_an_unusable_page_bound_shows_the_newest_page(db: None) -> None:
    _fill(60)

    for bound in ("before=x", "before=-3", "after=99999999999999999999999"):
        html = Client().get(f"/ledger/?{bound}").content.decode()
        assert _seqs(html)[0] == 59, bound


def test_the_unfiltered_count_is_the_ledgers_size_read_in_one_query(
    db: None, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _fill(42)

    with django_assert_num_queries(1):
        count = queries.count_entries(queries.entries())

    assert count == Entry.objects.count() == 42


def test_the_kinds_are_listed_once_each_in_order(db: None) -> None:
    _fill(3, "test.b")
    _fill(2, "test.a")
    _fill(1, "test.c")

    assert queries.kinds() == ["test.a", "test.b", "test.c"]


def test_rendered_rows_are_kept_by_content_and_follow_each_new_head(db: None) -> None:
    _fill(3, "test.first")
    client = Client()
    before_head = client.get("/ledger/").content.decode()
    sign_head()
    after_head = client.get("/ledger/").content.decode()

    assert before_head.count("next head") == 3
    assert after_head.count("next head") == 0
    assert after_head.count('href="/ledger/entries/') == 3
    again = client.get("/ledger/").content.decode()  # its rows served from what was kept
    assert _table(again) == _table(after_head)


def test_the_same_seqs_with_other_content_render_their_own_rows(db: None) -> None:
    client = Client()
    with transaction.atomic():  # a ledger begun again: a restore, or the next test
        _fill(2, "test.one")
        one = client.get("/ledger/").content.decode()
        transaction.set_rollback(True)

    _fill(2, "test.two")
    two = client.get("/ledger/").content.decode()

    assert _seqs(one) == _seqs(two) == [1, 0]
    assert "test.one" in one
    assert "test.one" not in two
    assert "test.two" in two
    rows = list(Entry.objects.order_by("-seq"))
    assert queries.rows_key(rows, None) != queries.rows_key(rows[:1], None)


def test_the_newest_entry_of_a_kind_is_found_among_newer_entries_of_others(db: None) -> None:
    _fill(3, "test.b")
    _fill(2, "test.a")
    _fill(4, "test.c")
    _fill(1, "test.b")
    newest = {
        kind: max(Entry.objects.filter(kind=kind).values_list("seq", flat=True))
        for kind in ("test.a", "test.b", "test.c")
    }

    assert {kind: queries.newest_entry_of(kind) for kind in newest} == newest
    for absent in ("test.aa", "test.", "test.d", "a", "zzz", ""):
        assert queries.newest_entry_of(absent) is None
