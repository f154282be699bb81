"""A partner's contacts (its staff, not members): stewards add, change and remove them at
the manage page, the API and the command line, each through one service; office holders
and the partner's own representatives see them, nobody else does; the ledger records
that a contact changed, never who they are."""

import json

import pytest
from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger.models import Entry
from accord.partners import queries, services
from accord.partners.models import PartnerContact
from accord.partners.schemas import AgreementIn, PartnerContactIn, PartnerContactPatch
from accord.people.models import Member
from accord.people.schemas import parse
from tests.conftest import Cast, client_for
from tests.factories import make_partner_rep

DANA = {
    "name": "Dana Okafor",
    "role": "Partnerships manager",
    "email": "dana@northbridge.example",
    "phone": "+44 20 7946 0958",
}


def _add(cast: Cast, **overrides: str) -> PartnerContact:
    return services.add_partner_contact(
        cast.steward, cast.partner.slug, PartnerContactIn(**{**DANA, **overrides})
    )


def _payload(entry: Entry) -> dict[str, object]:
    return json.loads(bytes(entry.data))["payload"]  # type: ignore[no-any-return]


def _email(member: Member) -> str:
    assert member.user is not None
    return member.user.email


def accord(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


# -- the service ---------------------------------------------------------------------------


def test_a_steward_adds_a_contact_and_the_ledger_keeps_no_name_address_or_number(
    cast: Cast,
) -> None:
    contact = _add(cast)

    entry = Entry.objects.get(kind="partner.contact_added")
    assert contact.partner == cast.partner
    assert (contact.name, contact.role, contact.phone) == (
        "Dana Okafor",
        "Partnerships manager",
        "+44 20 7946 0958",
    )
    assert entry.actor == cast.steward.pseudonym
    assert entry.subject == f"partner:{cast.partner.slug}"
    assert _payload(entry) == {"contact": contact.pk}
    for secret in (b"Dana", b"dana@", b"7946", b"manager"):
        assert secret not in bytes(entry.data)


@pytest.mark.parametrize(
    ("field", "value", "says"),
    [
        ("name", "  ", "contact's name"),
        ("role", "", "role or title"),
        ("email", "not-an-address", "is not an e-mail address"),
        ("phone", "call me", "phone number"),
    ],
)
def test_bad_fields_are_refused_and_nothing_is_saved(
    cast: Cast, field: str, value: str, says: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _add(cast, **{field: value})

    assert says in refused.value.detail
    assert not PartnerContact.objects.exists()
    assert not Entry.objects.filter(kind="partner.contact_added").exists()


def test_nul_bytes_and_overlong_fields_are_refused_before_the_service(cast: Cast) -> None:
    with pytest.raises(InvalidInput):
        parse(PartnerContactIn, {**DANA, "name": "Dana\x00"})
    with pytest.raises(InvalidInput):
        parse(PartnerContactIn, {**DANA, "role": "r" * 161})
    with pytest.raises(InvalidInput):
        parse(PartnerContactIn, {**DANA, "phone": "1" * 41})


def test_one_address_is_one_contact_per_partner(cast: Cast) -> None:
    _add(cast)

    with pytest.raises(Conflict):
        _add(cast, name="Dana O.", email="DANA@northbridge.example")
    other = services.add_partner_contact(
        cast.steward, cast.other_partner.slug, PartnerContactIn(**DANA)
    )

    assert PartnerContact.objects.filter(partner=cast.partner).count() == 1
    assert other.partner == cast.other_partner


@pytest.mark.parametrize("who", ["member", "partner_rep", "auditor", "treasurer"])
def test_only_stewards_add_change_or_remove_contacts(cast: Cast, who: str) -> None:
    contact = _add(cast)
    actor = getattr(cast, who)

    with pytest.raises(Forbidden):
        services.add_partner_contact(actor, cast.partner.slug, PartnerContactIn(**DANA))
    with pytest.raises(Forbidden):
        services.edit_partner_contact(
            actor, cast.partner.slug, contact.pk, PartnerContactPatch(name="X")
        )
    with pytest.raises(Forbidden):
        services.remove_partner_contact(actor, cast.partner.slug, contact.pk)

    assert PartnerContact.objects.get().name == "Dana Okafor"


def test_an_edit_changes_only_what_is_given_and_records_which_fields(cast: Cast) -> None:
    contact = _add(cast)

    services.edit_partner_contact(
        cast.steward,
        cast.partner.slug,
        contact.pk,
        PartnerContactPatch(role="Head of partnerships", phone=""),
    )

    contact.refresh_from_db()
    assert (contact.name, contact.role, contact.phone) == (
        "Dana Okafor",
        "Head of partnerships",
        "",
    )
    entry = Entry.objects.get(kind="partner.contact_edited")
    assert _payload(entry) == {"contact": contact.pk, "fields": ["phone", "role"]}


def test_a_contact_is_removed_only_from_its_own_partner(cast: Cast) -> None:
    contact = _add(cast)

    with pytest.raises(NotFound):
        services.remove_partner_contact(cast.steward, cast.other_partner.slug, contact.pk)
    services.remove_partner_contact(cast.steward, cast.partner.slug, contact.pk)

    assert not PartnerContact.objects.exists()
    assert _payload(Entry.objects.get(kind="partner.contact_removed")) == {"contact": contact.pk}
    with pytest.raises(NotFound):
        services.remove_partner_contact(cast.steward, cast.partner.slug, contact.pk)


# -- who sees them ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["steward", "treasurer", "auditor", "partner_rep"])
def test_office_holders_and_the_partners_own_representatives_see_its_contacts(
    cast: Cast, who: str
) -> None:
    _add(cast)

    assert [c.name for c in queries.contacts_of(getattr(cast, who), cast.partner.slug)] == [
        "Dana Okafor"
    ]


@pytest.mark.parametrize("who", ["member", "group_lead", None])
def test_members_and_the_public_do_not_see_contacts(cast: Cast, who: str | None) -> None:
    _add(cast)

    with pytest.raises(Forbidden):
        queries.contacts_of(getattr(cast, who) if who else None, cast.partner.slug)


def test_another_partners_representative_sees_none_of_its_contacts(cast: Cast) -> None:
    _add(cast)
    rival = make_partner_rep(cast.other_partner)

    with pytest.raises(Forbidden):
        queries.contacts_of(rival, cast.partner.slug)
    response = client_for(rival).get(f"/api/v1/partners/{cast.partner.slug}/contacts")
    own_page = client_for(rival).get("/partners/mine/").content.decode()

    assert response.status_code == 403
    assert "Dana Okafor" not in own_page
    assert "dana@northbridge.example" not in own_page


def test_the_representatives_own_page_lists_the_contacts(cast: Cast) -> None:
    _add(cast)

    page = client_for(cast.partner_rep).get("/partners/mine/").content.decode()

    assert 'id="partner-contacts"' in page
    assert "Dana Okafor" in page
    assert "mailto:dana@northbridge.example" in page
    assert "Remove<span" not in page  # they read; stewards change


def test_no_public_page_shows_a_contact(cast: Cast) -> None:
    _add(cast)
    agreement = services.create_agreement(
        cast.steward,
        AgreementIn(partner=cast.partner.slug, title="T", purpose="P", reasons=["networks"]),
    )

    for path in ("/partners/", f"/partnerships/{agreement.pk}/", "/partnerships/", "/offerings/"):
        for who in (None, cast.member):
            page = client_for(who).get(path).content.decode()
            assert "Dana Okafor" not in page, path
            assert "dana@northbridge.example" not in page, path
    assert client_for(cast.member).get(f"/partners/{cast.partner.slug}/").status_code == 404


# -- the doors ---------------------------------------------------------------------------------


def test_a_steward_adds_and_removes_a_contact_on_the_manage_page(cast: Cast) -> None:
    steward = client_for(cast.steward)
    manage = f"/partners/{cast.partner.slug}/manage/"

    added = steward.post(f"/partners/{cast.partner.slug}/contacts/", DANA)
    page = steward.get(manage).content.decode()
    contact = PartnerContact.objects.get()
    removed = steward.post(f"/partners/{cast.partner.slug}/contacts/{contact.pk}/remove/")

    assert added.status_code == 302
    assert added["Location"] == f"{manage}#contacts"
    assert "Dana Okafor" in page
    assert "Add a contact" in page
    assert removed.status_code == 302
    assert not PartnerContact.objects.exists()


def test_the_add_form_keeps_bad_input_and_says_what_is_wrong(cast: Cast) -> None:
    response = client_for(cast.steward).post(
        f"/partners/{cast.partner.slug}/contacts/", {**DANA, "email": "nowhere"}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "is not an e-mail address" in page
    assert 'value="Dana Okafor"' in page
    assert not PartnerContact.objects.exists()


def test_the_form_doors_are_closed_to_anyone_but_stewards(cast: Cast) -> None:
    contact = _add(cast)

    for who in (cast.member, cast.partner_rep, cast.auditor):
        client = client_for(who)
        added = client.post(f"/partners/{cast.partner.slug}/contacts/", DANA)
        removed = client.post(f"/partners/{cast.partner.slug}/contacts/{contact.pk}/remove/")
        assert added.status_code == 404
        assert removed.status_code == 404
    assert PartnerContact.objects.count() == 1


def test_the_api_adds_lists_edits_and_removes_contacts(cast: Cast) -> None:
    steward = client_for(cast.steward)
    base = f"/api/v1/partners/{cast.partner.slug}/contacts"

    created = steward.post(base, DANA, content_type="application/json")
    pk = created.json()["id"]
    refused = steward.post(base, {**DANA, "email": "x"}, content_type="application/json")
    patched = steward.patch(f"{base}/{pk}", {"name": "Dana O."}, content_type="application/json")
    listed = client_for(cast.partner_rep).get(base)
    member = client_for(cast.member).get(base)
    deleted = steward.delete(f"{base}/{pk}")

    assert created.status_code == 201
    assert created.json() == {"id": pk, "partner": cast.partner.slug, **DANA}
    assert refused.status_code == 422
    assert patched.status_code == 200
    assert patched.json()["name"] == "Dana O."
    assert listed.status_code == 200
    assert [c["name"] for c in listed.json()] == ["Dana O."]
    assert member.status_code == 403
    assert deleted.status_code == 204
    assert not PartnerContact.objects.exists()


def test_the_command_adds_lists_edits_and_removes_contacts(cast: Cast) -> None:
    steward = _email(cast.steward)
    slug = cast.partner.slug

    added = accord(
        "partner", "contact", "add", slug, "--name", "Dana Okafor", "--role", "Manager",
        "--email", "dana@northbridge.example", "--as", steward,
    )  # fmt: skip
    pk = str(PartnerContact.objects.get().pk)
    edited = accord("partner", "contact", "edit", slug, pk, "--phone", "+44 1", "--as", steward)
    listed = accord("partner", "contact", "list", slug, "--as", _email(cast.partner_rep))
    hidden = accord("partner", "contact", "list", slug, "--as", _email(cast.member))
    refused = accord(
        "partner", "contact", "add", slug, "--name", "X", "--role", "Y", "--email", "nope",
        "--as", steward,
    )  # fmt: skip
    removed = accord("partner", "contact", "remove", slug, pk, "--as", steward)

    assert added.exit_code == 0, added.stderr
    assert f"Added contact {pk}: Dana Okafor (Manager)." in added.stdout
    assert edited.exit_code == 0, edited.stderr
    assert listed.exit_code == 0, listed.stderr
    assert "dana@northbridge.example" in listed.stdout
    assert "+44 1" in listed.stdout
    assert hidden.exit_code == 1
    assert "office holders" in hidden.stderr
    assert refused.exit_code == 1
    assert "is not an e-mail address" in refused.stderr
    assert removed.exit_code == 0, removed.stderr
    assert not PartnerContact.objects.exists()
