"""The member directory pages by name without counting or skipping rows."""

import re

import pytest
from allauth.account.signals import email_confirmed
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accord.people import queries, search_index
from accord.people import services as people
from accord.people.models import ConsentSource, GroupRole, Member, Membership, Purpose
from accord.people.schemas import ConsentIn, ErasureIn, GroupRoleIn, ProfilePatch
from tests.conftest import Cast, client_for
from tests.factories import add_to_group, grant, make_group, make_member


def _names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/members/[^"]+/">([^<]+)</a></h3>', html)


@pytest.fixture
def listed(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> list[Member]:
    people = []
    for i in range(7):
        person = make_member(name=f"Zed {i}")
        grant(person, Purpose.MEMBER_DIRECTORY)
        people.append(person)
    make_member(name="Zed 3 hidden")  # never said yes: never listed
    monkeypatch.setattr(queries, "DIRECTORY_PAGE", 3)
    return people


def test_the_directory_pages_in_name_order_with_next_links(
    cast: Cast, listed: list[Member]
) -> None:
    client = client_for(cast.member)
    shown: list[str] = []
    url = "/members/?q=Zed"

    for _ in range(5):
        html = client.get(url).content.decode()
        shown += _names(html)
        found = re.search(r'href="(\?q=Zed&amp;after_name=[^"]+)">Next</a>', html)
        if found is None:
            break
        url = "/members/" + found.group(1).replace("&amp;", "&")

    assert shown == [f"Zed {i}" for i in range(7)]


def test_a_cursor_only_places_the_page_among_visible_members(
    cast: Cast, listed: list[Member]
) -> None:
    hidden = Member.objects.get(display_name="Zed 3 hidden")

    page = queries.directory_page(
        cast.member, search="Zed", after=(hidden.display_name, hidden.pseudonym)
    )
    bogus = queries.directory_page(cast.member, search="Zed", after=("Zed 4\x00", "x"))

    assert [m.display_name for m in page.members] == ["Zed 4", "Zed 5", "Zed 6"]
    assert [m.display_name for m in bogus.members] == ["Zed 0", "Zed 1", "Zed 2"]
    assert bogus.after == ("Zed 2", listed[2].pseudonym)


def test_a_large_group_lists_its_first_members_leads_first_and_counts_the_rest(
    cast: Cast, listed: list[Member], monkeypatch: pytest.MonkeyPatch
) -> None:
    for person in listed:
        add_to_group(person, cast.group)
    cast.group.memberships.filter(member=listed[6]).update(role=GroupRole.LEAD)
    monkeypatch.setattr(queries, "GROUP_LISTED", 3)

    page = queries.group_page(cast.member, cast.group.slug)
    html = client_for(cast.member).get(f"/groups/{cast.group.slug}/").content.decode()

    leads = [m.member.display_name for m in page.shown if m.role == GroupRole.LEAD]
    assert len(page.shown) == 3
    assert "Zed 6" in leads
    assert [m.role for m in page.shown][: len(leads)] == [GroupRole.LEAD] * len(leads)
    assert leads == sorted(leads)
    assert page.listed_count > 3
    assert f"Showing the first 3 of the {page.listed_count} members listed" in html


def test_group_counts_are_read_once_and_follow_joins_and_departures(cast: Cast) -> None:
    before = {n.group.pk: n.member_count for n in queries.group_tree(cast.member)}

    with CaptureQueriesContext(connection) as again:
        queries.group_tree(cast.member)
    for person in [make_member(name=f"Joiner {i}") for i in range(3)]:
        people.join_group(person, cast.group.slug)
    joined = {n.group.pk: n.member_count for n in queries.group_tree(cast.member)}
    people.leave_group(cast.member, cast.group.slug)
    left = {n.group.pk: n.member_count for n in queries.group_tree(cast.member)}

    assert not [q for q in again.captured_queries if "people_membership" in q["sql"]]
    assert joined[cast.group.pk] == before[cast.group.pk] + 3
    assert left[cast.group.pk] == before[cast.group.pk] + 2


@pytest.mark.parametrize("viewer", ["member", "partner_rep", "steward"])
def test_a_large_role_walks_the_directory_and_lists_what_sorting_would(
    cast: Cast, listed: list[Member], monkeypatch: pytest.MonkeyPatch, viewer: str
) -> None:
    shadow = make_member(name="Aaron Shadow")
    grant(shadow, Purpose.MEMBER_DIRECTORY, Purpose.SHARE_PROFILE_WITH_PARTNERS)
    for person in [*listed, shadow, Member.objects.get(display_name="Zed 3 hidden")]:
        add_to_group(person, cast.group)
    cast.group.memberships.filter(member=shadow).update(role=GroupRole.SHADOW)
    cast.group.memberships.filter(member=listed[4]).update(role=GroupRole.CO_LEAD)
    grant(listed[1], Purpose.SHARE_PROFILE_WITH_PARTNERS)
    who = getattr(cast, viewer)
    monkeypatch.setattr(queries, "GROUP_LISTED", 6)

    sorted_page = queries.group_page(who, cast.group.slug)
    monkeypatch.setattr(queries, "WALK_FROM", 1)  # every role walks the name index
    cache.clear()  # not the page kept from the sorted read
    walked = queries.group_page(who, cast.group.slug)
    kept = queries.group_page(who, cast.group.slug)

    names = [m.member.display_name for m in walked.shown]
    assert names == [m.member.display_name for m in sorted_page.shown]
    assert walked.listed_count == sorted_page.listed_count
    assert [m.pk for m in kept.shown] == [m.pk for m in walked.shown]
    assert "Zed 3 hidden" not in names
    if viewer != "partner_rep":
        assert names[:1] == ["Zed 4"]  # the co-lead first; the shadow last, if shown
        assert names[1:] == sorted(names[1:], key=lambda n: (n == "Aaron Shadow", n))


def test_the_listed_count_follows_a_consent_given_after_it_was_counted(
    cast: Cast,
    listed: list[Member],
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    for person in listed:
        add_to_group(person, cast.group)
    newcomer = make_member(name="Zed 9")
    add_to_group(newcomer, cast.group)
    monkeypatch.setattr(queries, "GROUP_LISTED", 3)
    before = queries.group_page(cast.member, cast.group.slug).listed_count

    with django_capture_on_commit_callbacks(execute=True):
        people.set_consent(
            newcomer, Purpose.MEMBER_DIRECTORY, ConsentIn(granted=True), source=ConsentSource.WEB
        )

    assert queries.group_page(cast.member, cast.group.slug).listed_count == before + 1


SEARCHES = ("ada", "ADA", "lovelace", "Ωmega", "ωmega", 'say "hi"', "pyth", "zz-nobody", "an")


@pytest.mark.parametrize("term", SEARCHES)
def test_search_through_the_index_finds_exactly_what_a_full_scan_does(
    cast: Cast, monkeypatch: pytest.MonkeyPatch, term: str
) -> None:
    for name, expertise in [
        ("Ada Lovelace", ["python", "mathematics"]),
        ("Ωmega Ann", ["organising"]),
        ('Said "Hi" Smith', []),
        ("Bea Pythonista", ["facilitation"]),
        ("Ada Quiet", []),
    ]:
        person = make_member(name=name)
        person.expertise = expertise
        person.save()
        grant(person, Purpose.MEMBER_DIRECTORY)

    indexed = [m.pk for m in queries.member_directory(cast.member, search=term)]
    monkeypatch.setattr(queries.search_index, "candidates", lambda term, limit: None)
    scanned = [m.pk for m in queries.member_directory(cast.member, search=term)]

    assert indexed == scanned


def test_the_search_index_follows_renames_and_erasure(cast: Cast) -> None:
    person = make_member(name="Quentin Oldname")
    grant(person, Purpose.MEMBER_DIRECTORY)
    person.display_name = "Quentin Newname"
    person.save()

    found_new = list(queries.member_directory(cast.member, search="newname"))
    found_old = list(queries.member_directory(cast.member, search="oldname"))
    people.erase_member(person, person.pseudonym, ErasureIn(reason=""))
    after_erasure = list(queries.member_directory(cast.member, search="newname"))

    assert [m.pk for m in found_new] == [person.pk]
    assert found_old == []
    assert after_erasure == []


def test_the_api_pages_past_a_long_name_in_any_script(cast: Cast) -> None:
    long_names = ["Александра Владимировна Константинопольская-Добровольская" * 1, "李" * 80]
    for name in long_names:
        grant(make_member(name=name[:80]), Purpose.MEMBER_DIRECTORY)
    client = client_for(cast.member)

    seen, after = [], ""
    for _ in range(50):
        response = client.get("/api/v1/members", {"limit": 1, "after": after})
        assert response.status_code == 200, response.content
        seen += [m["display_name"] for m in response.json()["items"]]
        after = response.json()["next"]
        if after is None:
            break

    assert {name[:80] for name in long_names} <= set(seen)
    assert len(seen) == len(set(seen))


def test_search_triggers_lost_to_a_table_rebuild_are_put_back(cast: Cast) -> None:
    person = make_member(name="Rhea Rebuilt")
    grant(person, Purpose.MEMBER_DIRECTORY)
    if connection.vendor != "sqlite":
        assert search_index.keep_triggers() == []  # PostgreSQL indexes need no triggers
        return
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER people_member_search_update")
    person.display_name = "Rhea Renamed"
    person.save()  # missed by the index: no trigger

    put_back = search_index.keep_triggers()

    assert put_back == ["people_member_search_update"]
    assert search_index.keep_triggers() == []
    assert [m.pk for m in queries.member_directory(cast.member, search="renamed")] == [person.pk]


def test_a_verified_address_makes_group_pages_count_again(cast: Cast) -> None:
    cache.set(queries._listed_key(cast.group.pk), 12345, 60)

    email_confirmed.send(sender=None, request=None, email_address=None)

    assert cache.get(queries._listed_key(cast.group.pk)) is None


@pytest.mark.parametrize("who", ["steward", "group_lead", "member"])
def test_a_group_page_title_is_the_group_name_alone(cast: Cast, who: str) -> None:
    html = client_for(getattr(cast, who)).get(f"/groups/{cast.group.slug}/").content.decode()

    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert title.group(1).startswith(cast.group.name)
    assert "<" not in title.group(1)
    assert "form" not in title.group(1)
    if who != "member":
        assert html.count('id="group-roles"') == 1  # the roles form, once, in the page


def test_a_kept_group_page_never_shows_someone_who_stopped_being_listed(
    cast: Cast, listed: list[Member], monkeypatch: pytest.MonkeyPatch
) -> None:
    zeds = make_group(name="Zeds")
    for person in listed:
        add_to_group(person, zeds)
    monkeypatch.setattr(queries, "GROUP_LISTED", 4)
    first = [m.member.display_name for m in queries.group_page(cast.member, zeds.slug).shown]
    # Consent withdrawn behind the services' back: the kept list is not dropped.
    listed[0].consents.filter(purpose=Purpose.MEMBER_DIRECTORY).update(granted=False)

    page = queries.group_page(cast.member, zeds.slug)
    after = [m.member.display_name for m in page.shown]

    assert first == ["Zed 0", "Zed 1", "Zed 2", "Zed 3"]
    assert after == ["Zed 1", "Zed 2", "Zed 3"]  # one fewer until the list is read again
    assert page.listed_count == 7  # counted (and kept), not the three shown
    cache.clear()
    again = queries.group_page(cast.member, zeds.slug).shown
    assert [m.member.display_name for m in again] == ["Zed 1", "Zed 2", "Zed 3", "Zed 4"]


def test_a_member_listed_only_to_themself_sees_their_place_on_a_kept_page(
    cast: Cast, listed: list[Member], monkeypatch: pytest.MonkeyPatch
) -> None:
    zeds = make_group(name="Zeds")
    hidden = Member.objects.get(display_name="Zed 3 hidden")
    for person in [*listed, hidden]:
        add_to_group(person, zeds)
    monkeypatch.setattr(queries, "GROUP_LISTED", 5)
    others = queries.group_page(cast.member, zeds.slug)  # keeps the members' list

    own = queries.group_page(hidden, zeds.slug)

    assert [m.member.display_name for m in others.shown] == [f"Zed {i}" for i in range(5)]
    assert [m.member.display_name for m in own.shown] == [
        *("Zed 0", "Zed 1", "Zed 2", "Zed 3", "Zed 3 hidden")
    ]
    assert others.listed_count == 7
    assert own.listed_count == 8


def test_a_member_who_joins_as_a_short_list_is_kept_sees_themself(
    cast: Cast, listed: list[Member]
) -> None:
    zeds = make_group(name="Zeds")
    for person in listed[:3]:
        add_to_group(person, zeds)
    queries.group_page(cast.member, zeds.slug)  # keeps the three
    late = make_member(name="Zed 1a")
    grant(late, Purpose.MEMBER_DIRECTORY)
    queries.group_page(cast.member, zeds.slug)  # kept again
    Membership.objects.create(member=late, group=zeds)  # joined as that list was kept

    own = queries.group_page(late, zeds.slug)

    assert [m.member.display_name for m in own.shown] == ["Zed 0", "Zed 1", "Zed 1a", "Zed 2"]


def test_a_renamed_member_takes_their_new_place_on_a_kept_group_page(
    cast: Cast,
    listed: list[Member],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    zeds = make_group(name="Zeds")
    for person in listed:
        add_to_group(person, zeds)
    queries.group_page(cast.member, zeds.slug)

    with django_capture_on_commit_callbacks(execute=True):
        people.update_profile(listed[6], ProfilePatch(display_name="Aaron Zed"))

    names = [m.member.display_name for m in queries.group_page(cast.member, zeds.slug).shown]
    assert names[0] == "Aaron Zed"


def test_kept_directory_cards_show_a_changed_profile_at_once(
    cast: Cast, listed: list[Member]
) -> None:
    client = client_for(cast.member)
    first = client.get("/members/?q=Zed").content.decode()
    people.update_profile(listed[0], ProfilePatch(pronouns="they/them", expertise=["Weaving"]))
    again = client.get("/members/?q=Zed").content.decode()

    assert "they/them" not in first
    assert "they/them" in again
    assert '<span class="tag">weaving</span>' in again.lower()
    assert _names(again) == _names(first) == ["Zed 0", "Zed 1", "Zed 2"]


def test_kept_directory_cards_never_carry_a_member_to_another_reader(
    cast: Cast, listed: list[Member], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(queries, "DIRECTORY_PAGE", 20)
    hidden = Member.objects.get(display_name="Zed 3 hidden")
    own = client_for(hidden).get("/members/?q=Zed").content.decode()  # themself included
    other = client_for(cast.member).get("/members/?q=Zed").content.decode()
    own_again = client_for(hidden).get("/members/?q=Zed").content.decode()

    everyone = [f"Zed {i}" for i in range(7)]
    assert _names(own) == _names(own_again) == [*everyone[:4], "Zed 3 hidden", *everyone[4:]]
    assert _names(other) == everyone


def test_kept_group_cards_show_a_new_role_and_pronouns_at_once(
    cast: Cast,
    listed: list[Member],
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    zeds = make_group(name="Zeds")
    for person in listed[:3]:
        add_to_group(person, zeds)
    add_to_group(cast.member, zeds, role=GroupRole.LEAD)
    client = client_for(cast.member)
    before = client.get(f"/groups/{zeds.slug}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        people.set_group_role(
            cast.member, zeds.slug, GroupRoleIn(member=listed[1].pseudonym, role="co_lead")
        )
        people.update_profile(listed[2], ProfilePatch(pronouns="she/her"))
    after = client.get(f"/groups/{zeds.slug}/").content.decode()

    card = re.compile(
        r'<h3><a href="/members/[^"]+/">Zed 1</a></h3>\s*<span class="muted">([^<]+)<'
    )
    assert card.search(before).group(1) == "Member"  # type: ignore[union-attr]
    assert card.search(after).group(1) == "Co-lead"  # type: ignore[union-attr]
    assert "she/her" not in before
    assert "Member · she/her" in after
