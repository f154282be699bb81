"""The stewards' pool actions as services: create, edit, fund, close, preview and commit."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from accord.benefits import accounts, queries, services
from accord.benefits.models import Distribution, Pool, Statement
from accord.benefits.schemas import (
    ChoiceIn,
    CloseIn,
    CommitIn,
    FundIn,
    PoolIn,
    PoolPatch,
)
from accord.contributions.schemas import PolicyIn
from accord.demo import policies
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger.models import Entry, Note
from tests.benefits.conftest import Community, make_pool
from tests.factories import make_policy, publish

TODAY = timezone.localdate()


def _new(community: Community, **overrides: object) -> PoolIn:
    fields: dict[str, object] = {
        "name": "Autumn grants",
        "unit": "EUR",
        "method": "immediate",
        "period_start": TODAY - timedelta(days=60),
        "period_end": TODAY,
        "policy": community.policy.version,
        "formats": ["bank transfer", "vouchers"],
        "eligible_groups": [community.cast.group.slug],
    }
    return PoolIn(**{**fields, **overrides})  # type: ignore[arg-type]


def _payload(kind: str) -> dict[str, object]:
    entry = Entry.objects.filter(kind=kind).order_by("-seq").first()
    assert entry is not None, kind
    return json.loads(bytes(entry.data))


def test_it_creates_a_pool_and_records_its_public_terms(community: Community) -> None:
    pool = services.create_pool(community.cast.steward, _new(community, minimum_payout=100))

    created = _payload("pool.created")
    assert pool.slug == "autumn-grants"
    assert list(pool.eligible_groups.all()) == [community.cast.group]
    assert created["subject"] == "pool:autumn-grants"
    assert created["actor"] == community.cast.steward.pseudonym
    assert created["payload"]["eligible_groups"] == [community.cast.group.slug]
    assert created["payload"]["minimum_payout"] == 100


def test_it_refuses_a_member_creating_a_pool(community: Community) -> None:
    with pytest.raises(Forbidden):
        services.create_pool(community.cast.member, _new(community))

    assert not Pool.objects.filter(slug="autumn-grants").exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"policy": 99}, "No attribution policy version 99"),
        ({"eligible_groups": ["nowhere"]}, "No group nowhere"),
        ({"period_end": TODAY - timedelta(days=90)}, "ends before it starts"),
        ({"publishing_formats": ["bank transfer"]}, "cannot publish the member"),
        ({"publishing_formats": ["gold"]}, "must be one of the pool's formats"),
        ({"formats": ["cash", "cash"]}, "Each format is offered once"),
    ],
)
def test_it_refuses_bad_terms_and_writes_nothing(
    community: Community, overrides: dict[str, object], message: str
) -> None:
    before = Entry.objects.count()

    with pytest.raises(InvalidInput, match=message):
        services.create_pool(community.cast.steward, _new(community, **overrides))

    assert Entry.objects.count() == before
    assert not Pool.objects.filter(slug="autumn-grants").exists()


def test_a_pool_uses_a_policy_version_in_force_for_its_whole_period(community: Community) -> None:
    steward = community.cast.steward
    v1 = community.policy
    v2 = make_policy(
        steward, effective_from=TODAY - timedelta(days=30), document=policies.version(2)
    )
    before = Entry.objects.count()
    refused = [
        # v2 starts after the period does
        (
            _new(community, policy=2),
            f"Policy version 2 takes effect on {v2.effective_from}, after the pool's period "
            f"starts on {TODAY - timedelta(days=60)}: choose a version in force for the whole "
            "period.",
        ),
        # v1 is replaced by v2 within the period, or on its very last day
        *(
            (
                _new(community, policy=1, period_end=end),
                f"Policy version 2 takes effect on {v2.effective_from}, by the end of the "
                f"pool's period ({end}): choose a version in force for the whole period.",
            )
            for end in (TODAY, v2.effective_from)
        ),
    ]

    for data, reason in refused:
        with pytest.raises(InvalidInput) as err:
            services.create_pool(steward, data)
        assert err.value.detail == reason

    assert Entry.objects.count() == before
    assert not Pool.objects.filter(slug="autumn-grants").exists()
    before_v2 = services.create_pool(
        steward,
        _new(community, name="Before", policy=1, period_end=v2.effective_from - timedelta(days=1)),
    )
    under_v2 = services.create_pool(
        steward, _new(community, name="Under", policy=2, period_start=v2.effective_from)
    )
    assert (before_v2.policy, under_v2.policy) == (v1, v2)


def test_a_pool_cannot_run_into_a_version_published_for_later(community: Community) -> None:
    later = TODAY + timedelta(days=10)
    publish(
        community.cast.steward,
        PolicyIn(document=policies.version(2), effective_from=later, reason="From next week"),
    )

    with pytest.raises(InvalidInput, match=f"Policy version 2 takes effect on {later}"):
        services.create_pool(community.cast.steward, _new(community, period_end=later))

    pool = services.create_pool(
        community.cast.steward, _new(community, period_end=later - timedelta(days=1))
    )
    assert pool.policy == community.policy


def test_a_second_pool_with_the_same_name_is_a_conflict(community: Community) -> None:
    services.create_pool(community.cast.steward, _new(community))

    with pytest.raises(Conflict, match="already exists"):
        services.create_pool(community.cast.steward, _new(community))


def test_funding_keeps_the_source_off_the_ledger_and_lands_once(community: Community) -> None:
    pool = services.create_pool(community.cast.steward, _new(community))
    data = FundIn(amount=12_345, source="Lumen Software", key="autumn-1")

    first = services.fund_pool(community.cast.treasurer, pool.slug, data)
    again = services.fund_pool(community.cast.treasurer, pool.slug, data)

    funded = _payload("pool.funded")
    assert (first.balance, again.balance) == (12_345, 12_345)
    assert Entry.objects.filter(kind="pool.funded", subject="pool:autumn-grants").count() == 1
    assert "Lumen" not in bytes(Entry.objects.get(seq=funded["seq"]).data).decode()
    assert Note.objects.get(digest=funded["payload"]["source_sha256"]).text == "Lumen Software"


def test_funding_an_unknown_pool_is_not_found(community: Community) -> None:
    with pytest.raises(NotFound):
        services.fund_pool(community.cast.treasurer, "nope", FundIn(amount=1, source="x"))


def test_an_edit_applies_from_the_next_round_and_the_committed_one_keeps_its_terms(
    community: Community,
) -> None:
    pool, steward = community.pool, community.cast.steward
    services.commit_distribution(community.cast.treasurer, pool.slug, CommitIn(key="round-1"))

    services.edit_pool(
        steward,
        pool.slug,
        PoolPatch(
            name="Spring grants (partners)",
            formats=["cash", "books"],
            minimum_payout=5,
            member_cap=0,
            choice_days=10,
        ),
    )

    pool.refresh_from_db()
    d = Distribution.objects.get(pool=pool)
    edited = _payload("pool.edited")["payload"]
    assert (pool.name, pool.formats, pool.minimum_payout, pool.choice_days) == (
        "Spring grants (partners)",
        ["cash", "books"],
        5,
        10,
    )
    assert (d.formats, d.minimum_payout) == (["standard"], 0)
    assert edited["formats"] == ["cash", "books"]
    assert "Spring" not in json.dumps(edited)  # the name is a note, not ledger text
    st = Statement.objects.filter(distribution=d, payout__gt=0).select_related("member").first()
    with pytest.raises(InvalidInput, match="standard"):
        services.choose(st.member, st.pk, ChoiceIn(choice="switch", format="books"))


def test_an_edit_by_a_member_or_with_nothing_in_it_is_refused(community: Community) -> None:
    with pytest.raises(Forbidden):
        services.edit_pool(community.cast.member, community.pool.slug, PoolPatch(choice_days=3))
    with pytest.raises(InvalidInput, match="Nothing to change"):
        services.edit_pool(community.cast.steward, community.pool.slug, PoolPatch())
    with pytest.raises(InvalidInput, match="Nothing to change"):
        services.edit_pool(
            community.cast.steward,
            community.pool.slug,
            PoolPatch(name=" Spring grants ", choice_days=community.pool.choice_days),
        )

    assert not Entry.objects.filter(kind="pool.edited").exists()


def test_closing_stops_rounds_and_funding_and_keeps_what_is_left(community: Community) -> None:
    pool, treasurer = community.pool, community.cast.treasurer

    services.close_pool(treasurer, pool.slug, CloseIn(reason="The partnership ended."))

    closed = _payload("pool.closed")["payload"]
    assert closed["remaining"] == 100_000
    assert accounts.balance(accounts.pool_account(pool)) == 100_000
    with pytest.raises(Conflict, match="closed"):
        services.commit_distribution(treasurer, pool.slug, CommitIn())
    with pytest.raises(Conflict, match="closed"):
        services.fund_pool(treasurer, pool.slug, FundIn(amount=5, source="x"))
    with pytest.raises(Conflict, match="closed"):
        services.close_pool(treasurer, pool.slug, CloseIn(reason="again"))
    with pytest.raises(Forbidden):
        services.close_pool(community.cast.member, pool.slug, CloseIn(reason="x"))


def test_the_commit_key_is_the_rounds_name_unless_one_is_given(community: Community) -> None:
    pool, treasurer = community.pool, community.cast.treasurer

    first = services.commit_distribution(treasurer, pool.slug, CommitIn(round=1))
    again = services.commit_distribution(treasurer, pool.slug, CommitIn(round=1))

    assert first.key == "spring-grants:1"
    assert again.pk == first.pk
    assert Distribution.objects.filter(pool=pool).count() == 1


def test_committing_a_round_other_than_the_next_is_refused(community: Community) -> None:
    with pytest.raises(Conflict, match="not the next one"):
        services.commit_distribution(
            community.cast.treasurer, community.pool.slug, CommitIn(round=2)
        )

    assert not Distribution.objects.exists()


def test_only_office_holders_see_the_preview(community: Community) -> None:
    cast = community.cast
    previews = [
        queries.preview_for(someone, community.pool.slug)
        for someone in (cast.steward, cast.treasurer, cast.auditor)
    ]

    assert [p.inputs.total for p in previews] == [100_000] * 3
    for someone in (community.cast.member, community.cast.partner_rep, community.cast.group_lead):
        with pytest.raises(Forbidden):
            queries.preview_for(someone, community.pool.slug)
    with pytest.raises(NotFound):
        queries.preview_for(community.cast.steward, "nope")


def test_the_pool_page_shows_a_preview_only_to_stewards(community: Community) -> None:
    steward_page = queries.pool_page(community.cast.steward, community.pool.slug)
    member_page = queries.pool_page(community.cast.member, community.pool.slug)

    assert steward_page.preview is not None
    assert steward_page.top
    assert member_page.preview is None
    assert member_page.top == []


def test_a_balanced_statement_is_explained_with_its_fair_share(community: Community) -> None:
    pool = make_pool(community.cast, community.policy, name="Balanced", method="balanced")
    services.commit_distribution(community.cast.treasurer, pool.slug, CommitIn())
    st = Statement.objects.filter(distribution__pool=pool, payout__gt=0).first()

    view = queries.statement_view(community.cast.steward, st.pk)
    described = queries.explained(st)

    x = view.explanation
    assert x.fair_share is not None
    assert x.share_exact is not None
    assert x.share_floor <= st.share <= x.share_floor + 1
    assert described["fair_share"] == f"{x.fair_share.numerator}/{x.fair_share.denominator}"
    assert described["payout"] == st.payout
    assert view.points_before_cap_cp >= st.points_cp
