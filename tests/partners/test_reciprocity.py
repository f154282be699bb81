"""Reciprocity per partnership: what members got back against what the partner gained, as
an exact ratio with every input listed and dated; below 1 it is flagged extractive. A
steward records the inputs; bad ones are refused with a reason and change nothing."""

import json
from datetime import timedelta
from fractions import Fraction

import pytest
from django.utils import timezone

from accord.domain.errors import Forbidden, InvalidInput, NotFound
from accord.ledger.models import Entry
from accord.partners import queries, services
from accord.partners.models import Agreement, ValueRecord
from accord.partners.schemas import AgreementIn, ValueIn
from tests.conftest import Cast, client_for

TODAY = timezone.localdate()


def _agreement(cast: Cast) -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(partner=cast.partner.slug, title="Tools", purpose="p", reasons=["revenue"]),
    )


def _value(cast: Cast, agreement: Agreement, kind: str, amount: int, days_ago: int = 1) -> None:
    services.record_value(
        cast.steward,
        agreement.pk,
        ValueIn(kind=kind, amount=amount, on=TODAY - timedelta(days=days_ago), basis=f"{kind}"),
    )


def test_the_ratio_is_exact_and_lists_every_input_in_date_order(cast: Cast) -> None:
    agreement = _agreement(cast)
    _value(cast, agreement, "training", 40_000, days_ago=3)
    _value(cast, agreement, "exposure", 30_000, days_ago=5)
    _value(cast, agreement, "member_reported", 5_001, days_ago=1)

    figures = queries.reciprocity_of(agreement)

    assert (figures.delivered, figures.received) == (45_001, 30_000)
    assert figures.ratio == Fraction(45_001, 30_000)
    assert not figures.extractive
    assert [(v.kind, v.side) for v in figures.lines] == [
        ("exposure", "to_partner"),
        ("training", "to_members"),
        ("member_reported", "to_members"),
    ]
    assert figures.lines[0].basis == "exposure"


def test_a_partnership_where_the_partner_gains_more_is_extractive(cast: Cast) -> None:
    agreement = _agreement(cast)
    _value(cast, agreement, "services", 9_999)
    _value(cast, agreement, "fees", 10_000)
    figures = queries.reciprocity_of(agreement)
    assert figures.extractive
    assert figures.ratio == Fraction(9_999, 10_000)


def test_the_ledger_keeps_the_figures_and_a_hash_of_the_basis(cast: Cast) -> None:
    agreement = _agreement(cast)
    services.record_value(
        cast.steward,
        agreement.pk,
        ValueIn(kind="training", amount=12_000, on=TODAY, basis="3 workshops by Dr Roe"),
    )
    entry = Entry.objects.filter(kind="agreement.value").get()
    payload = json.loads(bytes(entry.data))["payload"]
    assert (payload["side"], payload["kind"], payload["amount"]) == (
        "to_members",
        "training",
        12_000,
    )
    assert b"Dr Roe" not in bytes(entry.data)


@pytest.mark.parametrize(
    ("kind", "on", "basis", "message"),
    [
        ("bribes", TODAY, "x", "not a kind of value"),
        ("training", TODAY + timedelta(days=1), "x", "today or earlier"),
        ("training", TODAY, "   ", "how the value is estimated"),
    ],
)
def test_bad_values_are_refused_with_a_reason_and_change_nothing(
    cast: Cast, kind: str, on: object, basis: str, message: str
) -> None:
    agreement = _agreement(cast)
    before = Entry.objects.count()
    with pytest.raises(InvalidInput, match=message):
        services.record_value(
            cast.steward,
            agreement.pk,
            ValueIn(kind=kind, amount=1, on=on, basis=basis),  # type: ignore[arg-type]
        )
    assert not ValueRecord.objects.exists()
    assert Entry.objects.count() == before


@pytest.mark.parametrize("who", ["member", "partner_rep", "treasurer", "auditor"])
def test_only_stewards_record_values(cast: Cast, who: str) -> None:
    agreement = _agreement(cast)
    with pytest.raises(Forbidden):
        _value_as(getattr(cast, who), agreement)
    assert not ValueRecord.objects.exists()


def _value_as(actor: object, agreement: Agreement) -> None:
    services.record_value(
        actor,  # type: ignore[arg-type]
        agreement.pk,
        ValueIn(kind="fees", amount=100, on=TODAY, basis="x"),
    )


def test_an_unknown_agreement_is_not_found(cast: Cast) -> None:
    with pytest.raises(NotFound):
        services.record_value(
            cast.steward, 999, ValueIn(kind="fees", amount=1, on=TODAY, basis="x")
        )


def test_the_api_shows_the_figures_and_refuses_bad_amounts(cast: Cast) -> None:
    agreement = _agreement(cast)
    steward = client_for(cast.steward)
    url = f"/api/v1/agreements/{agreement.pk}"
    for amount in (0, -5, 10**16, "1e999999", "sNaN"):
        bad = steward.post(
            f"{url}/values",
            {"kind": "fees", "amount": amount, "on": TODAY.isoformat(), "basis": "x"},
            content_type="application/json",
        )
        assert bad.status_code == 422, amount
    made = steward.post(
        f"{url}/values",
        {"kind": "fees", "amount": 300, "on": TODAY.isoformat(), "basis": "booth fees"},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    shown = client_for(cast.member).get(f"{url}/reciprocity").json()
    assert shown["received"] == 300
    assert shown["ratio"] == "0"
    assert shown["extractive"] is True
    assert shown["lines"][0]["basis"] == "booth fees"
