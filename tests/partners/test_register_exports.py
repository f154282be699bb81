"""The registers' and the offerings' CSV exports: the rows their pages show, to whom may see
them; each linked from its list."""

import csv
import io
from decimal import Decimal

from django.utils import timezone

from accord.partners import services
from accord.partners.models import Agreement, Offering
from accord.partners.schemas import (
    AgreementIn,
    DisclosureCloseIn,
    DisclosureIn,
    OfferingIn,
    RiskIn,
)
from accord.people.models import Member
from tests.conftest import Cast, client_for
from tests.factories import make_partner_rep

TODAY = timezone.localdate().isoformat()


def _agreement(cast: Cast, title: str = "Placements") -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(partner=cast.partner.slug, title=title, purpose="P", reasons=["networks"]),
    )


def _rows(viewer: Member | None, path: str) -> list[list[str]]:
    response = client_for(viewer).get(path)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    return list(csv.reader(io.StringIO(response.content.decode())))


def _risks(cast: Cast, agreement: Agreement) -> None:
    services.add_risk(
        cast.steward,
        agreement.pk,
        RiskIn(category="financial", title="=late grant", likelihood=2, impact=3,
               owner=cast.treasurer.pseudonym),
    )  # fmt: skip
    services.add_risk(
        cast.steward,
        agreement.pk,
        RiskIn(category="reputation", title="Bad press", likelihood=5, impact=5,
               mitigation="A statement ready", owner_label="comms team"),
    )  # fmt: skip


def test_the_risk_csv_has_the_register_in_its_order(cast: Cast) -> None:
    agreement = _agreement(cast)
    _risks(cast, agreement)

    rows = _rows(cast.auditor, f"/partnerships/{agreement.pk}/risks.csv")

    assert rows[0] == [
        "id", "title", "category", "likelihood", "impact", "severity", "band", "mitigation",
        "owner", "status", "raised_on", "updated_on",
    ]  # fmt: skip
    assert [r[1:11] for r in rows[1:]] == [
        ["Bad press", "reputation", "5", "5", "25", "critical", "A statement ready",
         "comms team", "open", TODAY],
        ["'=late grant", "financial", "2", "3", "6", "medium", "", cast.treasurer.pseudonym,
         "open", TODAY],
    ]  # fmt: skip


def test_the_risk_csv_is_for_office_holders_and_the_partners_representatives(
    cast: Cast,
) -> None:
    agreement = _agreement(cast)
    _risks(cast, agreement)
    path = f"/partnerships/{agreement.pk}/risks.csv"

    for allowed in (cast.steward, cast.treasurer, cast.auditor, cast.partner_rep):
        assert len(_rows(allowed, path)) == 3
    member = client_for(cast.member).get(path)
    other_rep = client_for(make_partner_rep(cast.other_partner)).get(path)
    anonymous = client_for(None).get(path)

    assert member.status_code == 403
    assert other_rep.status_code == 403
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]
    for refused in (member, other_rep, anonymous):
        assert b"Bad press" not in refused.content
    assert client_for(cast.steward).get("/partnerships/999999/risks.csv").status_code == 404


def test_the_risk_csv_is_linked_only_where_the_register_is_shown(cast: Cast) -> None:
    agreement = _agreement(cast)
    link = f'href="/partnerships/{agreement.pk}/risks.csv"'

    assert link in client_for(cast.auditor).get(f"/partnerships/{agreement.pk}/").content.decode()
    assert (
        link not in client_for(cast.member).get(f"/partnerships/{agreement.pk}/").content.decode()
    )


def test_the_disclosures_csv_is_public_and_names_office_holders_only(cast: Cast) -> None:
    agreement = _agreement(cast)
    first = services.disclose_interest(cast.auditor, agreement.pk, DisclosureIn(interest="Alumna"))
    services.close_disclosure(
        cast.auditor, agreement.pk, first.pk, DisclosureCloseIn(reason="Over")
    )
    services.disclose_interest(cast.treasurer, agreement.pk, DisclosureIn(interest="Shares"))
    cast.treasurer.role = "member"  # no longer in office: no longer named
    cast.treasurer.save(update_fields=["role"])
    page = client_for(None).get(f"/partnerships/{agreement.pk}/").content.decode()

    rows = _rows(None, f"/partnerships/{agreement.pk}/disclosures.csv")

    assert f'href="/partnerships/{agreement.pk}/disclosures.csv"' in page
    assert rows[0] == [
        "id", "discloser", "office", "interest", "declared_on", "status", "closed_on",
        "closed_reason",
    ]  # fmt: skip
    assert [r[1:] for r in rows[1:]] == [
        [cast.auditor.pseudonym, "auditor", "Alumna", TODAY, "closed", TODAY, "Over"],
        ["", "treasurer", "Shares", TODAY, "open", "", ""],
    ]
    assert client_for(None).get("/partnerships/999999/disclosures.csv").status_code == 404


def test_the_offerings_csv_has_every_offering_as_the_list_shows_it(cast: Cast) -> None:
    for title in ("Student discount", "Library access"):
        services.create_offering(
            cast.steward,
            OfferingIn(partner=cast.partner.slug, kind="discount", title=title,
                       eligibility="Any member", value="25.5"),
        )  # fmt: skip
    closed = Offering.objects.get(title="Student discount")
    services.close_offering(cast.steward, closed.pk)
    page = client_for(None).get("/offerings/").content.decode()

    rows = _rows(None, "/offerings/export.csv")

    assert 'href="/offerings/export.csv"' in page
    assert rows[0][:4] == ["id", "partner", "kind", "title"]
    assert [(r[3], r[6], r[7], r[8], r[10] != "") for r in rows[1:]] == [
        ("Library access", "25.50", "EUR", "open", False),
        ("Student discount", "25.50", "EUR", "closed", True),
    ]
    assert Offering.objects.get(title="Library access").value == Decimal("25.5")


def test_the_partners_csv_lists_each_partner_with_its_partnerships(cast: Cast) -> None:
    agreement = _agreement(cast)
    _agreement(cast, "Second")
    Agreement.objects.filter(pk=agreement.pk).update(status="active")

    rows = _rows(None, "/partners/export.csv")  # public, as the list is

    assert rows[0] == ["slug", "partner", "type", "website", "description", "partnerships",
                       "active"]  # fmt: skip
    mine = next(r for r in rows[1:] if r[0] == cast.partner.slug)
    assert mine[1] == cast.partner.name
    assert mine[2] == cast.partner.get_kind_display()
    assert mine[5:] == ["2", "1"]
    assert len(rows) == 1 + cast.partner.__class__.objects.count()
    listing = client_for(None).get("/partners/").content.decode()
    assert 'href="/partners/export.csv"' in listing
