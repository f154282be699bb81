"""A partner's uptake page exports as CSV with exactly what the page shows its reader: each
offering's counts (none below 10, nor one that gives such a number away), its total, and
only the members who share who they are with that partner, by name."""

import csv
import io

from django.http import HttpResponse

from accord.partners import services
from accord.partners.models import Offering
from accord.partners.schemas import ClaimIn, OfferingIn
from accord.people.models import ConsentSource, Member
from accord.people.services import grant_partner_consent
from tests.conftest import Cast, client_for
from tests.factories import make_member, make_partner_rep


def _offering(cast: Cast, title: str = "20% off courses") -> Offering:
    return services.create_offering(
        cast.steward,
        OfferingIn(
            partner=cast.partner.slug,
            kind="discount",
            title=title,
            eligibility="Every member",
            value="25.50",
        ),
    )


def _claim(member: Member, offering: Offering, kind: str = "claim") -> None:
    services.claim_offering(member, offering.pk, ClaimIn(kind=kind))


def _rows(response: HttpResponse) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_csv_is_what_the_page_shows(cast: Cast) -> None:
    small, large = _offering(cast, "Evening course"), _offering(cast, "Conference places")
    _claim(cast.member, small)
    _claim(cast.other, small, "interest")
    grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)
    grant_partner_consent(cast.other, cast.other_partner.slug, source=ConsentSource.WEB)
    for n in range(12):
        _claim(make_member(name=f"Claimer {n}"), large)
    services.close_offering(cast.steward, large.pk)

    path = f"/partners/{cast.partner.slug}/uptake"
    page = client_for(cast.partner_rep).get(f"{path}/").content.decode()
    exported = client_for(cast.partner_rep).get(f"{path}.csv")

    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/csv")
    assert f'href="{path}.csv"' in page
    rows = _rows(exported)
    assert rows[0] == ["offering", "status", "line", "value"]
    assert sorted(rows[1:]) == sorted(
        [
            ["Evening course", "open", "Claimed, not named", "fewer than 10"],
            ["Evening course", "open", "Interested, not named", "fewer than 10"],
            ["Evening course", "open", "In all", "fewer than 10"],
            ["Evening course", "open", "Named, claimed", "Mo Member"],
            ["Conference places", "closed", "Claimed, not named", "12"],
            ["Conference places", "closed", "Interested, not named", "0"],
            ["Conference places", "closed", "In all", "12"],
        ]
    )
    for _, _, line, value in rows[1:]:
        if line.startswith("Named"):
            assert value in page
    assert "Olu Other" not in exported.content.decode()  # shares with another partner only


def test_only_the_partners_representatives_and_stewards_get_it(cast: Cast) -> None:
    _claim(cast.member, _offering(cast))
    grant_partner_consent(cast.member, cast.partner.slug, source=ConsentSource.WEB)
    path = f"/partners/{cast.partner.slug}/uptake.csv"
    other_rep = make_partner_rep(cast.other_partner)

    assert client_for(cast.steward).get(path).status_code == 200
    assert client_for(cast.partner_rep).get(path).status_code == 200
    for who in (cast.member, cast.treasurer, cast.auditor, other_rep):
        denied = client_for(who).get(path)
        assert denied.status_code == 404
        assert "Mo Member" not in denied.content.decode()
    assert client_for(None).get(path).status_code == 302  # to sign in
    assert client_for(cast.steward).get("/partners/nobody/uptake.csv").status_code == 404


def test_a_partner_with_no_offerings_exports_just_the_header(cast: Cast) -> None:
    exported = client_for(cast.steward).get(f"/partners/{cast.partner.slug}/uptake.csv")

    assert _rows(exported) == [["offering", "status", "line", "value"]]
