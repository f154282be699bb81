"""Reads about people and groups, shaped for pages, the API and exports.

Consent chokepoint: every listing, page, export and API response that shows a member goes
through `accord.people.visibility` (`may` for one member, `shown_to` for a queryset).
"""

import base64
import binascii
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import groupby
from typing import Any, Protocol

from django.apps import apps
from django.core.cache import cache
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, When

from accord.domain.disclosure import Cell, Hidden, Published, suppress_counts
from accord.domain.errors import InvalidInput, NotFound
from accord.domain.leadership import consecutive_terms
from accord.people import permissions, search_index
from accord.people.models import (
    OFFERED_PURPOSES,
    AccessToken,
    Consent,
    ConsentEvent,
    Group,
    GroupKind,
    GroupRole,
    LeadershipTerm,
    Member,
    Membership,
    PartnerConsent,
    Purpose,
)
from accord.people.visibility import (
    LEADS,
    Audience,
    Sight,
    audience_of,
    is_verified,
    may,
    shown_to,
    shown_to_audience,
)
from accord.web.inputs import storable
from accord.web.kept import shown_key

# Member directory -----------------------------------------------------------------


# On SQLite, a search term found in at most this many members is read through the search
# index; a commoner one is read in name order, where a page fills quickly. (PostgreSQL's
# planner makes that choice itself, from its statistics on the trigram-indexed columns.)
SEARCH_NARROW = 500


def member_directory(viewer: Member | None, *, search: str = "") -> QuerySet[Member]:
    """The members `viewer` may see: those who chose to be shown to the viewer's audience
    (members, or partners), plus the viewer themself."""
    members = Member.objects.all()
    if not storable(search):
        return members.none()
    if search:
        narrowed = search_index.candidates(search, limit=SEARCH_NARROW)
        if narrowed is not None:
            members = members.filter(pk__in=narrowed)
        members = members.filter(search_index.matching(search))
    return shown_to(viewer, members, Sight.PROFILE, in_name_order=True).order_by(
        "display_name", "pseudonym"
    )


DIRECTORY_PAGE = 50
# What the directory's page and the API's list show of each member.
DIRECTORY_FIELDS = ("pseudonym", "display_name", "pronouns", "bio", "expertise", "time_zone")


@dataclass(frozen=True)
class DirectoryPage:
    members: list[Member]
    after: tuple[str, str] | None  # where the next page starts (name, handle), if any

    @property
    def cards_key(self) -> str:
        """What the page's member cards show, as one key for the kept HTML (web.kept)."""
        return shown_key(
            (m.pseudonym, m.display_name, m.pronouns, m.expertise) for m in self.members
        )


def directory_page(
    viewer: Member | None,
    *,
    search: str = "",
    after: tuple[str, str] | None = None,
    size: int | None = None,
) -> DirectoryPage:
    """One page of the directory in name order, after the member (display name, public
    handle) `after`: read in order from the (display_name, pseudonym) index and stopped at
    `size`, with no count and no OFFSET, so any page of 100,000 members costs the same.
    The cursor only places the page among those the viewer may see."""
    members = member_directory(viewer, search=search)
    if after is not None and storable(after[0]) and storable(after[1]):
        name, handle = after
        members = members.filter(
            Q(display_name__gt=name) | Q(display_name=name, pseudonym__gt=handle)
        )
    size = size or DIRECTORY_PAGE
    rows = list(members.only(*DIRECTORY_FIELDS)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return DirectoryPage(rows, (rows[-1].display_name, rows[-1].pseudonym) if more else None)


def directory_cursor(after: tuple[str, str] | None) -> str | None:
    """A page's `after` as one opaque string for the API's `next` (None on the last page)."""
    if after is None:
        return None
    text = json.dumps(list(after), ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def parse_directory_cursor(cursor: str) -> tuple[str, str] | None:
    """The (name, handle) an API `next` stands for; "" is the first page. Anything this
    list did not give is refused (InvalidInput), never guessed at."""
    if not cursor:
        return None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error):
        value = None
    if (
        not isinstance(value, list)
        or len(value) != 2  # a name and a handle
        or not all(isinstance(v, str) and storable(v) for v in value)
    ):
        raise InvalidInput("`after` is not a cursor this list gave: pass its `next` as it is.")
    return value[0], value[1]


def visible_member(viewer: Member | None, pseudonym: str) -> Member | None:
    """One member's profile if they allow it to be shown to `viewer`, else None."""
    if not storable(pseudonym):
        return None
    member = Member.objects.filter(pseudonym=pseudonym).first()
    if member is None or not may(viewer, member, Sight.PROFILE):
        return None
    return member


EXPORT_COLUMNS = ("pseudonym", "display_name", "pronouns", "expertise", "time_zone")


def member_export_rows(viewer: Member | None) -> list[tuple[str, ...]]:
    """The member directory as rows for a CSV export: the same members the page shows."""
    return [
        (m.pseudonym, m.display_name, m.pronouns, " ".join(m.expertise), m.time_zone)
        for m in member_directory(viewer)
    ]


# Groups -------------------------------------------------------------------------


def _published(
    viewer: Member | None,
    counts: dict[str, int],
    *,
    total: int | None = None,
    known: frozenset[str] = frozenset(),
) -> Published:
    """Counts of people as `viewer` may see them: members see the community's own figures;
    partners (outsiders) see them through the small-numbers rule."""
    if audience_of(viewer) == Audience.MEMBERS:
        return Published(counts, total=total)
    return suppress_counts(counts, total=total, known=known)


@dataclass(frozen=True)
class GroupNode:
    group: Group
    depth: int
    member_count: Cell


GROUP_COUNTS, GROUP_COUNTS_TTL = "people:group-role-counts", 60


class _Reads(Protocol):
    """The shared cache, or what a page read from it in one `get_many` (a dict)."""

    def get(self, key: str) -> Any: ...


def role_counts(group_ids: Iterable[int], *, kept: _Reads = cache) -> dict[int, dict[str, int]]:
    """Each group's active members by role, counted over every membership once and kept in
    the shared cache: the services that add or end memberships, or change a role, drop it
    when they commit, and it lives at most GROUP_COUNTS_TTL seconds (a count read while one
    commits is not kept for longer)."""
    wanted = set(group_ids)
    counts: dict[int, dict[str, int]] | None = kept.get(GROUP_COUNTS)
    if counts is None or not wanted <= counts.keys():
        counts = {pk: {} for pk in Group.objects.values_list("pk", flat=True)}
        rows = (
            Membership.objects.filter(left_at__isnull=True)
            .order_by()
            .values("group", "role")
            .annotate(n=Count("pk"))
            .values_list("group", "role", "n")
        )
        for group, role, n in rows:
            counts.setdefault(group, {})[role] = n
        cache.set(GROUP_COUNTS, counts, GROUP_COUNTS_TTL)
    return {pk: counts.get(pk, {}) for pk in wanted}


def active_member_counts(group_ids: Iterable[int]) -> dict[int, int]:
    """Each group's active members (see `role_counts`)."""
    return {pk: sum(roles.values()) for pk, roles in role_counts(group_ids).items()}


def group_counts_changed() -> None:
    """Memberships were added or ended, a role changed, or someone's consent or address
    changed: the next group list and group page count again."""
    groups = Group.objects.values_list("pk", flat=True)
    keys = [key for pk in groups for key in (_listed_key(pk), _first_key(pk))]
    cache.delete_many([GROUP_COUNTS, *keys])


def _listed_key(group_id: int) -> str:
    return f"people:group-listed:{group_id}"


def _first_key(group_id: int) -> str:
    return f"people:group-first:{group_id}"


def group_tree(viewer: Member | None = None) -> list[GroupNode]:
    """All groups in tree order (parents before children), with their active member count
    as the viewer may see it."""
    groups = list(Group.objects.filter(archived_at__isnull=True).order_by("name", "id"))
    members = active_member_counts(g.pk for g in groups)
    children: dict[int | None, list[Group]] = {}
    for g in groups:
        children.setdefault(g.parent_id, []).append(g)
    out: list[GroupNode] = []
    counts = _published(viewer, {str(g.pk): members[g.pk] for g in groups}).cells

    def walk(parent_id: int | None, depth: int) -> None:
        for g in children.get(parent_id, []):
            out.append(GroupNode(g, depth, counts[str(g.pk)]))
            walk(g.pk, depth + 1)

    walk(None, 0)
    return out


def ancestors(group: Group) -> list[Group]:
    """From the root down to the group's parent."""
    chain: list[Group] = []
    seen = {group.pk}
    current = group.parent
    while current is not None and current.pk not in seen:
        chain.append(current)
        seen.add(current.pk)
        current = current.parent
    return chain[::-1]


GROUP_LISTED = 50  # a group page lists its first 50 listed members (leads first)


@dataclass(frozen=True)
class GroupPage:
    group: Group
    ancestors: list[Group]
    subgroups: list[Group]
    shown: list[Membership]  # leads first, then by name; at most GROUP_LISTED
    member_count: Cell
    unlisted_count: Cell
    viewer_membership: Membership | None
    can_edit: bool = False  # stewards and the group's leads
    can_set_roles: bool = False
    can_manage: bool = False  # stewards: archive and merge
    merge_targets: tuple[Group, ...] = ()
    listed_count: int = 0  # all who chose to be listed, shown or not

    @property
    def cards_key(self) -> str:
        """What the page's member cards show, as one key for the kept HTML (web.kept)."""
        return shown_key(
            (m.member.pseudonym, m.member.display_name, m.role, m.member.pronouns)
            for m in self.shown
        )


# What a group page and the API's group show of each listed membership.
_LISTED_FIELDS = ("role", "group", "member", *(f"member__{f}" for f in DIRECTORY_FIELDS))


def _with_members(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    """Memberships read with what a listing shows of their members, in the same query."""
    return memberships.select_related("member").only(*_LISTED_FIELDS)


# A role with at least this many active members in a group is listed by walking the member
# directory in name order (stopping at the page), not by sorting every membership.
WALK_FROM = 1_000


def _listed_first(
    active: QuerySet[Membership], visible: QuerySet[Member], by_role: dict[str, int]
) -> list[Membership]:
    """The first GROUP_LISTED of `active` whose member is in `visible`: leads, co-leads,
    members, then shadows, each in name order. A large role is read from the directory's
    name index and stopped at the page, so a group of 10,000 costs what one of 50 does."""
    is_visible = Exists(visible.filter(pk=OuterRef("member_id")))
    if all(n < WALK_FROM for n in by_role.values()):  # a small group: one sorted read
        role_order = Case(*(When(role=r, then=i) for i, r in enumerate(GroupRole.values)))
        return list(
            _with_members(active.filter(is_visible)).order_by(
                role_order, "member__display_name", "member__pseudonym"
            )[:GROUP_LISTED]
        )
    shown: list[Membership] = []
    for role in GroupRole.values:
        room = GROUP_LISTED - len(shown)
        if room <= 0:
            break
        if by_role.get(role, 0) < WALK_FROM:
            shown += _with_members(active.filter(is_visible, role=role)).order_by(
                "member__display_name", "member__pseudonym"
            )[:room]
            continue
        ids = list(
            visible.filter(Exists(active.filter(member=OuterRef("pk"), role=role)))
            .order_by("display_name", "pseudonym")
            .values_list("pk", flat=True)[:room]
        )
        found = {
            m.member_id: m for m in _with_members(active.filter(role=role, member_id__in=ids))
        }
        shown += [found[pk] for pk in ids if pk in found]
    return shown


def _listed_first_for_members(
    group: Group,
    active: QuerySet[Membership],
    visible: QuerySet[Member],
    by_role: dict[str, int],
    viewer_membership: Membership | None,
    *,
    kept: _Reads = cache,
) -> tuple[list[Membership], int] | None:
    """`_listed_first` for a viewer the members' rule already places (shown by their own
    consent, or not in the group): the page's membership ids under that rule are kept in
    the shared cache (dropped with the group counts, at most GROUP_COUNTS_TTL seconds old),
    and the rows are read by id with the viewer's own rule applied again, so a kept list
    can only show fewer people than it should, never one who may not be shown.

    Returns the rows and how many the kept list held; None when a short kept list lacks
    the viewer's own membership (they joined as it was read): the caller reads afresh."""
    ids: list[int] | None = kept.get(_first_key(group.pk))
    if ids is None:
        by_rule = shown_to_audience(Audience.MEMBERS, Member.objects.all(), Sight.PROFILE)
        ids = [m.pk for m in _listed_first(active, by_rule, by_role)]
        cache.set(_first_key(group.pk), ids, GROUP_COUNTS_TTL)
    if (
        viewer_membership is not None
        and viewer_membership.pk not in ids
        and len(ids) < GROUP_LISTED
    ):
        return None
    found = active.filter(Exists(visible.filter(pk=OuterRef("member_id"))), pk__in=ids)
    rows = {m.pk: m for m in _with_members(found).order_by()}  # placed in `ids`' order
    return [rows[pk] for pk in ids if pk in rows], len(ids)


def _only_self_lists(viewer: Member | None, viewer_membership: Membership | None) -> bool:
    """The viewer is in the group and listed only because it is them (their consent does
    not list them to other members)."""
    return (
        viewer is not None
        and viewer_membership is not None
        and not shown_to_audience(
            Audience.MEMBERS, Member.objects.filter(pk=viewer.pk), Sight.PROFILE
        ).exists()
    )


def _listed_count(
    viewer: Member | None,
    group: Group,
    active: QuerySet[Membership],
    visible: QuerySet[Member],
    *,
    only_self: bool,
    kept: _Reads = cache,
) -> int:
    """How many of the group's active members `viewer` sees listed. For members, the count
    under the members' rule is kept in the shared cache (dropped by the services that
    change memberships or consent, and at most GROUP_COUNTS_TTL seconds old), with the
    viewer added when only being themself lists them."""
    if audience_of(viewer) != Audience.MEMBERS or viewer is None:
        return active.filter(Exists(visible.filter(pk=OuterRef("member_id")))).count()
    counted: int | None = kept.get(_listed_key(group.pk))
    if counted is None:
        by_rule = shown_to_audience(Audience.MEMBERS, Member.objects.all(), Sight.PROFILE)
        counted = active.filter(Exists(by_rule.filter(pk=OuterRef("member_id")))).count()
        cache.set(_listed_key(group.pk), counted, GROUP_COUNTS_TTL)
    return counted + int(only_self)


def group_page(viewer: Member | None, slug: str) -> GroupPage:
    """A group with its members shown only as their consent allows; others are counted.
    An archived group keeps its page (its history), without the forms that change it."""
    # with its parent and grandparent, for the breadcrumb (`ancestors`)
    group = Group.objects.select_related("parent__parent").filter(slug=slug).first()
    if group is None:
        raise NotFound("No such group.")
    active = Membership.objects.filter(group=group, left_at__isnull=True)
    # Everything the page may keep, asked for in one round trip.
    kept_reads = cache.get_many([GROUP_COUNTS, _first_key(group.pk), _listed_key(group.pk)])
    by_role = role_counts([group.pk], kept=kept_reads)[group.pk]
    # (at most one: read without the default order's join to the group)
    viewer_membership = (
        active.filter(member=viewer).order_by().first() if viewer is not None else None
    )
    members_rule = audience_of(viewer) == Audience.MEMBERS
    only_self = members_rule and _only_self_lists(viewer, viewer_membership)
    kept = None
    if members_rule and not only_self:
        # Rows read by id: the name-order check `in_name_order` makes would be a query spent.
        visible = shown_to(viewer, Member.objects.all(), Sight.PROFILE)
        kept = _listed_first_for_members(
            group, active, visible, by_role, viewer_membership, kept=kept_reads
        )
    if kept is None:
        visible = shown_to(viewer, Member.objects.all(), Sight.PROFILE, in_name_order=True)
        shown = _listed_first(active, visible, by_role)
        full = len(shown) >= GROUP_LISTED
    else:
        shown, held = kept
        full = held >= GROUP_LISTED  # a full kept list may have lost someone on reading
    listed_count = (
        _listed_count(viewer, group, active, visible, only_self=only_self, kept=kept_reads)
        if full
        else len(shown)
    )
    total = sum(by_role.values())
    # Those listed are counted by anyone who reads the page: the rest is what may be small.
    counts = _published(
        viewer,
        {"listed": listed_count, "unlisted": total - listed_count},
        total=total,
        known=frozenset({"listed"}),
    )
    live = viewer is not None and not group.is_archived
    # One active membership per member and group: the viewer's says whether they lead it.
    leads = viewer_membership is not None and viewer_membership.role in LEADS
    can_set_roles = live and permissions.can_set_group_role(viewer, group, leads=leads)  # type: ignore[arg-type]
    can_manage = live and permissions.can_manage_groups(viewer)
    return GroupPage(
        group=group,
        ancestors=ancestors(group),
        subgroups=list(group.children.filter(archived_at__isnull=True).order_by("name")),
        shown=shown,
        listed_count=listed_count,
        member_count=Hidden(small=True) if counts.total is None else counts.total,
        unlisted_count=counts.cells["unlisted"],
        viewer_membership=viewer_membership,
        can_edit=live and permissions.can_edit_group(viewer, group, leads=leads),  # type: ignore[arg-type]
        can_set_roles=can_set_roles,
        can_manage=can_manage,
        merge_targets=tuple(
            Group.objects.filter(archived_at__isnull=True).exclude(pk=group.pk).order_by("name")
        )
        if can_manage
        else (),
    )


def editable_group(viewer: Member, slug: str) -> Group:
    """The group for its edit form: the form is only for those who may edit it."""
    group = Group.objects.filter(slug=slug, archived_at__isnull=True).first()
    if group is None or not permissions.can_edit_group(viewer, group):
        raise NotFound("No such group to edit.")
    return group


def group_kinds() -> list[tuple[str, str]]:
    return list(GroupKind.choices)


def active_groups() -> QuerySet[Group]:
    return Group.objects.filter(archived_at__isnull=True).order_by("name", "id")


def groups_of(member: Member) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(member=member, left_at__isnull=True, group__archived_at=None)
        .select_related("group")
        .order_by("group__name")
    )


# Consent ------------------------------------------------------------------------


@dataclass(frozen=True)
class ConsentRow:
    purpose: str
    label: str
    explanation: str
    where: str
    url_name: str
    granted: bool
    updated_at: datetime | None


def consents_for(member: Member) -> list[ConsentRow]:
    """Every offered purpose with the member's current answer; never answered is no."""
    current = {c.purpose: c for c in Consent.objects.filter(member=member)}
    rows = []
    for purpose, use in OFFERED_PURPOSES.items():
        c = current.get(purpose)
        rows.append(
            ConsentRow(
                purpose=purpose,
                label=Purpose(purpose).label,
                explanation=use.explanation,
                where=use.where,
                url_name=use.url_name,
                granted=bool(c and c.granted),
                updated_at=c.updated_at if c else None,
            )
        )
    return rows


def consent_row(member: Member, purpose: str) -> ConsentRow:
    """One purpose's row; a purpose that is not offered says so (it can only be off)."""
    rows = {r.purpose: r for r in consents_for(member)}
    if purpose in rows:
        return rows[purpose]
    c = Consent.objects.filter(member=member, purpose=purpose).first()
    return ConsentRow(
        purpose=purpose,
        label=Purpose(purpose).label,
        explanation="Not offered: nothing uses it.",
        where="",
        url_name="people:consents",
        granted=bool(c and c.granted),
        updated_at=c.updated_at if c else None,
    )


def consent_history(member: Member, *, limit: int = 50) -> QuerySet[ConsentEvent]:
    return (
        ConsentEvent.objects.filter(member=member)
        .select_related("partner")
        .order_by("-at", "-id")[:limit]
    )


@dataclass(frozen=True)
class PartnerConsentRow:
    """One partner and the member's answer to sharing who they are with it."""

    partner: str  # the partner's slug
    name: str
    granted: bool
    updated_at: datetime | None


def partner_consents_for(member: Member) -> list[PartnerConsentRow]:
    """Every partner, in name order, with the member's answer; never answered is no.
    (Partners sit above people: their table is reached by app label.)"""
    partners = apps.get_model("partners", "Partner")._default_manager.order_by("name")
    current = {c.partner_id: c for c in PartnerConsent.objects.filter(member=member)}
    rows = []
    for p in partners:
        c = current.get(p.pk)
        rows.append(
            PartnerConsentRow(
                partner=p.slug,
                name=p.name,
                granted=c is not None and c.granted,
                updated_at=c.updated_at if c is not None else None,
            )
        )
    return rows


def partner_consent_row(member: Member, partner_slug: str) -> PartnerConsentRow:
    for row in partner_consents_for(member):
        if row.partner == partner_slug:
            return row
    raise NotFound(f"No partner {partner_slug!r}.")


@dataclass(frozen=True)
class Activity:
    at: datetime
    text: str


def recent_activity(member: Member, *, limit: int = 10) -> list[Activity]:
    """The member's own recent actions: consent changes and group joins and departures."""
    items = [
        Activity(e.at, f"{'Turned on' if e.granted else 'Turned off'}: {e.get_purpose_display()}")
        for e in consent_history(member, limit=limit)
    ]
    for m in (
        Membership.objects.filter(member=member)
        .select_related("group")
        .order_by("-joined_at")[:limit]
    ):
        items.append(Activity(m.joined_at, f"Joined {m.group.name}"))
        if m.left_at:
            items.append(Activity(m.left_at, f"Left {m.group.name}"))
    items.sort(key=lambda a: a.at, reverse=True)
    return items[:limit]


# Leadership and succession ----------------------------------------------------------


def terms_ending_within(days: int, *, today: date) -> QuerySet[LeadershipTerm]:
    """Current terms whose last day falls in the next `days` days."""
    return (
        LeadershipTerm.objects.filter(start__lte=today, end__gte=today)
        .filter(end__lte=today + timedelta(days=days))
        .select_related("group", "member")
        .order_by("end", "group__name")
    )


@dataclass(frozen=True)
class OverLimit:
    group: Group
    member: Member
    consecutive: int
    limit: int


def terms_over_limit(*, today: date) -> list[OverLimit]:
    """Leads serving more consecutive terms than their group allows, as of `today`."""
    terms = (
        LeadershipTerm.objects.filter(role=GroupRole.LEAD, start__lte=today)
        .select_related("group", "member")
        .order_by("group_id", "member_id", "start")
    )
    out = []
    for (_, _), run in groupby(terms, key=lambda t: (t.group_id, t.member_id)):
        run_terms = list(run)
        latest = run_terms[-1]
        if latest.end < today:
            continue  # only people leading now can be over the limit
        count = consecutive_terms([(t.start, t.end) for t in run_terms], on=today)
        if count > latest.group.term_limit:
            out.append(OverLimit(latest.group, latest.member, count, latest.group.term_limit))
    return out


def office_holders() -> QuerySet[Membership]:
    """Current leads and co-leads (public by handle: an office), for the terms form."""
    return (
        Membership.objects.filter(
            left_at__isnull=True, role__in=[GroupRole.LEAD, GroupRole.CO_LEAD]
        )
        .filter(group__archived_at__isnull=True)
        .select_related("member", "group")
        .order_by("group__name", "member__display_name")
    )


def groups_without_successor(*, today: date) -> QuerySet[Group]:
    """Groups with a current lead but no lead term planned to start after it ends."""
    current = LeadershipTerm.objects.filter(
        group=OuterRef("pk"), role=GroupRole.LEAD, start__lte=today, end__gte=today
    )
    successor = LeadershipTerm.objects.filter(
        group=OuterRef("pk"), role=GroupRole.LEAD, start__gt=today
    )
    return Group.objects.filter(Exists(current)).exclude(Exists(successor)).order_by("name")


@dataclass(frozen=True)
class Leadership:
    days: int
    ending: QuerySet[LeadershipTerm]
    over_limit: list[OverLimit]
    no_successor: QuerySet[Group]
    groups: QuerySet[Group]
    office_holders: QuerySet[Membership]


def leadership_overview(viewer: Member, *, today: date, days: int = 90) -> Leadership:
    """The stewards' succession page; to anyone else it does not exist."""
    if not permissions.can_record_term(viewer):
        raise NotFound("No such page.")
    return Leadership(
        days=days,
        ending=terms_ending_within(days, today=today),
        over_limit=terms_over_limit(today=today),
        no_successor=groups_without_successor(today=today),
        groups=active_groups(),
        office_holders=office_holders(),
    )


# A member's page -----------------------------------------------------------------


@dataclass(frozen=True)
class MemberPage:
    profile: Member
    show_private: bool
    can_erase: bool
    can_set_role: bool
    memberships: QuerySet[Membership]
    profile_shown: bool = True  # False: a steward's office view (name, role, erasure only)


def member_page(viewer: Member, pseudonym: str) -> MemberPage:
    """A member's profile as `viewer` may see it, with what the viewer may do there. A
    steward reaches every member's page for their office (site role, erasure), but sees
    the profile only as the member's consent allows."""
    member = visible_member(viewer, pseudonym)
    shown = member is not None
    if member is None and permissions.is_steward(viewer) and storable(pseudonym):
        member = Member.objects.filter(pseudonym=pseudonym, erased_at__isnull=True).first()
        if member is not None and not (is_verified(member) and may(viewer, member, Sight.DUTY)):
            member = None
    if member is None:
        raise NotFound("No member with that id is visible to you.")
    other = viewer.pk != member.pk
    return MemberPage(
        profile_shown=shown,
        profile=member,
        show_private=permissions.can_see_private_profile(viewer, member),
        can_erase=other and permissions.can_erase(viewer, member),
        can_set_role=permissions.can_set_site_role(viewer, member),
        memberships=groups_of(member) if shown else Membership.objects.none(),
    )


def erasable_member(viewer: Member, pseudonym: str) -> Member:
    """The member a steward's erasure form is about (not the steward: /me/erase/ is theirs)."""
    member = Member.objects.filter(pseudonym=pseudonym, erased_at__isnull=True).first()
    if member is None or member.pk == viewer.pk or not permissions.can_erase(viewer, member):
        raise NotFound("No such member.")
    return member


# API tokens ---------------------------------------------------------------------------


def tokens_of(member: Member) -> QuerySet[AccessToken]:
    """The member's own API tokens, newest first, revoked ones included (never their
    secrets: only a digest is kept)."""
    return AccessToken.objects.filter(member=member)
