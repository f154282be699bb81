"""Consent: off by default, every change kept, and every place that shows a member obeys it."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from accord.domain.errors import NotFound
from accord.people import queries, services
from accord.people.models import (
    OFFERED_PURPOSES,
    Consent,
    ConsentEvent,
    ConsentSource,
    Member,
    Purpose,
)
from accord.people.schemas import ConsentIn
from accord.people.visibility import has_consented
from tests.conftest import Cast, client_for
from tests.factories import grant, make_member


def test_every_purpose_is_off_for_a_new_member(db: None) -> None:
    member = make_member()

    rows = queries.consents_for(member)

    assert [r.purpose for r in rows] == list(OFFERED_PURPOSES)
    assert not any(r.granted for r in rows)
    assert not Consent.objects.filter(member=member).exists()


def test_each_change_is_an_event_with_time_and_source(cast: Cast) -> None:
    m = cast.member

    services.set_consent(
        m, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source=ConsentSource.WEB
    )
    services.set_consent(
        m, Purpose.PARTNER_CONTACT, ConsentIn(granted=False), source=ConsentSource.API
    )
    services.set_consent(
        m, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source=ConsentSource.CLI
    )

    events = list(ConsentEvent.objects.filter(member=m).order_by("at", "id"))
    assert [(e.granted, e.source) for e in events] == [
        (True, "web"),
        (False, "api"),
        (True, "cli"),
    ]
    assert all(e.at is not None and e.actor == m for e in events)
    assert has_consented(m, Purpose.PARTNER_CONTACT)


def test_the_same_answer_twice_records_nothing_new(cast: Cast) -> None:
    m = cast.member
    services.set_consent(
        m, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source=ConsentSource.WEB
    )

    services.set_consent(
        m, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source=ConsentSource.WEB
    )
    services.set_consent(
        m, Purpose.EXPERT_DIRECTORY, ConsentIn(granted=False), source=ConsentSource.WEB
    )

    assert ConsentEvent.objects.filter(member=m).count() == 1


def test_nobody_else_can_consent_for_a_member(cast: Cast) -> None:
    # The service answers for the actor only: a steward's answer is the steward's own.
    services.set_consent(
        cast.steward, Purpose.PARTNER_CONTACT, ConsentIn(granted=True), source=ConsentSource.ADMIN
    )

    assert not has_consented(cast.member, Purpose.PARTNER_CONTACT)
    assert has_consented(cast.steward, Purpose.PARTNER_CONTACT)
    assert not ConsentEvent.objects.filter(member=cast.member).exists()


def test_it_rejects_an_unknown_purpose(cast: Cast) -> None:
    with pytest.raises(NotFound):
        services.set_consent(cast.member, "sell_my_data", ConsentIn(granted=True), source="web")

    assert not Consent.objects.exists()


def test_directory_lists_only_members_who_opted_in(cast: Cast) -> None:
    grant(cast.other, Purpose.MEMBER_DIRECTORY)
    hidden = make_member(name="Hana Hidden")
    grant(hidden, Purpose.PARTNER_CONTACT)  # yes to something else is not yes to this

    listed = set(queries.member_directory(cast.member))

    assert cast.other in listed
    assert hidden not in listed
    assert cast.member in listed  # a member always sees themself


def test_directory_page_export_and_api_agree_with_may(cast: Cast) -> None:
    grant(cast.other, Purpose.MEMBER_DIRECTORY)
    hidden = make_member(name="Hana Hidden")
    client = client_for(cast.member)

    page = client.get(reverse("people:members")).content.decode()
    export = client.get(reverse("people:members_export")).content.decode()
    api = client.get("/api/v1/members").json()

    exported = {row["display_name"] for row in csv.DictReader(io.StringIO(export))}
    api_names = {m["display_name"] for m in api["items"]}
    for shown in (cast.other.display_name, cast.member.display_name):
        assert shown in page
        assert shown in exported
        assert shown in api_names
    assert hidden.display_name not in page
    assert hidden.display_name not in exported
    assert hidden.display_name not in api_names


def test_member_profile_of_someone_who_did_not_opt_in_is_not_found(cast: Cast) -> None:
    client = client_for(cast.member)

    page = client.get(reverse("people:member", args=[cast.other.pseudonym]))
    api = client.get(f"/api/v1/members/{cast.other.pseudonym}")

    assert page.status_code == 404
    assert api.status_code == 404
    assert api.json()["code"] == "not_found"


def test_group_page_names_only_consenting_members_and_counts_the_rest(cast: Cast) -> None:
    client = client_for(cast.steward)

    before = client.get(reverse("people:group", args=[cast.group.slug])).content.decode()
    grant(cast.other, Purpose.MEMBER_DIRECTORY)
    after = client.get(reverse("people:group", args=[cast.group.slug])).content.decode()
    api = client.get(f"/api/v1/groups/{cast.group.slug}").json()

    assert cast.other.display_name not in before
    assert "3 members; 3 chose not to be listed" in before
    assert cast.other.display_name in after
    assert cast.member.display_name not in after
    assert [m["member"]["display_name"] for m in api["members"]] == [cast.other.display_name]
    assert api["unlisted_count"] == 2


def test_partner_sees_only_profiles_and_contacts_members_shared(cast: Cast) -> None:
    grant(cast.member, Purpose.SHARE_PROFILE_WITH_PARTNERS)
    grant(cast.other, Purpose.PARTNER_CONTACT, Purpose.MEMBER_DIRECTORY)
    client = client_for(cast.partner_rep)

    page = client.get(reverse("partners:mine")).content.decode()
    api = client.get(f"/api/v1/partners/{cast.partner.slug}/members").json()

    assert cast.member.display_name in page
    assert cast.member.user.email not in page  # a shared profile is not a contact permission
    assert cast.other.user.email in page
    assert [m["display_name"] for m in api["shared_profiles"]] == [cast.member.display_name]
    assert [m["email"] for m in api["contactable"]] == [cast.other.user.email]


def test_withdrawing_consent_removes_the_member_everywhere(cast: Cast) -> None:
    services.set_consent(
        cast.other, Purpose.MEMBER_DIRECTORY, ConsentIn(granted=True), source=ConsentSource.WEB
    )
    assert cast.other in queries.member_directory(cast.member)

    services.set_consent(
        cast.other, Purpose.MEMBER_DIRECTORY, ConsentIn(granted=False), source=ConsentSource.WEB
    )

    assert cast.other not in queries.member_directory(cast.member)
    assert queries.visible_member(cast.member, cast.other.pseudonym) is None
    assert cast.other.pseudonym not in {r[0] for r in queries.member_export_rows(cast.member)}
    assert not queries.group_page(cast.member, cast.group.slug).shown or all(
        s.member != cast.other for s in queries.group_page(cast.member, cast.group.slug).shown
    )


def test_consent_page_toggles_without_javascript(cast: Cast) -> None:
    client = client_for(cast.member)
    url = reverse("people:toggle_consent", args=[Purpose.PARTNER_CONTACT])

    response = client.post(url, {"granted": "yes"})

    assert response.status_code == 302
    assert has_consented(cast.member, Purpose.PARTNER_CONTACT)
    assert ConsentEvent.objects.get(member=cast.member).source == ConsentSource.WEB


def test_consent_toggle_with_htmx_returns_only_the_row(cast: Cast) -> None:
    client = client_for(cast.member)
    url = reverse("people:toggle_consent", args=[Purpose.PARTNER_CONTACT])

    response = client.post(url, {"granted": "yes"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert html.strip().startswith('<section class="consent" id="consent-partner_contact"')
    assert "<html" not in html
    assert "Turn off" in html


def test_consent_toggle_for_an_unknown_purpose_is_404_and_changes_nothing(cast: Cast) -> None:
    client = client_for(cast.member)

    response = client.post("/me/consents/sell_my_data/", {"granted": "yes"})

    assert response.status_code == 404
    assert not Consent.objects.exists()


def test_signing_up_creates_a_member_with_everything_off(db: None) -> None:

    for email in ("ana@example.org", "bo@example.org"):
        response = Client().post(
            "/accounts/signup/",
            {
                "email": email,
                "password1": "a long unusual passphrase",
                "password2": "a long unusual passphrase",
                "display_name": email[:3],
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]

    members = Member.objects.order_by("id")
    assert [m.user.username for m in members] == ["ana@example.org", "bo@example.org"]
    assert not Consent.objects.exists()
    assert members[0].display_name == "ana"


def test_the_api_directory_pages_by_cursor_through_everyone_shown_once(cast: Cast) -> None:
    # Same names on purpose: the cursor orders by name, then by handle.
    shown = [make_member(name="Ada Same") for _ in range(3)] + [make_member(name="Bo Lee")]
    for member in shown:
        grant(member, Purpose.MEMBER_DIRECTORY)
    make_member(name="Ada Hidden")  # no consent: never listed
    client = client_for(cast.member)
    expected = {m.display_name for m in queries.member_directory(cast.member)}

    seen, after, pages = [], "", 0
    while True:
        body = client.get("/api/v1/members", {"limit": 2, "after": after}).json()
        seen += [(m["display_name"], m["pseudonym"]) for m in body["items"]]
        pages += 1
        if body["next"] is None:
            break
        after = body["next"]

    assert seen == sorted(seen)  # name order, handles breaking ties
    assert len(seen) == len(set(seen))  # nobody twice across pages
    assert {name for name, _ in seen} == expected
    assert "Ada Hidden" not in expected
    assert pages == -(-len(seen) // 2)


@pytest.mark.parametrize("after", ["nonsense", "WzFd", "WyJhIiwgMV0", "!!"])
def test_a_cursor_the_directory_did_not_give_is_refused(cast: Cast, after: str) -> None:
    response = client_for(cast.member).get("/api/v1/members", {"after": after})

    assert response.status_code == 422
    assert "`after`" in response.json()["detail"]
