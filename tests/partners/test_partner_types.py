"""The eight types of partner, named as associations name them, each with what such partners
typically give and get, shown where stewards choose a type and where a partner is shown."""

from accord.partners.models import EXCHANGES, PartnerKind
from tests.conftest import Cast, client_for

NAMES = [
    "Corporate Sponsorships",
    "Other Associations and Professional Organizations",
    "Foundations and Nonprofits",
    "Universities and Educational Institutions",
    "Vendors and Service Providers",
    "Government Agencies and Regulatory Bodies",
    "Community Organizations and NGOs",
    "Media Outlets and Industry Publications",
]


def test_the_eight_types_carry_the_associations_names_and_what_they_exchange() -> None:
    assert [label for _, label in PartnerKind.choices] == NAMES
    assert set(EXCHANGES) == set(PartnerKind.values)
    assert all(e.gives and e.gets for e in EXCHANGES.values())


def test_the_add_form_explains_each_type(cast: Cast) -> None:
    page = client_for(cast.steward).get("/partners/").content.decode()

    for name in NAMES:
        assert f">{name}</option>" in page
        assert f"<dt>{name}</dt>" in page
    assert f"Gives {EXCHANGES[PartnerKind.SPONSOR].gives}" in page


def test_a_representative_sees_what_their_type_of_partner_gives_and_gets(cast: Cast) -> None:
    partner = cast.partner_rep.representation.partner

    page = client_for(cast.partner_rep).get("/partners/mine/").content.decode()

    assert partner.get_kind_display() in page
    assert f"typically give {partner.exchange.gives}" in page


def test_the_relabelling_keeps_every_stored_type() -> None:
    """Only the names changed: the values partners are stored with are the built ones, so no
    row needs migrating."""
    built = {"sponsor", "vendor", "university", "association", "foundation", "ngo", "media"}

    assert set(PartnerKind.values) == built | {"public_body"}
