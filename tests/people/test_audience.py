"""Consent by audience: who is shown to whom is decided in one place, by the viewer's role,
and nobody appears anywhere before verifying their e-mail address."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accord.contributions import services as contributions
from accord.contributions.schemas import ImportIn
from accord.contributions.services import import_contributions
from accord.domain.errors import NotFound
from accord.people import queries, services
from accord.people.models import OFFERED_PURPOSES, ConsentSource, Member, Membership, Purpose
from accord.people.schemas import ConsentIn
from accord.people.visibility import RULES, Audience, Sight, audience_of, may, shown_to
from tests.conftest import Cast, client_for
from tests.factories import add_to_group, contribution_in, grant, make_member

TODAY = timezone.localdate()


def _names(client, path: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_each_audience_sees_only_those_who_chose_it(cast: Cast) -> None:
    to_members = make_member(name="Mina ToMembers")
    grant(to_members, Purpose.MEMBER_DIRECTORY)
    to_partners = make_member(name="Pia ToPartners")
    grant(to_partners, Purpose.SHARE_PROFILE_WITH_PARTNERS)

    seen = {
        role: set(queries.member_directory(cast.by_role(role)))
        for role in ("anonymous", "member", "steward", "auditor", "partner_rep")
    }

    for role in ("member", "steward", "auditor"):
        assert to_members in seen[role], role
        assert to_partners not in seen[role], role
    assert to_partners in seen["partner_rep"]
    assert to_members not in seen["partner_rep"]
    assert seen["anonymous"] == set()


def test_partner_rep_pages_api_and_export_follow_the_partner_consent(cast: Cast) -> None:
    to_members = make_member(name="Mina ToMembers")
    grant(to_members, Purpose.MEMBER_DIRECTORY)
    add_to_group(to_members, cast.group)
    to_partners = make_member(name="Pia ToPartners")
    grant(to_partners, Purpose.SHARE_PROFILE_WITH_PARTNERS)
    add_to_group(to_partners, cast.group)
    client = client_for(cast.partner_rep)

    directory = _names(client, reverse("people:members"))
    group = _names(client, reverse("people:group", args=[cast.group.slug]))
    export = _names(client, reverse("people:members_export"))
    api = client.get("/api/v1/members").json()
    profile_hidden = client.get(reverse("people:member", args=[to_members.pseudonym]))
    profile_shown = client.get(reverse("people:member", args=[to_partners.pseudonym]))
    api_hidden = client.get(f"/api/v1/members/{to_members.pseudonym}")

    assert "Only members who chose “Share my profile with partners” are listed." in directory
    for text in (directory, group, export):
        assert "Pia ToPartners" in text
        assert "Mina ToMembers" not in text
    assert {m["display_name"] for m in api["items"]} == {"Pia ToPartners", "Pat Rep"}
    assert profile_hidden.status_code == 404
    assert api_hidden.status_code == 404
    assert profile_shown.status_code == 200
    rows = list(csv.DictReader(io.StringIO(export)))
    assert {r["display_name"] for r in rows} == {"Pia ToPartners", "Pat Rep"}


def test_contact_is_never_shown_to_members_and_only_by_consent_to_partners(cast: Cast) -> None:
    grant(cast.other, Purpose.PARTNER_CONTACT, Purpose.MEMBER_DIRECTORY)

    assert not may(cast.member, cast.other, Sight.CONTACT)
    assert not may(cast.steward, cast.other, Sight.CONTACT)
    assert not may(None, cast.other, Sight.CONTACT)
    assert may(cast.partner_rep, cast.other, Sight.CONTACT)
    assert not may(cast.partner_rep, cast.member, Sight.CONTACT)


def test_every_audience_and_sight_has_a_rule_and_the_public_sees_no_profiles() -> None:
    assert set(RULES) == {(a, s) for a in Audience for s in Sight}
    assert RULES[(Audience.PUBLIC, Sight.PROFILE)] is None
    assert RULES[(Audience.PUBLIC, Sight.CONTACT)] is None
    assert audience_of(None) == Audience.PUBLIC


def test_an_unverified_account_appears_nowhere(cast: Cast) -> None:
    ghost = make_member(name="Gil Unverified", email="gil@example.org", verified=False)
    grant(ghost, Purpose.MEMBER_DIRECTORY, Purpose.SHARE_PROFILE_WITH_PARTNERS)
    grant(ghost, Purpose.PARTNER_CONTACT)
    add_to_group(ghost, cast.group)

    for viewer in (cast.member, cast.steward, cast.partner_rep):
        client = client_for(viewer)
        assert "Gil Unverified" not in _names(client, reverse("people:members"))
        assert "Gil Unverified" not in _names(
            client, reverse("people:group", args=[cast.group.slug])
        )
        assert client.get(reverse("people:member", args=[ghost.pseudonym])).status_code == 404
    assert not may(cast.partner_rep, ghost, Sight.CONTACT)
    # ...but the person themself sees their own profile while they confirm the address
    assert may(ghost, ghost, Sight.PROFILE)
    assert ghost in set(shown_to(ghost, Member.objects.all(), Sight.PROFILE))


def test_an_import_matches_verified_addresses_and_handles_only(cast: Cast) -> None:
    ghost = make_member(name="Gil Unverified", email="gil@example.org", verified=False)
    rows = "\n".join(
        [
            "source_key,member,kind,title,date,hours,level",
            f"a1,{ghost.user.email},code,By address,2026-01-05,1,2",
            f"a2,{ghost.pseudonym},code,By handle,2026-01-05,1,2",
            f"a3,{cast.member.user.email},code,Verified,2026-01-05,1,2",
        ]
    )

    result = import_contributions(cast.steward, ImportIn(csv=rows, dry_run=True))

    statuses = {r.source_key: (r.status, r.errors) for r in result.rows}
    assert statuses["a3"][0] != "error"
    for key in ("a1", "a2"):
        status, errors = statuses[key]
        assert status == "error"
        assert any("verified" in e for e in errors)


def test_consent_page_says_where_each_purpose_is_used_and_offers_only_built_ones(
    cast: Cast,
) -> None:
    client = client_for(cast.member)

    page = _names(client, reverse("people:consents"))

    for purpose, use in OFFERED_PURPOSES.items():
        assert f'id="consent-{purpose}"' in page
        assert f'href="{reverse(use.url_name)}"' in page
    for unbuilt in (Purpose.NEWSLETTER, Purpose.EXPERT_DIRECTORY):
        assert f'id="consent-{unbuilt}"' not in page
        assert (
            client.post(
                reverse("people:toggle_consent", args=[unbuilt]), {"granted": "yes"}
            ).status_code
            == 404
        )
        api = client.put(
            f"/api/v1/consents/{unbuilt}", {"granted": True}, content_type="application/json"
        )
        assert api.status_code == 404
        with pytest.raises(NotFound):
            services.set_consent(
                cast.member, unbuilt, ConsentIn(granted=True), source=ConsentSource.CLI
            )
    # an answer given before a feature was withdrawn can still be taken back
    services.set_consent(
        cast.member, Purpose.NEWSLETTER, ConsentIn(granted=False), source=ConsentSource.CLI
    )


def test_the_partner_list_is_public_and_explains_what_partners_see(cast: Cast) -> None:

    page = Client().get(reverse("partners:list")).content.decode()

    assert cast.partner.name in page
    assert cast.other_partner.name in page
    assert "Share my profile with partners" in page


def test_duty_is_granted_by_office_not_by_consent(cast: Cast) -> None:
    outsider = make_member(name="Oona Outside")  # in no group the lead leads, no consent

    assert may(cast.steward, outsider, Sight.DUTY)  # a steward reviews and pays anyone
    assert may(cast.group_lead, cast.member, Sight.DUTY)  # a lead: their group's members
    assert not may(cast.group_lead, outsider, Sight.DUTY)
    assert not may(cast.member, cast.other, Sight.DUTY)  # a plain member: only by consent
    grant(cast.other, Purpose.MEMBER_DIRECTORY)
    assert may(cast.member, cast.other, Sight.DUTY)
    assert not may(cast.partner_rep, cast.other, Sight.DUTY)


def test_a_lead_reviews_their_groups_work_by_name_and_others_anonymously(cast: Cast) -> None:

    def logged(who: Member) -> int:
        c = contributions.record_contribution(
            who,
            contribution_in(
                kind="code", title=f"By {who.display_name}", date=TODAY, level=2,
                group=cast.group,
            ),
        )  # fmt: skip
        return c.pk

    logged(cast.member)
    left = make_member(name="Lou Left")
    add_to_group(left, cast.group)
    logged(left)
    Membership.objects.filter(member=left).update(left_at=timezone.now())

    client = client_for(cast.group_lead)
    page = _names(client, reverse("contributions:queue"))
    api = client.get("/api/v1/contributions/review-queue").json()

    assert "By Mo Member" in page
    assert "By Lou Left" in page  # the work is still the group's to review...
    assert "Mo Member</td>" in page
    assert "Lou Left</td>" not in page  # ...but Lou is no longer the lead's to name
    assert "a member</td>" in page
    handles = {c["title"]: c["member"] for c in api}
    assert handles == {"By Mo Member": cast.member.pseudonym, "By Lou Left": None}


def test_a_rule_built_once_serves_every_query_unchanged(cast: Cast) -> None:
    def profiles(viewer: Member | None) -> str:
        return str(shown_to(viewer, Member.objects.all(), Sight.PROFILE).query)

    first = profiles(cast.member)
    seen = {
        viewer: [
            sorted(shown_to(viewer, Member.objects.all(), sight).values_list("pk", flat=True))
            for sight in Sight
        ]
        for viewer in (cast.member, cast.other, cast.partner_rep, cast.steward, None)
    }
    again = {
        viewer: [
            sorted(shown_to(viewer, Member.objects.all(), sight).values_list("pk", flat=True))
            for sight in Sight
        ]
        for viewer in seen
    }

    grant(cast.other, Purpose.MEMBER_DIRECTORY)
    after_consent = shown_to(cast.member, Member.objects.all(), Sight.PROFILE)

    assert profiles(cast.member) == first  # nothing was added to the shared rule
    assert again == seen
    assert cast.other.pk not in seen[cast.member][0]
    assert cast.other.pk in after_consent.values_list("pk", flat=True)
    assert seen[None][0] == []  # the public sees no profiles
