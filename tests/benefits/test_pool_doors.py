"""The pool actions through their page and API doors, and the acceptance flow through each:
the same service behind both, so the same ledger trace, refusals and explanation."""

import html
import re
from datetime import timedelta

from django.utils import timezone

from accord.benefits import queries
from accord.benefits.models import Distribution, Payout, Pool, Statement
from accord.demo import policies
from accord.ledger.models import Entry
from tests.benefits.conftest import Community, treasurer_with_a_payout
from tests.benefits.flow import FLOW_KINDS, collapsed
from tests.conftest import client_for
from tests.factories import make_policy

TODAY = timezone.localdate()


def _pool_fields(community: Community, **overrides: str) -> dict[str, str]:
    return {
        "name": "Harbour grants",
        "unit": "EUR",
        "method": "immediate",
        "half_life_days": "90",
        "period_start": (TODAY - timedelta(days=60)).isoformat(),
        "period_end": TODAY.isoformat(),
        "policy": str(community.policy.version),
        "formats": "bank transfer, vouchers",
        "publishing_formats": "",
        "minimum_payout": "0",
        "member_cap": "",
        "choice_days": "30",
        "description": "Shared by the harbour partners.",
        **overrides,
    }


def _since(seq: int) -> list[str]:
    return collapsed(
        Entry.objects.filter(seq__gt=seq).order_by("seq").values_list("kind", flat=True)
    )


def _last_seq() -> int:
    return Entry.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def test_the_flow_through_the_pages_leaves_the_flow_trace(community: Community) -> None:
    steward, member = client_for(community.cast.steward), client_for(community.cast.member)
    treasurer = client_for(community.cast.treasurer)
    start = _last_seq()

    created = steward.post("/pools/new/", _pool_fields(community))
    funded = treasurer.post(
        "/pools/harbour-grants/fund/", {"amount": "50000", "source": "Harbour Radio", "key": "k1"}
    )
    page = treasurer.get("/pools/harbour-grants/")
    round_ = re.search(r'name="round" value="(\d+)"', page.content.decode())
    committed = treasurer.post("/pools/harbour-grants/commit/", {"round": round_[1]})
    st = Statement.objects.get(
        distribution__pool__slug="harbour-grants", member=community.cast.member
    )
    shown = member.get(f"/benefits/statements/{st.pk}/")
    taken = member.post(f"/benefits/statements/{st.pk}/choose/", {"choice": "take"})

    assert created.status_code == 302
    assert created["Location"] == "/pools/harbour-grants/"
    assert funded.status_code == 302
    assert "Preview of round 1" in page.content.decode()
    assert committed.status_code == 302
    assert Distribution.objects.get(pool__slug="harbour-grants").key == "harbour-grants:1"
    assert shown.status_code == 200
    exact = queries.explanation_of(st).share_exact
    assert f"{exact.numerator}⁄{exact.denominator} smallest units" in shown.content.decode()
    assert taken.status_code == 302
    assert Payout.objects.filter(statement=st).exists()
    assert _since(start) == FLOW_KINDS


def test_the_flow_through_the_api_leaves_the_flow_trace(community: Community) -> None:
    steward, member = client_for(community.cast.steward), client_for(community.cast.member)
    treasurer = client_for(community.cast.treasurer)
    fields = _pool_fields(community)
    body = {
        **{k: fields[k] for k in ("name", "unit", "method", "period_start", "period_end")},
        "policy": community.policy.version,
        "formats": ["bank transfer", "vouchers"],
    }
    start = _last_seq()

    created = steward.post("/api/v1/pools", body, content_type="application/json")
    funded = treasurer.post(
        "/api/v1/pools/harbour-grants/funding",
        {"amount": 50_000, "source": "Harbour Radio", "key": "k1"},
        content_type="application/json",
    )
    preview = treasurer.get("/api/v1/pools/harbour-grants/preview")
    committed = treasurer.post(
        "/api/v1/pools/harbour-grants/distributions",
        {"round": preview.json()["round"]},
        content_type="application/json",
    )
    st = Statement.objects.get(
        distribution__pool__slug="harbour-grants", member=community.cast.member
    )
    taken = member.post(
        f"/api/v1/statements/{st.pk}/choice", {"choice": "take"}, content_type="application/json"
    )

    assert created.status_code == 201, created.content
    assert funded.status_code == 201
    assert funded.json()["balance"] == 50_000
    assert preview.json()["total"] == 50_000
    assert committed.status_code == 201
    assert committed.json()["key"] == "harbour-grants:1"
    assert taken.status_code == 200
    assert taken.json()["choice"] == "take"
    assert taken.json()["explanation"] == queries.explained(st)
    assert _since(start) == FLOW_KINDS


def test_a_bad_pool_form_is_shown_again_with_the_reason_and_the_input(
    community: Community,
) -> None:
    steward = client_for(community.cast.steward)

    response = steward.post(
        "/pools/new/", _pool_fields(community, publishing_formats="bank transfer")
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "cannot publish the member" in body
    assert 'value="Harbour grants"' in body
    assert not Pool.objects.filter(slug="harbour-grants").exists()


def test_the_api_refuses_bad_input_and_members_with_the_error_body(community: Community) -> None:
    treasurer, member = client_for(community.cast.treasurer), client_for(community.cast.member)
    slug = community.pool.slug

    bad = treasurer.post(
        f"/api/v1/pools/{slug}/funding",
        {"amount": 0, "source": "x"},
        content_type="application/json",
    )
    denied = member.post(
        f"/api/v1/pools/{slug}/close", {"reason": "mine now"}, content_type="application/json"
    )
    missing = treasurer.post(
        "/api/v1/pools/nope/close", {"reason": "x"}, content_type="application/json"
    )
    hidden = member.get(f"/api/v1/pools/{slug}/preview")

    assert (bad.status_code, bad.json()["code"]) == (422, "invalid")
    assert "amount" in bad.json()["detail"]
    assert (denied.status_code, denied.json()["code"]) == (403, "forbidden")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert hidden.status_code == 403
    assert Pool.objects.get(slug=slug).closed_at is None


def test_editing_and_closing_from_the_pages(community: Community) -> None:
    steward = client_for(community.cast.steward)
    slug = community.pool.slug

    form = steward.get(f"/pools/{slug}/edit/")
    edited = steward.post(
        f"/pools/{slug}/edit/",
        {
            "name": "Spring grants",
            "description": "Now with books.",
            "formats": "standard, books",
            "publishing_formats": "",
            "minimum_payout": "0",
            "member_cap": "500",
            "choice_days": "14",
        },
    )
    treasurer = client_for(community.cast.treasurer)
    not_stewards = steward.post(f"/pools/{slug}/close/", {"reason": "Not mine to close."})
    refused = treasurer.post(f"/pools/{slug}/close/", {"reason": ""})
    closed = treasurer.post(f"/pools/{slug}/close/", {"reason": "The season ended."})
    page = steward.get(f"/pools/{slug}/")

    pool = Pool.objects.get(slug=slug)
    assert 'value="standard"' in form.content.decode()
    assert edited.status_code == 302
    assert (pool.formats, pool.member_cap, pool.choice_days) == (["standard", "books"], 500, 14)
    assert not_stewards.status_code == 404
    assert refused.status_code == 422
    assert closed.status_code == 302
    assert pool.closed_at is not None
    assert "no further rounds" in page.content.decode()
    assert "Preview of round" not in page.content.decode()


def test_a_member_sees_no_pool_forms(community: Community) -> None:
    member = client_for(community.cast.member)
    slug = community.pool.slug

    statuses = [
        member.get(url).status_code
        for url in ("/pools/new/", f"/pools/{slug}/edit/", f"/pools/{slug}/fund/")
    ]
    page = member.get(f"/pools/{slug}/").content.decode()

    assert statuses == [404, 404, 404]
    assert "Preview of round" not in page
    assert "New pool" not in member.get("/pools/").content.decode()


def test_marking_ones_own_payout_paid_is_refused_at_the_page_and_the_api(
    community: Community,
) -> None:
    treasurer, payout = treasurer_with_a_payout(community)
    client = client_for(treasurer)
    before = Entry.objects.count()

    page = client.post(f"/treasury/payouts/{payout.pk}/paid/", {"reference": "SELF-1"})
    api = client.post(
        f"/api/v1/payouts/{payout.pk}/paid",
        {"reference": "SELF-1"},
        content_type="application/json",
    )

    reason = "Someone else must mark your own payout paid."
    assert page.status_code == 403
    assert reason in page.content.decode()
    assert (api.status_code, api.json()) == (403, {"detail": reason, "code": "forbidden"})
    assert Payout.objects.get(pk=payout.pk).status == "pending"
    assert Entry.objects.count() == before
    paid = client_for(community.cast.treasurer).post(
        f"/treasury/payouts/{payout.pk}/paid/", {"reference": "BANK-3"}
    )
    assert paid.status_code == 302
    assert Payout.objects.get(pk=payout.pk).paid_by == community.cast.treasurer


def test_a_pool_straddling_a_newer_policy_is_refused_at_the_page_and_the_api(
    community: Community,
) -> None:
    steward = client_for(community.cast.steward)
    newer = make_policy(
        community.cast.steward,
        effective_from=TODAY - timedelta(days=30),
        document=policies.version(2),
    )
    fields = _pool_fields(community)  # version 1, over the last 60 days
    body = {
        **{k: fields[k] for k in ("name", "unit", "method", "period_start", "period_end")},
        "policy": community.policy.version,
        "formats": ["bank transfer", "vouchers"],
    }
    before = Entry.objects.count()

    page = steward.post("/pools/new/", fields)
    api = steward.post("/api/v1/pools", body, content_type="application/json")

    reason = (
        f"Policy version 2 takes effect on {newer.effective_from}, by the end of the pool's "
        f"period ({TODAY}): choose a version in force for the whole period."
    )
    assert page.status_code == 422
    assert reason in html.unescape(page.content.decode())
    assert 'value="Harbour grants"' in page.content.decode()
    assert (api.status_code, api.json()) == (422, {"detail": reason, "code": "invalid"})
    assert not Pool.objects.filter(slug="harbour-grants").exists()
    assert Entry.objects.count() == before
