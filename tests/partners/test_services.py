"""Partners: stewards add and edit them and appoint or remove their representatives."""

import pytest

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger.models import Entry, Note
from accord.partners import services
from accord.partners.models import Partner, Representative
from accord.partners.schemas import PartnerIn, PartnerPatch, RepresentativeIn
from accord.people.models import Member, SiteRole
from tests.conftest import Cast

SECRET = "Our contact there is Jo Bloggs, who is on leave until March"


def new_partner(**overrides: str) -> PartnerIn:
    fields = {"name": "Harbour Trust", "kind": "foundation", "website": "https://harbour.org"}
    return PartnerIn(**{**fields, **overrides})


def test_a_steward_adds_a_partner_and_the_ledger_names_the_steward_not_the_description(
    cast: Cast,
) -> None:
    partner = services.create_partner(cast.steward, new_partner(description=SECRET))

    assert (partner.slug, partner.kind, partner.website) == (
        "harbour-trust",
        "foundation",
        "https://harbour.org",
    )
    entry = Entry.objects.get(kind="partner.added")
    assert (entry.actor, entry.subject) == (cast.steward.pseudonym, "partner:harbour-trust")
    assert b"Jo Bloggs" not in bytes(entry.data)
    payload = bytes(entry.data).decode()
    digest = Note.objects.get(text=SECRET).digest
    assert digest in payload


@pytest.mark.parametrize("role", ["member", "partner_rep", "auditor", "group_lead"])
def test_only_stewards_add_partners(cast: Cast, role: str) -> None:
    with pytest.raises(Forbidden):
        services.create_partner(getattr(cast, role), new_partner())

    assert not Partner.objects.filter(name="Harbour Trust").exists()
    assert not Entry.objects.filter(kind="partner.added").exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": "  "}, "needs a name"),
        ({"kind": "cartel"}, "not a partner kind"),
        ({"website": "javascript:alert(1)"}, "web address"),
    ],
)
def test_bad_partners_are_refused_with_the_reason(
    cast: Cast, fields: dict[str, str], message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        services.create_partner(cast.steward, new_partner(**fields))

    assert not Entry.objects.filter(kind="partner.added").exists()


def test_a_second_partner_with_the_same_name_is_a_conflict(cast: Cast) -> None:
    with pytest.raises(Conflict):
        services.create_partner(cast.steward, new_partner(name="northbridge university"))


def test_a_partner_called_mine_does_not_hide_the_representatives_page(cast: Cast) -> None:
    partner = services.create_partner(cast.steward, new_partner(name="Mine"))

    assert partner.slug == "mine-partner"


def test_editing_changes_only_what_is_given_and_records_what_changed(cast: Cast) -> None:
    services.edit_partner(
        cast.steward,
        cast.partner.slug,
        PartnerPatch(website="https://nbu.example", description=SECRET),
    )

    partner = Partner.objects.get(pk=cast.partner.pk)
    assert (partner.name, partner.website, partner.description) == (
        "Northbridge University",
        "https://nbu.example",
        SECRET,
    )
    entry = Entry.objects.get(kind="partner.edited")
    assert entry.actor == cast.steward.pseudonym
    assert b"Jo Bloggs" not in bytes(entry.data)
    assert b'"website":"https://nbu.example"' in bytes(entry.data)
    assert b'"name"' not in bytes(entry.data)  # unchanged fields are not recorded again


def test_editing_is_for_stewards_and_needs_an_existing_partner(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.edit_partner(cast.partner_rep, cast.partner.slug, PartnerPatch(name="Mine now"))
    with pytest.raises(NotFound):
        services.edit_partner(cast.steward, "no-such-partner", PartnerPatch(name="X"))
    with pytest.raises(Conflict):
        services.edit_partner(cast.steward, cast.partner.slug, PartnerPatch(name="Lumen Software"))

    assert Partner.objects.get(pk=cast.partner.pk).name == "Northbridge University"
    assert not Entry.objects.filter(kind="partner.edited").exists()


def test_a_steward_appoints_a_representative_bound_to_one_partner(cast: Cast) -> None:
    rep = services.appoint_representative(
        cast.steward, cast.partner.slug, RepresentativeIn(member=cast.member.pseudonym)
    )
    services.appoint_representative(
        cast.steward, cast.other_partner.slug, RepresentativeIn(member=cast.member.user.email)
    )

    member = Member.objects.get(pk=cast.member.pk)
    assert rep.member == cast.member
    assert member.role == SiteRole.PARTNER_REP
    assert member.representation.partner == cast.other_partner
    assert not member.user.is_staff
    entries = Entry.objects.filter(kind="role.changed").order_by("seq")
    assert [(e.actor, e.subject) for e in entries] == [
        (cast.steward.pseudonym, cast.member.pseudonym)  # office holders, by handle
    ] * 2


def test_appointing_is_refused_with_the_reason(cast: Cast) -> None:
    def appoint(actor: Member, handle: str, slug: str | None = None) -> None:
        services.appoint_representative(
            actor, slug or cast.partner.slug, RepresentativeIn(member=handle)
        )

    with pytest.raises(Forbidden):
        appoint(cast.member, cast.other.pseudonym)
    with pytest.raises(NotFound, match="No member"):
        appoint(cast.steward, "nobody-here")
    with pytest.raises(NotFound, match="No partner"):
        appoint(cast.steward, cast.other.pseudonym, "no-such-partner")
    with pytest.raises(Conflict, match="steward"):
        appoint(cast.steward, cast.steward.pseudonym)
    with pytest.raises(Conflict, match="already represents"):
        appoint(cast.steward, cast.partner_rep.pseudonym)

    assert Member.objects.get(pk=cast.other.pk).role == SiteRole.MEMBER
    assert not Entry.objects.filter(kind="role.changed").exists()


def test_removing_a_representative_ends_the_binding_and_the_role(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.remove_representative(cast.member, cast.partner.slug, cast.partner_rep.pseudonym)
    with pytest.raises(NotFound):
        services.remove_representative(
            cast.steward, cast.other_partner.slug, cast.partner_rep.pseudonym
        )

    services.remove_representative(cast.steward, cast.partner.slug, cast.partner_rep.pseudonym)

    rep = Member.objects.get(pk=cast.partner_rep.pk)
    assert rep.role == SiteRole.MEMBER
    assert not Representative.objects.filter(member=rep).exists()
    entry = Entry.objects.get(kind="role.changed")
    assert (entry.actor, entry.subject) == (cast.steward.pseudonym, rep.pseudonym)
    assert f'"partner":"{cast.partner.slug}"'.encode() in bytes(entry.data)
