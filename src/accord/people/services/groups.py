"""Groups and their people: start, edit, archive and merge groups; join and leave; group
roles, site roles and leadership terms."""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger import services as ledger
from accord.people import permissions
from accord.people.models import (
    Group,
    GroupKind,
    GroupRole,
    LeadershipTerm,
    Member,
    Membership,
    SiteRole,
    User,
)
from accord.people.queries import group_counts_changed
from accord.people.schemas import (
    GroupArchiveIn,
    GroupIn,
    GroupMergeIn,
    GroupPatch,
    GroupRoleIn,
    LeadershipTermIn,
    SiteRoleIn,
)
from accord.people.services.members import _acting, _member_by_ref
from accord.people.services.tokens import revoke_tokens_of

# Groups ----------------------------------------------------------------------------

TERM_LIMIT_MAX = 10


def _group(slug: str, *, for_update: bool = False) -> Group:
    groups = Group.objects.select_for_update() if for_update else Group.objects.all()
    group = groups.filter(slug=slug).first()
    if group is None:
        raise NotFound("No such group.")
    return group


def _active_group(slug: str, *, for_update: bool = False) -> Group:
    group = _group(slug, for_update=for_update)
    if group.is_archived:
        raise Conflict(f"{group.name} is archived.")
    return group


def _parent(slug: str | None) -> Group | None:
    """The parent named by an input (a slug; empty for the top level)."""
    if not slug:
        return None
    parent = Group.objects.filter(slug=slug).first()
    if parent is None:
        raise InvalidInput(f"No group {slug!r} to nest under.")
    if parent.is_archived:
        raise InvalidInput(f"{parent.name} is archived: nothing can be nested under it.")
    return parent


def _check_group_fields(name: str, kind: str, term_limit: int) -> None:
    if not name:
        raise InvalidInput("A group needs a name.")
    if kind not in GroupKind.values:
        raise InvalidInput(f"{kind!r} is not a group kind ({', '.join(GroupKind.values)}).")
    if not 1 <= term_limit <= TERM_LIMIT_MAX:
        raise InvalidInput(f"The term limit must be from 1 to {TERM_LIMIT_MAX}.")


def _check_unique_name(name: str, parent: Group | None, *, exclude: int = 0) -> None:
    clash = Group.objects.filter(parent=parent, name__iexact=name, archived_at__isnull=True)
    if clash.exclude(pk=exclude).exists():
        raise Conflict(f"A group called {name!r} already exists here.")


def _free_slug(name: str, parent: Group | None) -> str:
    base = slugify(name)[:100] or "group"
    if parent is not None and Group.objects.filter(slug=base).exists():
        base = f"{parent.slug}-{base}"[:100]
    slug, n = base, 1
    while Group.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _office(actor: Member, group: Group, member: Member, role: str, previous: str) -> None:
    """Appointing or removing a lead is an act of office: named by public handle."""
    facts = {"group": group.slug, "role": role, "previous": previous}
    ledger.append("group_role.changed", actor.pseudonym, member.pseudonym, facts)


def create_group(actor: Member, data: GroupIn) -> Group:
    """Start a group. Any member may; the one who starts it becomes its lead."""
    if not permissions.can_start_group(actor):
        raise Forbidden("Only members start groups.")
    name = data.name.strip()
    _check_group_fields(name, data.kind, data.term_limit)
    description = data.description.strip()
    try:
        with transaction.atomic(durable=True):
            parent = _parent(data.parent)
            _check_unique_name(name, parent)
            group = Group.objects.create(
                name=name,
                slug=_free_slug(name, parent),
                kind=data.kind,
                parent=parent,
                description=description,
                term_limit=data.term_limit,
            )
            Membership.objects.create(member=actor, group=group, role=GroupRole.LEAD)
            _memberships_changed()
            facts: dict[str, Any] = {
                "kind": group.kind,
                "parent": parent.slug if parent else None,
                "term_limit": group.term_limit,
            }
            if description:
                facts["description_sha256"] = ledger.note(description)
            ledger.append("group.created", actor.pseudonym, group.slug, facts)
            _office(actor, group, actor, GroupRole.LEAD, "")
    except IntegrityError as exc:
        raise Conflict(f"A group called {name!r} already exists.") from exc
    return group


def _descendant_ids(group: Group) -> set[int]:
    found: set[int] = set()
    frontier = {group.pk}
    while frontier:
        frontier = set(Group.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        frontier -= found
        found |= frontier
    return found


def update_group(actor: Member, slug: str, data: GroupPatch) -> Group:
    """Edit a group (stewards and the group's leads): only the fields given change; the
    slug, and so every link to the group, stays."""
    changes = data.model_dump(exclude_unset=True)
    with transaction.atomic(durable=True):
        group = _active_group(slug, for_update=True)
        if not permissions.can_edit_group(actor, group):
            raise Forbidden("Only stewards and the group's leads edit a group.")
        name = (changes.get("name") or group.name).strip() if "name" in changes else group.name
        kind = changes.get("kind") or group.kind
        term_limit = changes.get("term_limit") or group.term_limit
        _check_group_fields(name, kind, term_limit)
        parent = group.parent
        if "parent" in changes:
            parent = _parent(changes["parent"])
            if parent is not None and parent.pk in {group.pk, *_descendant_ids(group)}:
                raise InvalidInput("A group cannot be nested under itself or its subgroups.")
        _check_unique_name(name, parent, exclude=group.pk)
        description = (changes["description"] or "").strip() if "description" in changes else None
        new = {"name": name, "kind": kind, "term_limit": term_limit, "parent": parent}
        if description is not None:
            new["description"] = description
        changed = sorted(f for f, v in new.items() if getattr(group, f) != v)
        if not changed:
            return group
        for field in changed:
            setattr(group, field, new[field])
        group.save(update_fields=changed)
        facts: dict[str, Any] = {"changed": changed, "kind": group.kind}
        facts["term_limit"] = group.term_limit
        facts["parent"] = group.parent.slug if group.parent else None
        if "description" in changed and group.description:
            facts["description_sha256"] = ledger.note(group.description)
        ledger.append("group.updated", actor.pseudonym, group.slug, facts)
    return group


def archive_group(actor: Member, slug: str, data: GroupArchiveIn) -> Group:
    """Archive a group (stewards): it leaves the tree and cannot be joined; its
    memberships, terms and history stay as they are."""
    if not permissions.can_manage_groups(actor):
        raise Forbidden("Only stewards archive groups.")
    with transaction.atomic(durable=True):
        group = _active_group(slug, for_update=True)
        if group.children.filter(archived_at__isnull=True).exists():
            raise Conflict(f"{group.name} has subgroups: archive or move them first.")
        group.archived_at = timezone.now()
        group.save(update_fields=["archived_at"])
        reason = data.reason.strip()
        facts = {"reason_sha256": ledger.note(reason)} if reason else {}
        ledger.append("group.archived", actor.pseudonym, group.slug, facts)
    return group


@dataclass(frozen=True)
class Merge:
    merged: Group
    into: Group
    moved: int  # memberships moved over
    closed: int  # memberships closed: the member was in both groups


def merge_group(actor: Member, slug: str, data: GroupMergeIn) -> Merge:
    """Merge a group into another (stewards): its active members join the other group as
    members (those already there keep their place), its subgroups move under the other
    group, and it is archived. Memberships are closed and opened, never rewritten."""
    if not permissions.can_manage_groups(actor):
        raise Forbidden("Only stewards merge groups.")
    with transaction.atomic(durable=True):
        group = _active_group(slug, for_update=True)
        into = Group.objects.select_for_update().filter(slug=data.into.strip()).first()
        if into is None or into.is_archived:
            raise InvalidInput(f"No active group {data.into!r} to merge into.")
        if into.pk in {group.pk, *_descendant_ids(group)}:
            raise InvalidInput("A group cannot be merged into itself or one of its subgroups.")
        now = timezone.now()
        active = Membership.objects.select_for_update().filter(group=group, left_at__isnull=True)
        already = set(
            Membership.objects.filter(group=into, left_at__isnull=True).values_list(
                "member_id", flat=True
            )
        )
        movers = [m.member_id for m in active if m.member_id not in already]
        closed = active.update(left_at=now)
        _memberships_changed()
        Membership.objects.bulk_create(
            Membership(member_id=pk, group=into, role=GroupRole.MEMBER, joined_at=now)
            for pk in movers
        )
        group.children.update(parent=into)
        group.archived_at = now
        group.save(update_fields=["archived_at"])
        ledger.append("group.merged", actor.pseudonym, group.slug, {"into": into.slug})
    return Merge(group, into, moved=len(movers), closed=closed - len(movers))


def join_group(actor: Member, slug: str) -> Membership:
    """Join as a plain member. Joining twice, or an archived group, is refused."""
    try:
        with transaction.atomic(durable=True):
            group = _active_group(slug)
            if Membership.objects.filter(member=actor, group=group, left_at__isnull=True).exists():
                raise Conflict(f"You are already a member of {group.name}.")
            _memberships_changed()
            return Membership.objects.create(member=actor, group=group, role=GroupRole.MEMBER)
    except IntegrityError as exc:
        raise Conflict("You are already a member of this group.") from exc


def leave_group(actor: Member, slug: str) -> Membership:
    """Leave a group: the membership is closed, never deleted, and nothing earned is lost."""
    with transaction.atomic(durable=True):
        group = _group(slug)
        membership = (
            Membership.objects.select_for_update()
            .filter(member=actor, group=group, left_at__isnull=True)
            .first()
        )
        if membership is None:
            raise NotFound(f"You are not a member of {group.name}.")
        membership.left_at = timezone.now()
        membership.save(update_fields=["left_at"])
        _memberships_changed()
    return membership


def _memberships_changed() -> None:
    """Drop the cached group counts now and again at commit, so no count read in between
    outlives the change (DB-cached counts roll back with a rolled-back change)."""
    group_counts_changed()
    transaction.on_commit(group_counts_changed)


OFFICES = {GroupRole.LEAD.value, GroupRole.CO_LEAD.value}


def set_group_role(actor: Member, slug: str, data: GroupRoleIn) -> Membership:
    """Appoint or remove a group's lead, co-lead or shadow (stewards and the group's
    leads). Leads and co-leads are office holders, named by handle in the ledger; plain
    roles say who is in a group, so they are entries about the member."""
    role = data.role
    if role not in GroupRole.values:
        raise InvalidInput(f"{role!r} is not a group role ({', '.join(GroupRole.values)}).")
    with transaction.atomic(durable=True):
        group = _active_group(slug)
        if not permissions.can_set_group_role(actor, group):
            raise Forbidden("Only stewards and the group's leads change group roles.")
        member = _member_by_ref(data.member)
        membership = (
            Membership.objects.select_for_update()
            .filter(member=member, group=group, left_at__isnull=True)
            .select_related("member")
            .first()
            if member is not None
            else None
        )
        if member is None or membership is None:
            raise NotFound(f"No such member in {group.name}.")
        previous = membership.role
        if previous == role:
            return membership
        membership.role = role
        membership.save(update_fields=["role"])
        _memberships_changed()  # a group page lists and counts by role
        if {role, previous} & OFFICES:
            _office(actor, group, member, role, previous)
            revoke_tokens_of(member.pk, "role changed")
        else:
            facts = {"group": group.slug, "role": role, "previous": previous}
            ledger.append_many(
                [
                    ledger.about_member(
                        "group_role.changed", _acting(actor, member), member.pk, facts
                    )
                ]
            )
        return membership


def set_site_role(actor: Member, member: str, data: SiteRoleIn) -> Member:
    """Make someone a member, steward or auditor (stewards; nobody changes their own role).
    Partner representatives are appointed through the partners app, which binds them to
    their partner."""
    role = data.role
    if role not in SiteRole.values:
        raise InvalidInput(f"{role!r} is not a site role ({', '.join(SiteRole.values)}).")
    if not permissions.can_set_site_role(actor):
        raise Forbidden("Only stewards change site roles.")
    with transaction.atomic(durable=True):
        subject = _member_by_ref(member, for_update=True)
        if subject is None:
            raise NotFound("No such member.")
        if not permissions.can_set_site_role(actor, subject):
            raise Forbidden("Nobody changes their own site role; ask another steward.")
        if SiteRole.PARTNER_REP in (role, subject.role):
            raise InvalidInput("Partner representatives are appointed from the partner's page.")
        if subject.role != role:
            assign_role(actor, subject, role)
    return subject


def assign_role(actor: Member, member: Member, role: str, **details: str) -> None:
    """Write a role change and its ledger entry; callers have checked permission and
    validity, and this joins their transaction."""
    previous = member.role
    member.role = role
    member.save(update_fields=["role"])
    revoke_tokens_of(member.pk, "role changed")
    if member.user_id is not None:
        User.objects.filter(pk=member.user_id).update(is_staff=role == SiteRole.STEWARD)
    ledger.append(
        "role.changed",
        actor.pseudonym,
        member.pseudonym,
        {"role": role, "previous": previous, **details},
    )


def add_leadership_term(actor: Member, slug: str, data: LeadershipTermIn) -> LeadershipTerm:
    """Record a term as lead or co-lead (stewards). Two lead terms of one group never
    overlap; co-lead terms may."""
    if not permissions.can_record_term(actor):
        raise Forbidden("Only stewards record leadership terms.")
    if data.role not in OFFICES:
        raise InvalidInput("A leadership term is for a lead or a co-lead.")
    if data.end < data.start:
        raise InvalidInput("A term cannot end before it starts.")
    with transaction.atomic(durable=True):
        group = _active_group(slug, for_update=True)  # one term is recorded at a time
        member = _member_by_ref(data.member)
        if member is None:
            raise InvalidInput(f"No member {data.member!r}.")
        overlapping = LeadershipTerm.objects.filter(
            group=group, role=data.role, start__lte=data.end, end__gte=data.start
        )
        if data.role == GroupRole.LEAD and overlapping.exists():
            raise Conflict(f"{group.name} already has a lead for part of that period.")
        term = LeadershipTerm.objects.create(
            group=group, member=member, role=data.role, start=data.start, end=data.end
        )
        facts = {
            "group": group.slug,
            "role": data.role,
            "start": data.start.isoformat(),
            "end": data.end.isoformat(),
        }
        ledger.append("leadership_term.recorded", actor.pseudonym, member.pseudonym, facts)
    return term
