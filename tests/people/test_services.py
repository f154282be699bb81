"""People services: profile, groups, roles and leadership."""

from datetime import date, timedelta

import pytest

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger.models import Entry
from accord.partners.schemas import RepresentativeIn
from accord.partners.services import appoint_representative
from accord.people import queries, services
from accord.people.models import Group, GroupKind, GroupRole, Member, Membership, SiteRole
from accord.people.schemas import (
    ErasureIn,
    GroupArchiveIn,
    GroupIn,
    GroupMergeIn,
    GroupPatch,
    GroupRoleIn,
    LeadershipTermIn,
    ProfilePatch,
    SiteRoleIn,
)
from tests.conftest import Cast, client_for
from tests.factories import add_to_group, make_group, make_member

TODAY = date(2026, 6, 1)


def test_profile_update_validates_everything_before_changing_anything(cast: Cast) -> None:
    m = cast.member

    with pytest.raises(InvalidInput, match="time zone"):
        services.update_profile(m, ProfilePatch(pronouns="they/them", time_zone="Nowhere/Land"))

    m.refresh_from_db()
    assert m.pronouns == ""


def test_a_profile_edit_changes_only_the_actors_own_profile(cast: Cast) -> None:
    services.update_profile(cast.steward, ProfilePatch(bio="about me"))

    cast.member.refresh_from_db()
    cast.steward.refresh_from_db()
    assert cast.member.bio == ""
    assert cast.steward.bio == "about me"


def test_expertise_tags_are_normalised_and_deduplicated(cast: Cast) -> None:
    member = services.update_profile(
        cast.member, ProfilePatch(expertise=["Python", "python ", "Grant Writing"])
    )

    assert member.expertise == ["python", "grant writing"]


def test_leaving_keeps_the_membership_history(cast: Cast) -> None:
    services.leave_group(cast.member, cast.group.slug)

    with pytest.raises(NotFound):
        services.leave_group(cast.member, cast.group.slug)
    services.join_group(cast.member, cast.group.slug)
    assert Membership.objects.filter(member=cast.member, group=cast.group).count() == 2


def test_joining_twice_or_a_missing_group_is_refused(cast: Cast) -> None:
    with pytest.raises(Conflict):
        services.join_group(cast.member, cast.group.slug)
    with pytest.raises(NotFound):
        services.join_group(cast.member, "no-such-group")


def _start(actor: Member, name: str, **fields: object) -> Group:
    return services.create_group(actor, GroupIn(name=name, kind=GroupKind.CHAPTER, **fields))  # type: ignore[arg-type]


def test_groups_nest_to_any_depth(cast: Cast) -> None:
    parent = cast.group
    for depth in range(1, 6):
        parent = _start(cast.steward, f"Level {depth}", parent=parent.slug)

    tree = {n.group.name: n.depth for n in queries.group_tree()}
    assert tree["Level 5"] == 5
    assert [g.name for g in queries.ancestors(parent)][:2] == ["North Chapter", "Level 1"]


def test_any_member_starts_a_group_and_leads_it(cast: Cast) -> None:
    group = _start(cast.member, "Night Owls", description="We meet late.")

    assert Membership.objects.get(group=group, member=cast.member).role == GroupRole.LEAD
    created = Entry.objects.get(kind="group.created")
    appointed = Entry.objects.get(kind="group_role.changed")
    assert (created.actor, created.subject) == (cast.member.pseudonym, group.slug)
    assert "We meet late" not in bytes(created.data).decode()
    assert "description_sha256" in bytes(created.data).decode()
    assert (appointed.actor, appointed.subject) == (cast.member.pseudonym, cast.member.pseudonym)


def test_starting_a_group_refuses_bad_input_and_duplicates(cast: Cast) -> None:
    with pytest.raises(Conflict):
        _start(cast.member, "north chapter")
    with pytest.raises(InvalidInput, match="group kind"):
        services.create_group(cast.member, GroupIn(name="Odd", kind="club"))
    with pytest.raises(InvalidInput, match="term limit"):
        _start(cast.member, "Forever", term_limit=0)
    with pytest.raises(InvalidInput, match="nest under"):
        _start(cast.member, "Orphan", parent="nowhere")
    with pytest.raises(InvalidInput, match="name"):
        _start(cast.member, "   ")

    assert not Entry.objects.filter(kind="group.created").exists()


def test_stewards_and_leads_edit_a_group_and_others_cannot(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.update_group(cast.member, cast.group.slug, GroupPatch(name="Mine now"))

    services.update_group(cast.group_lead, cast.group.slug, GroupPatch(term_limit=3))
    group = services.update_group(
        cast.steward, cast.group.slug, GroupPatch(name="North", description="Hello")
    )

    assert (group.name, group.term_limit, group.description) == ("North", 3, "Hello")
    assert group.slug == cast.group.slug  # links keep working
    kinds = list(Entry.objects.filter(kind="group.updated").values_list("actor", flat=True))
    assert kinds == [cast.group_lead.pseudonym, cast.steward.pseudonym]


def test_a_group_cannot_be_nested_under_its_own_subgroup(cast: Cast) -> None:
    child = _start(cast.steward, "Child", parent=cast.group.slug)

    with pytest.raises(InvalidInput, match="under itself"):
        services.update_group(cast.steward, cast.group.slug, GroupPatch(parent=child.slug))


def test_only_stewards_archive_and_an_archived_group_cannot_be_joined(cast: Cast) -> None:
    newcomer = make_member()
    with pytest.raises(Forbidden):
        services.archive_group(cast.group_lead, cast.group.slug, GroupArchiveIn(reason="x"))

    services.archive_group(cast.steward, cast.group.slug, GroupArchiveIn(reason="Dormant"))

    with pytest.raises(Conflict, match="archived"):
        services.join_group(newcomer, cast.group.slug)
    with pytest.raises(Conflict):
        services.archive_group(cast.steward, cast.group.slug, GroupArchiveIn(reason=""))
    assert cast.group.slug not in {n.group.slug for n in queries.group_tree(cast.member)}
    assert Membership.objects.filter(group=cast.group, left_at__isnull=True).count() == 3
    entry = Entry.objects.get(kind="group.archived")
    assert "Dormant" not in bytes(entry.data).decode()


def test_merging_moves_active_members_closes_duplicates_and_archives(cast: Cast) -> None:
    into = make_group(name="South Chapter")
    add_to_group(cast.other, into)  # already in both

    with pytest.raises(Forbidden):
        services.merge_group(cast.group_lead, cast.group.slug, GroupMergeIn(into=into.slug))
    with pytest.raises(InvalidInput):
        services.merge_group(cast.steward, cast.group.slug, GroupMergeIn(into=cast.group.slug))
    merge = services.merge_group(cast.steward, cast.group.slug, GroupMergeIn(into=into.slug))

    assert (merge.moved, merge.closed) == (2, 1)
    active = Membership.objects.filter(left_at__isnull=True)
    assert not active.filter(group=cast.group).exists()
    assert set(active.filter(group=into).values_list("member_id", flat=True)) == {
        cast.member.pk,
        cast.other.pk,
        cast.group_lead.pk,
    }
    assert Membership.objects.filter(group=cast.group).count() == 3  # history kept
    cast.group.refresh_from_db()
    assert cast.group.is_archived
    entry = Entry.objects.get(kind="group.merged")
    assert (entry.actor, entry.subject) == (cast.steward.pseudonym, cast.group.slug)


def test_a_lead_can_change_roles_in_their_group_only(cast: Cast) -> None:
    services.set_group_role(
        cast.steward, cast.group.slug, GroupRoleIn(member=cast.member.pseudonym, role="lead")
    )
    elsewhere = make_group()
    add_to_group(cast.other, elsewhere)

    services.set_group_role(
        cast.member, cast.group.slug, GroupRoleIn(member=cast.other.pseudonym, role="shadow")
    )
    with pytest.raises(Forbidden):
        services.set_group_role(
            cast.member, elsewhere.slug, GroupRoleIn(member=cast.other.pseudonym, role="lead")
        )
    with pytest.raises(Forbidden):
        services.set_group_role(
            cast.other, cast.group.slug, GroupRoleIn(member=cast.other.pseudonym, role="lead")
        )

    assert Membership.objects.get(member=cast.other, group=cast.group).role == GroupRole.SHADOW


def test_group_role_input_is_checked(cast: Cast) -> None:
    with pytest.raises(InvalidInput, match="group role"):
        services.set_group_role(
            cast.steward, cast.group.slug, GroupRoleIn(member=cast.member.pseudonym, role="boss")
        )
    with pytest.raises(NotFound):
        services.set_group_role(
            cast.steward, cast.group.slug, GroupRoleIn(member=cast.steward.pseudonym, role="lead")
        )


def test_offices_are_named_and_plain_roles_are_blinded(cast: Cast) -> None:
    services.set_group_role(
        cast.steward, cast.group.slug, GroupRoleIn(member=cast.member.pseudonym, role="co_lead")
    )
    services.set_group_role(
        cast.steward, cast.group.slug, GroupRoleIn(member=cast.other.pseudonym, role="shadow")
    )

    office, plain = Entry.objects.filter(kind="group_role.changed").order_by("seq")
    assert (office.actor, office.subject) == (cast.steward.pseudonym, cast.member.pseudonym)
    assert cast.other.pseudonym not in f"{plain.subject}{bytes(plain.data).decode()}"
    assert "commitment" in bytes(plain.data).decode()


def test_site_roles_are_set_by_stewards(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.set_site_role(cast.member, cast.other.pseudonym, SiteRoleIn(role="steward"))
    with pytest.raises(InvalidInput):
        services.set_site_role(cast.steward, cast.member.pseudonym, SiteRoleIn(role="partner_rep"))
    with pytest.raises(InvalidInput):
        services.set_site_role(cast.steward, cast.member.pseudonym, SiteRoleIn(role="king"))
    with pytest.raises(Forbidden, match="own"):
        services.set_site_role(cast.steward, cast.steward.pseudonym, SiteRoleIn(role="member"))
    with pytest.raises(NotFound):
        services.set_site_role(cast.steward, "m-nobody", SiteRoleIn(role="auditor"))

    services.set_site_role(cast.steward, cast.member.pseudonym, SiteRoleIn(role="auditor"))

    cast.member.refresh_from_db()
    assert cast.member.role == SiteRole.AUDITOR
    entry = Entry.objects.get(kind="role.changed")
    assert (entry.actor, entry.subject) == (cast.steward.pseudonym, cast.member.pseudonym)


def test_a_steward_erases_on_request_with_a_reason_by_email_or_handle(cast: Cast) -> None:
    with pytest.raises(Forbidden):
        services.erase_member(cast.other, cast.member.pseudonym, ErasureIn(reason="x"))
    with pytest.raises(InvalidInput, match="why"):
        services.erase_member(cast.steward, cast.member.pseudonym, ErasureIn(reason=" "))

    erased = services.erase_member(
        cast.steward, cast.member.user.email, ErasureIn(reason="Asked by letter")
    )

    assert erased.erased_at is not None
    entry = Entry.objects.get(kind="member.erased")
    assert "Asked by letter" not in bytes(entry.data).decode()
    with pytest.raises(NotFound):
        services.erase_member(cast.steward, erased.pseudonym, ErasureIn(reason="again"))


def test_a_partner_representative_is_bound_to_one_partner(cast: Cast) -> None:
    handle = RepresentativeIn(member=cast.member.pseudonym)
    rep = appoint_representative(cast.steward, cast.partner.slug, handle)
    appoint_representative(cast.steward, cast.other_partner.slug, handle)

    member = Member.objects.get(pk=cast.member.pk)
    assert member.role == SiteRole.PARTNER_REP
    assert member.representation.partner == cast.other_partner
    assert rep.member == cast.member
    assert not member.user.is_staff


def test_stewards_get_the_admin_flag(cast: Cast) -> None:
    services.set_site_role(cast.steward, cast.member.pseudonym, SiteRoleIn(role="steward"))

    cast.member.user.refresh_from_db()
    assert cast.member.user.is_staff


def _term(cast: Cast, who: Member, start: date, days: int = 364, role: str = "lead") -> None:
    data = LeadershipTermIn(
        member=who.pseudonym, role=role, start=start, end=start + timedelta(days=days)
    )
    services.add_leadership_term(cast.steward, cast.group.slug, data)


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
    _term(cast, cast.other, TODAY + timedelta(days=100), role="co_lead")  # co-leads may overlap
    with pytest.raises(InvalidInput):
        _term(cast, cast.other, TODAY, days=-1)
    with pytest.raises(InvalidInput, match="lead or a co-lead"):
        _term(cast, cast.other, TODAY, role="shadow")
    assert Entry.objects.filter(kind="leadership_term.recorded").count() == 2


def test_only_stewards_record_terms_and_the_ledger_names_the_office(cast: Cast) -> None:
    data = LeadershipTermIn(member=cast.member.pseudonym, start=TODAY, end=TODAY)
    with pytest.raises(Forbidden):
        services.add_leadership_term(cast.group_lead, cast.group.slug, data)
    with pytest.raises(NotFound):
        services.add_leadership_term(cast.steward, "no-group", data)

    services.add_leadership_term(cast.steward, cast.group.slug, data)

    entry = Entry.objects.get(kind="leadership_term.recorded")
    assert (entry.actor, entry.subject) == (cast.steward.pseudonym, cast.member.pseudonym)


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
