"""People services: profile, groups, roles and leadership."""

from datetime import date, timedelta

import pytest

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.partners.services import appoint_representative
from accord.people import queries, services
from accord.people.models import GroupKind, GroupRole, Member, Membership, SiteRole
from tests.conftest import Cast, client_for
from tests.factories import make_group, make_member

TODAY = date(2026, 6, 1)


def test_profile_update_validates_everything_before_changing_anything(cast: Cast) -> None:
    m = cast.member

    with pytest.raises(InvalidInput, match="time zone"):
        services.update_profile(m, m, pronouns="they/them", time_zone="Nowhere/Land")

    m.refresh_from_db()
    assert m.pronouns == ""


def test_profile_is_edited_only_by_its_member(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.update_profile(cast.steward, cast.member, bio="edited by someone else")


def test_expertise_tags_are_normalised_and_deduplicated(cast: Cast) -> None:
    services.update_profile(cast.member, cast.member, expertise="Python, python , Grant Writing")

    assert cast.member.expertise == ["python", "grant writing"]


def test_leaving_keeps_the_membership_history(cast: Cast) -> None:
    services.leave_group(cast.member, cast.group)

    with pytest.raises(NotFound):
        services.leave_group(cast.member, cast.group)
    services.join_group(cast.member, cast.group)
    assert Membership.objects.filter(member=cast.member, group=cast.group).count() == 2


def test_groups_nest_to_any_depth(cast: Cast) -> None:
    parent = cast.group
    for depth in range(1, 6):
        parent = services.create_group(
            cast.steward, name=f"Level {depth}", kind=GroupKind.WORKING_GROUP, parent=parent
        )

    tree = {n.group.name: n.depth for n in queries.group_tree()}
    assert tree["Level 5"] == 5
    assert [g.name for g in queries.ancestors(parent)][:2] == ["North Chapter", "Level 1"]


def test_only_stewards_create_groups_and_names_are_unique(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.create_group(cast.member, name="Mine", kind=GroupKind.CHAPTER)
    with pytest.raises(Conflict):
        services.create_group(cast.steward, name="North Chapter", kind=GroupKind.CHAPTER)
    with pytest.raises(InvalidInput):
        services.create_group(cast.steward, name="Odd", kind="club")


def test_a_lead_can_change_roles_in_their_group_only(cast: Cast) -> None:
    services.set_group_role(cast.steward, cast.group, cast.member, GroupRole.LEAD)
    elsewhere = make_group()

    services.set_group_role(cast.member, cast.group, cast.other, GroupRole.SHADOW)
    with pytest.raises(Forbidden):
        services.set_group_role(cast.member, elsewhere, cast.other, GroupRole.LEAD)

    assert Membership.objects.get(member=cast.other, group=cast.group).role == GroupRole.SHADOW


def test_site_roles_are_set_by_stewards(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.set_site_role(cast.member, cast.member, SiteRole.STEWARD)
    with pytest.raises(InvalidInput):
        services.set_site_role(cast.steward, cast.member, SiteRole.PARTNER_REP)
    with pytest.raises(Conflict):
        services.set_site_role(cast.steward, cast.steward, SiteRole.MEMBER)

    services.set_site_role(cast.steward, cast.member, SiteRole.AUDITOR)

    cast.member.refresh_from_db()
    assert cast.member.role == SiteRole.AUDITOR


def test_a_partner_representative_is_bound_to_one_partner(cast: Cast) -> None:
    rep = appoint_representative(cast.steward, cast.member, cast.partner)
    appoint_representative(cast.steward, cast.member, cast.other_partner)

    member = Member.objects.get(pk=cast.member.pk)
    assert member.role == SiteRole.PARTNER_REP
    assert member.representation.partner == cast.other_partner
    assert rep.member == cast.member
    assert not member.user.is_staff


def test_stewards_get_the_admin_flag(cast: Cast) -> None:
    services.set_site_role(cast.steward, cast.member, SiteRole.STEWARD)

    cast.member.user.refresh_from_db()
    assert cast.member.user.is_staff


def _term(cast: Cast, who: Member, start: date, days: int = 364) -> None:
    services.add_leadership_term(
        cast.steward, cast.group, who, start=start, end=start + timedelta(days=days)
    )


def test_terms_ending_soon(cast: Cast) -> None:
    _term(cast, cast.member, TODAY - timedelta(days=300))

    assert [t.member for t in queries.terms_ending_within(90, today=TODAY)] == [cast.member]
    assert list(queries.terms_ending_within(30, today=TODAY)) == []


def test_leads_over_the_limit(cast: Cast) -> None:
    for k in range(3):
        _term(cast, cast.member, TODAY - timedelta(days=365 * (2 - k) + 10))

    over = queries.terms_over_limit(today=TODAY)

    assert [(o.member, o.consecutive, o.limit) for o in over] == [(cast.member, 3, 2)]


def test_groups_without_successor(cast: Cast) -> None:
    _term(cast, cast.member, TODAY - timedelta(days=10))
    assert list(queries.groups_without_successor(today=TODAY)) == [cast.group]

    _term(cast, cast.other, TODAY + timedelta(days=355))

    assert list(queries.groups_without_successor(today=TODAY)) == []


def test_overlapping_lead_terms_are_refused(cast: Cast) -> None:
    _term(cast, cast.member, TODAY)

    with pytest.raises(Conflict):
        _term(cast, cast.other, TODAY + timedelta(days=100))
    with pytest.raises(InvalidInput):
        services.add_leadership_term(
            cast.steward, cast.group, cast.other, start=TODAY, end=TODAY - timedelta(days=1)
        )


def test_leadership_page_is_for_stewards(cast: Cast) -> None:

    _term(cast, cast.member, TODAY - timedelta(days=300))
    page = client_for(cast.steward).get("/leadership/")

    assert page.status_code == 200
    assert "Groups whose lead has no successor" in page.content.decode()


def test_profile_form_shows_errors_and_keeps_the_old_values(cast: Cast) -> None:

    response = client_for(cast.member).post(
        "/me/profile/",
        {
            "display_name": "",
            "pronouns": "x",
            "bio": "",
            "expertise": "",
            "time_zone": "UTC",
            "accessibility_needs": "",
        },
    )

    assert response.status_code == 422
    assert "This field is required" in response.content.decode()
    cast.member.refresh_from_db()
    assert cast.member.display_name == "Mo Member"
    assert cast.member.pronouns == ""


def test_new_members_get_a_random_pseudonym(db: None) -> None:
    a, b = make_member(), make_member()

    assert a.pseudonym != b.pseudonym
    assert a.pseudonym.startswith("m-")
    assert a.display_name not in a.pseudonym
