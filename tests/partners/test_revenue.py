"""Revenue diversification: the community's income from partners (money they paid against
financial commitments) by partner and by type over time, exact to the minor unit, and its
dependence on the largest source. Public, and about organisations only: no member in it."""

import csv
import io
import os
import re
from datetime import date, timedelta
from fractions import Fraction
from html import unescape
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner

from accord.cli.app import app
from accord.domain.errors import InvalidInput
from accord.partners import queries, services
from accord.partners.models import Agreement, Commitment, Partner, PartnerKind
from accord.partners.schemas import AgreementIn, CommitmentIn, FulfilmentIn
from tests.conftest import Cast, client_for, run_python

DUE = timezone.localdate() + timedelta(days=365)


def _agreement(cast: Cast, partner: Partner) -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(
            partner=partner.slug,
            title=f"With {partner.name}",
            purpose="Shared work.",
            reasons=["revenue"],
        ),
    )


def _commitment(
    cast: Cast, agreement: Agreement, amount: str, *, party: str = "partner"
) -> Commitment:
    return services.add_commitment(
        cast.steward,
        agreement.pk,
        CommitmentIn(
            party=party, kind="financial", description="Support.", amount=amount, due_on=DUE
        ),
    )


def _pay(cast: Cast, commitment: Commitment, amount: str, on: date) -> None:
    services.record_fulfilment(
        cast.treasurer, commitment.pk, FulfilmentIn(amount=amount, on=on, note="Wire received.")
    )


@pytest.fixture
def income(cast: Cast) -> Cast:
    """Brightwell (sponsor) 13,000.00 over two years, the council 4,000.00 and Northbridge
    (university) 3,000.00: 20,000.00 EUR, 65% from Brightwell. Money the community pays and
    deliveries in kind are not income."""
    brightwell = Partner.objects.create(
        name="Brightwell Industries", slug="brightwell", kind=PartnerKind.SPONSOR
    )
    council = Partner.objects.create(
        name="Riverside Council", slug="council", kind=PartnerKind.PUBLIC_BODY
    )
    cast.partner.kind = PartnerKind.UNIVERSITY
    cast.partner.save()
    sponsor = _commitment(cast, _agreement(cast, brightwell), "20000.00")
    _pay(cast, sponsor, "6000.00", date(2025, 3, 10))
    _pay(cast, sponsor, "7000.00", date(2026, 2, 1))
    _pay(
        cast, _commitment(cast, _agreement(cast, council), "4000.00"), "4000.00", date(2026, 5, 5)
    )
    university = _agreement(cast, cast.partner)
    _pay(cast, _commitment(cast, university, "3000.00"), "3000.00", date(2025, 11, 20))
    # the community's own money to the partner is not income
    _pay(
        cast,
        _commitment(cast, university, "500.00", party="community"),
        "500.00",
        date(2026, 1, 2),
    )
    return cast


def test_income_is_summed_exactly_by_partner_type_and_year(income: Cast) -> None:
    found = queries.revenue()

    assert found.currency == "EUR"
    assert found.periods == ("2025", "2026")
    assert found.total == 2_000_000
    assert found.totals == (900_000, 1_100_000)
    assert [(line.key, line.amounts, line.total) for line in found.partners] == [
        ("brightwell", (600_000, 700_000), 1_300_000),
        ("council", (0, 400_000), 400_000),
        (income.partner.slug, (300_000, 0), 300_000),
    ]
    assert [(line.key, line.total, line.share) for line in found.kinds] == [
        ("sponsor", 1_300_000, Fraction(13, 20)),
        ("public_body", 400_000, Fraction(1, 5)),
        ("university", 300_000, Fraction(3, 20)),
    ]


def test_quarters_run_from_the_first_income_to_the_last(income: Cast) -> None:
    found = queries.revenue("quarter")

    assert found.periods[0] == "2025-Q1"
    assert found.periods[-1] == "2026-Q2"
    assert len(found.periods) == 6
    assert found.totals == (600_000, 0, 0, 300_000, 700_000, 400_000)
    with pytest.raises(InvalidInput):
        queries.revenue("month")


def test_concentration_gives_the_largest_source_its_share_and_the_index(income: Cast) -> None:
    found = queries.revenue()
    measured = found.concentration

    assert measured.largest == "brightwell"
    assert found.largest_name == "Brightwell Industries"
    assert measured.largest_share == Fraction(13, 20)
    assert measured.index == Fraction(169 + 16 + 9, 400)
    assert found.effective_sources == Fraction(400, 194)
    assert found.warning


def test_the_warning_follows_the_configured_threshold(income: Cast) -> None:
    warned = client_for(None).get(reverse("partners:revenue"))
    with override_settings(ACCORD_DEPENDENCE_WARNING=Fraction(13, 20)):
        at_the_limit = client_for(None).get(reverse("partners:revenue"))
        assert not queries.revenue().warning
    with override_settings(ACCORD_DEPENDENCE_WARNING=Fraction(7, 10)):
        below = client_for(None).get(reverse("partners:revenue"))

    assert warned.status_code == 200
    assert "dependence-warning" in warned.text
    assert "Brightwell Industries provides 65.0%" in warned.text
    assert "dependence-warning" not in at_the_limit.text
    assert "dependence-warning" not in below.text


def test_no_income_shows_no_table_and_no_warning(cast: Cast) -> None:
    found = queries.revenue()
    page = client_for(None).get(reverse("partners:revenue"))

    assert (found.total, found.periods, found.rows, found.warning) == (0, (), [], False)
    assert found.concentration.largest is None
    assert "No income from partners" in page.text


def _table(text: str) -> list[list[str]]:
    body = text.split('<table id="revenue">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)
    return [[unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)] for r in rows]


@pytest.mark.parametrize("by", ["year", "quarter"])
def test_the_csv_is_exactly_the_table(income: Cast, by: str) -> None:
    client = client_for(None)
    page = client.get(reverse("partners:revenue"), {"by": by})
    export = client.get(reverse("partners:revenue_csv"), {"by": by})

    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/csv")
    assert list(csv.reader(io.StringIO(export.content.decode()))) == _table(page.text)
    assert _table(page.text)[1][:3] == [
        "partner",
        "Brightwell Industries",
        "Corporate Sponsorships",
    ]


def test_the_page_formats_amounts_in_the_community_currency(income: Cast) -> None:
    rows = queries.revenue().rows

    assert rows[0] == (
        "partner",
        "Brightwell Industries",
        "Corporate Sponsorships",
        "6000.00 EUR",
        "7000.00 EUR",
        "13000.00 EUR",
        "65.0%",
    )
    assert rows[-1] == (
        "total", "All partners", "", "9000.00 EUR", "11000.00 EUR", "20000.00 EUR", "100.0%"
    )  # fmt: skip


def test_nothing_about_members_is_shown(income: Cast) -> None:
    client = client_for(income.member)
    shown = [
        client.get(reverse("partners:revenue")).text,
        client.get(reverse("partners:revenue_csv")).content.decode(),
        client.get("/api/v1/revenue").text,
        CliRunner().invoke(app, ["partner", "revenue"]).stdout,
    ]
    people = [income.treasurer, income.steward, income.member, income.partner_rep]
    for text in shown:
        body = text.split("<main", 1)[-1]  # the page's own content, not the signed-in header
        for person in people:
            assert person.display_name not in body
            assert person.pseudonym not in body
        assert "Wire received" not in body


def test_the_api_gives_exact_figures(income: Cast) -> None:
    client = client_for(income.member)
    yearly = client.get("/api/v1/revenue").json()
    quarterly = client.get("/api/v1/revenue", {"by": "quarter"})
    bad = client.get("/api/v1/revenue", {"by": "month"})
    anonymous = client_for(None).get("/api/v1/revenue")

    assert yearly["total"] == 2_000_000
    assert yearly["periods"] == ["2025", "2026"]
    assert yearly["largest"] == "brightwell"
    assert yearly["largest_share"] == "13/20"
    assert yearly["index"] == "97/200"
    assert yearly["effective_sources"] == "200/97"
    assert yearly["threshold"] == "1/2"
    assert yearly["warning"] is True
    assert yearly["partners"][0]["amounts"] == [600_000, 700_000]
    assert [k["key"] for k in yearly["partner_types"]] == ["sponsor", "public_body", "university"]
    assert quarterly.status_code == 200
    assert len(quarterly.json()["periods"]) == 6
    assert bad.status_code == 422
    assert anonymous.status_code == 401


def test_the_command_line_prints_the_table_and_the_warning(income: Cast) -> None:
    run = CliRunner().invoke
    yearly = run(app, ["partner", "revenue"])
    refused = run(app, ["partner", "revenue", "--by", "month"])

    assert yearly.exit_code == 0, yearly.output
    said = " ".join(yearly.stdout.split())
    assert "Dependence warning: Brightwell Industries provides 65.0%" in said
    assert "Herfindahl index 0.49" in said
    assert "effective number of sources 2.06" in said
    assert "Total 20000.00 EUR; largest source Brightwell Industries (65.0%)" in said
    assert refused.exit_code == 1
    assert len(refused.stderr.strip().splitlines()) == 1


def test_the_partnerships_list_links_to_the_revenue_page(db: None) -> None:
    page = client_for(None).get(reverse("partners:agreements"))

    assert reverse("partners:revenue") in page.text


@pytest.mark.slow
def test_a_bad_threshold_is_refused_at_start_in_one_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(
        {
            "ACCORD_DATA_DIR": str(tmp_path),
            "DEBUG": "1",
            "ACCORD_DEPENDENCE_WARNING": "most",
            "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
        }
    )
    result = run_python("-m", "accord", "check", env=env, timeout=120)

    assert result.returncode != 0
    assert "ACCORD_DEPENDENCE_WARNING" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
