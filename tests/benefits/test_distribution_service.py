"""Pools, committed distributions, statements, choices and payouts, end to end."""

import importlib
import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.db.models import Sum
from pydantic import ValidationError

from accord.benefits import planning, queries, services
from accord.benefits.models import (
    Choice,
    Distribution,
    Payout,
    Posting,
    Statement,
    Transaction,
)
from accord.benefits.schemas import ChoiceIn, CommitIn, FundIn, PaidIn
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.domain.money import format_amount
from accord.ledger.models import Entry, Head
from accord.ledger.verify import verify_ledger
from tests.benefits.conftest import Community, make_pool, treasurer_with_a_payout
from tests.conftest import client_for


def test_preview_shares_the_whole_pool_and_commits_once(community: Community) -> None:
    pool, treasurer = community.pool, community.cast.treasurer

    preview = planning.preview(pool)
    first = services.commit_distribution(treasurer, pool.slug, CommitIn(key="spring-round-1"))
    again = services.commit_distribution(treasurer, pool.slug, CommitIn(key="spring-round-1"))

    plan = preview.plan
    assert sum(a.payout + a.carried_out for a in plan.allocations) + plan.unallocated == 100_000
    assert again.pk == first.pk
    assert Distribution.objects.count() == 1
    assert Statement.objects.aggregate(s=Sum("payout"))["s"] == sum(
        a.payout for a in plan.allocations
    )
    by_unit = Posting.objects.values("transaction_id").annotate(total=Sum("amount"))
    assert all(row["total"] == 0 for row in by_unit)  # every transaction balances
    assert Head.objects.filter(reason="distribution").exists()
    assert verify_ledger().ok


def test_a_second_round_with_an_empty_pool_is_refused(community: Community) -> None:
    services.commit_distribution(
        community.cast.treasurer, community.pool.slug, CommitIn(key="k-1")
    )

    with pytest.raises(Conflict, match="nothing to distribute"):
        services.commit_distribution(
            community.cast.treasurer, community.pool.slug, CommitIn(key="k-2")
        )


def test_only_treasurers_fund_and_commit(community: Community) -> None:
    with pytest.raises(Forbidden, match="Only treasurers"):
        services.commit_distribution(community.cast.steward, community.pool.slug, CommitIn())
    with pytest.raises(Forbidden, match="Only treasurers"):
        services.fund_pool(
            community.cast.steward, community.pool.slug, FundIn(amount=5, source="me", key="s")
        )
    with pytest.raises(Forbidden):
        services.commit_distribution(community.cast.member, community.pool.slug, CommitIn(key="x"))
    with pytest.raises(Forbidden):
        services.fund_pool(
            community.cast.member, community.pool.slug, FundIn(amount=5, source="me", key="y")
        )
    with pytest.raises(ValidationError):
        FundIn(amount=0, source="x", key="z")
    with pytest.raises(InvalidInput):
        services.fund_pool(
            community.cast.treasurer, community.pool.slug, FundIn(amount=5, source="  ", key="z")
        )


def test_a_funding_key_reused_with_other_data_is_refused(community: Community) -> None:
    with pytest.raises(Conflict):
        services.fund_pool(
            community.cast.treasurer,
            community.pool.slug,
            FundIn(amount=1, source="Northbridge University", key="fund-Spring grants"),
        )
    services.fund_pool(
        community.cast.treasurer,
        community.pool.slug,
        FundIn(amount=100_000, source="Northbridge University", key="fund-Spring grants"),
    )

    assert Entry.objects.filter(kind="pool.funded").count() == 1


def test_minimum_payout_carries_over_and_caps_redistribute(community: Community) -> None:
    cast = community.cast
    pool = make_pool(
        cast,
        community.policy,
        name="Small credits",
        amount=1_000,
        minimum_payout=300,
        member_cap=400,
    )

    services.commit_distribution(cast.treasurer, pool.slug, CommitIn(key="small-1"))

    rows = list(Statement.objects.filter(distribution__pool=pool))
    assert all(s.payout == 0 or s.payout >= 300 for s in rows)
    assert all(s.payout <= 400 + s.carried_in for s in rows)
    carried = sum(s.carried_out for s in rows)
    unallocated = Distribution.objects.get(pool=pool).unallocated
    assert sum(s.payout for s in rows) + carried + unallocated == 1_000
    assert carried > 0
    services.fund_pool(
        cast.treasurer, pool.slug, FundIn(amount=1_000, source="Lumen", key="small-fund-2")
    )
    second = planning.preview(pool)
    assert sum(a.carried_in for a in second.plan.allocations) == carried


def test_choices_take_switch_donate_decline(community: Community) -> None:
    pool = make_pool(
        community.cast,
        community.policy,
        name="Tickets",
        amount=60_000,
        formats=("cash", "conference ticket"),
    )
    services.commit_distribution(community.cast.treasurer, pool.slug, CommitIn(key="tickets-1"))
    paid = list(
        Statement.objects.filter(distribution__pool=pool, payout__gt=0)
        .select_related("member")
        .order_by("id")
    )
    take, switch, donate, decline = paid[:4]

    services.choose(take.member, take.pk, ChoiceIn(choice=Choice.TAKE))
    services.choose(
        switch.member, switch.pk, ChoiceIn(choice=Choice.SWITCH, format="conference ticket")
    )
    services.choose(donate.member, donate.pk, ChoiceIn(choice=Choice.DONATE))
    services.choose(decline.member, decline.pk, ChoiceIn(choice=Choice.DECLINE))

    with pytest.raises(Conflict):
        services.choose(take.member, take.pk, ChoiceIn(choice=Choice.DECLINE))
    with pytest.raises(NotFound):
        services.choose(take.member, switch.pk, ChoiceIn(choice=Choice.TAKE))
    assert Payout.objects.get(statement=switch).format == "conference ticket"
    assert not Payout.objects.filter(statement__in=[donate, decline]).exists()
    back = planning.preview(pool).inputs.total
    assert back == decline.payout + Distribution.objects.get(pool=pool).unallocated


def test_switching_to_a_format_the_pool_does_not_offer_is_refused(community: Community) -> None:
    services.commit_distribution(community.cast.treasurer, community.pool.slug, CommitIn(key="r1"))
    st = Statement.objects.filter(payout__gt=0).select_related("member").first()

    with pytest.raises(InvalidInput):
        services.choose(st.member, st.pk, ChoiceIn(choice=Choice.SWITCH, format="gold bars"))

    st.refresh_from_db()
    assert st.choice == Choice.PENDING


def test_marking_paid_changes_exactly_one_row_once(community: Community) -> None:
    services.commit_distribution(community.cast.treasurer, community.pool.slug, CommitIn(key="r1"))
    st = Statement.objects.filter(payout__gt=0).select_related("member").first()
    services.choose(st.member, st.pk, ChoiceIn(choice=Choice.TAKE))
    payout = Payout.objects.get()

    services.mark_paid(community.cast.treasurer, payout.pk, PaidIn(reference="BANK-1"))
    with pytest.raises(Conflict, match="already"):
        services.mark_paid(community.cast.treasurer, payout.pk, PaidIn())
    with pytest.raises(Forbidden):
        services.mark_paid(community.cast.member, payout.pk, PaidIn())

    payout.refresh_from_db()
    assert payout.status == "paid"
    assert Entry.objects.filter(kind="payout.paid").count() == 1


def test_nobody_marks_their_own_payout_paid(community: Community) -> None:
    treasurer, payout = treasurer_with_a_payout(community)
    entries, transactions = Entry.objects.count(), Transaction.objects.count()

    with pytest.raises(Forbidden, match=r"^Someone else must mark your own payout paid\.$"):
        services.mark_paid(treasurer, payout.pk, PaidIn(reference="SELF-1"))

    payout.refresh_from_db()
    assert (payout.status, payout.paid_by, payout.paid_at, payout.reference) == (
        "pending",
        None,
        None,
        "",
    )
    assert (Entry.objects.count(), Transaction.objects.count()) == (entries, transactions)
    services.mark_paid(community.cast.treasurer, payout.pk, PaidIn(reference="BANK-2"))
    payout.refresh_from_db()
    assert (payout.status, payout.paid_by) == ("paid", community.cast.treasurer)


def test_unanswered_statements_are_taken_after_the_deadline(community: Community) -> None:
    d = services.commit_distribution(
        community.cast.treasurer, community.pool.slug, CommitIn(key="r1")
    )

    settled = services.settle_expired(today=d.choice_deadline + timedelta(days=1))

    assert settled == Statement.objects.filter(payout__gt=0).count()
    assert Payout.objects.count() == settled


def test_statement_page_re_derives_the_amount(community: Community) -> None:
    services.commit_distribution(community.cast.treasurer, community.pool.slug, CommitIn(key="r1"))
    st = Statement.objects.get(member=community.cast.member)

    page = client_for(community.cast.member).get(f"/benefits/statements/{st.pk}/")
    other = client_for(community.cast.other).get(f"/benefits/statements/{st.pk}/")
    api = client_for(community.cast.member).get(f"/api/v1/statements/{st.pk}").json()

    html = page.content.decode()
    assert page.status_code == 200
    assert "Base for mentoring" in html
    assert format_amount(st.payout, "EUR") in html
    assert other.status_code == 404
    assert api["payout"] == st.payout
    assert api["pool_total"] == 100_000


def test_treasurer_exports_pending_payouts(community: Community) -> None:
    services.commit_distribution(community.cast.treasurer, community.pool.slug, CommitIn(key="r1"))
    for st in Statement.objects.filter(payout__gt=0).select_related("member"):
        services.choose(st.member, st.pk, ChoiceIn(choice=Choice.TAKE))

    csv_text = client_for(community.cast.treasurer).get("/treasury/payouts.csv").content.decode()
    refused = client_for(community.cast.member).get("/treasury/payouts.csv")
    not_stewards = client_for(community.cast.steward).get("/treasury/payouts.csv")

    lines = csv_text.strip().splitlines()
    assert lines[0].startswith("payout_id,member,name,email,amount,unit")
    assert len(lines) == 1 + Payout.objects.count()
    assert refused.status_code == 404
    assert not_stewards.status_code == 404


def test_the_treasury_lists_pending_payouts_a_page_at_a_time(
    community: Community, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.commit_distribution(community.cast.treasurer, community.pool.slug, CommitIn(key="r1"))
    for st in Statement.objects.filter(payout__gt=0).select_related("member"):
        services.choose(st.member, st.pk, ChoiceIn(choice=Choice.TAKE))
    ids = list(Payout.objects.order_by("pk").values_list("pk", flat=True))
    monkeypatch.setattr(queries, "TREASURY_PAGE", 2)
    treasurer = client_for(community.cast.treasurer)

    first = treasurer.get("/treasury/").content.decode()
    rest = treasurer.get(f"/treasury/?after={ids[1]}").content.decode()
    api = treasurer.get("/api/v1/payouts?limit=2&offset=2").json()

    assert len(ids) > 2
    assert f"{len(ids)} payouts waiting" in first
    assert f'id="ref-{ids[1]}"' in first
    assert f'id="ref-{ids[2]}"' not in first
    assert f"?after={ids[1]}" in first
    assert f'id="ref-{ids[2]}"' in rest
    assert f'id="ref-{ids[1]}"' not in rest
    assert api["count"] == len(ids)
    assert [p["id"] for p in api["items"]] == ids[2:4]


def test_recent_and_balanced_pools_commit_and_conserve(community: Community) -> None:
    cast = community.cast
    for method in ("recent", "balanced"):
        pool = make_pool(
            cast,
            community.policy,
            name=f"{method} pool",
            method=method,
            amount=77_777,
            half_life_days=30,
        )
        services.commit_distribution(cast.treasurer, pool.slug, CommitIn(key=f"{method}-1"))
        d = Distribution.objects.get(pool=pool)
        rows = Statement.objects.filter(distribution=d)
        total = sum(s.payout + s.carried_out - s.carried_in for s in rows) + d.unallocated
        assert total == 77_777, method


def test_the_ledger_records_every_statement(community: Community) -> None:
    services.commit_distribution(community.cast.treasurer, community.pool.slug, CommitIn(key="r1"))

    entries = [
        json.loads(bytes(d))
        for d in Entry.objects.filter(kind="distribution.statement").values_list("data", flat=True)
    ]

    assert len(entries) == Statement.objects.count()
    handles = set(Statement.objects.values_list("member__pseudonym", flat=True))
    subjects = {e["subject"] for e in entries}
    assert len(subjects) == len(entries)
    assert not subjects & handles
    assert {e["payload"]["amount"] for e in entries} <= {
        s.payout + s.carried_out - s.carried_in for s in Statement.objects.all()
    }


def test_a_pool_with_the_longest_name_is_created_and_recorded(community: Community) -> None:
    """Its ledger subject stays within the ledger's limit, however long the name."""
    name = "Graduate research travel grants " * 5  # 160 characters
    pool = make_pool(community.cast, community.policy, name=name[:160], amount=0)

    entry = Entry.objects.filter(kind="pool.created").latest("seq")
    assert entry.subject == f"pool:{pool.slug}"
    assert len(entry.subject) <= 120
    assert verify_ledger().ok


def test_a_round_keeps_how_many_statements_it_wrote(community: Community) -> None:
    run = services.commit_distribution(
        community.cast.treasurer, community.pool.slug, CommitIn(key="counted-1")
    )

    written = Statement.objects.filter(distribution=run).count()
    assert written > 0
    assert Distribution.objects.get(pk=run.pk).statement_count == written
    page = queries.pool_page(community.cast.member, community.pool.slug)
    assert [d.statement_count for d in page.distributions] == [written]


def test_rounds_committed_before_the_count_existed_are_counted_by_the_migration(
    community: Community,
) -> None:
    migration = importlib.import_module(
        "accord.benefits.migrations.0006_distribution_statement_count"
    )
    run = services.commit_distribution(
        community.cast.treasurer, community.pool.slug, CommitIn(key="counted-2")
    )
    written = Statement.objects.filter(distribution=run).count()
    Distribution.objects.update(statement_count=0)

    migration.count_statements(apps, None)

    assert Distribution.objects.get(pk=run.pk).statement_count == written
