"""Every write about people, groups, roles and consent: one function per user action."""

import hashlib
import re
import secrets
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from allauth.account.models import EmailAddress
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger import queries as ledger_queries
from accord.ledger import services as ledger
from accord.people import permissions
from accord.people.models import (
    OFFERED_PURPOSES,
    AccessToken,
    Consent,
    ConsentEvent,
    ConsentSource,
    Group,
    GroupKind,
    GroupRole,
    LeadershipTerm,
    Member,
    Membership,
    Purpose,
    SiteRole,
    User,
)

_TAG = re.compile(r"^[\w][\w .+#/-]{0,39}$")
PROFILE_LIMITS = {"display_name": 80, "pronouns": 40, "bio": 2000, "accessibility_needs": 2000}


def ensure_member(user: User, *, display_name: str = "") -> Member:
    """The member profile for an account, created on first sign-in with every consent off."""
    member = Member.objects.filter(user=user).first()
    if member is not None:
        return member
    name = display_name.strip() or (user.get_full_name() or user.email.split("@")[0])
    return Member.objects.create(user=user, display_name=name[:80])


def create_member(
    email: str,
    *,
    display_name: str,
    password: str | None = None,
    role: SiteRole = SiteRole.MEMBER,
    verified: bool = False,
) -> Member:
    """Create an account and its member profile (used by the CLI and the demo).

    The address is unverified unless `verified`: the person confirms it when they first
    sign in, and until then they appear nowhere and no import matches them.
    """
    email = email.strip().lower()
    if not email or "@" not in email:
        raise InvalidInput(f"{email!r} is not an email address.")
    if not display_name.strip():
        raise InvalidInput("A display name is required.")
    with transaction.atomic():
        if User.objects.filter(email__iexact=email).exists():
            raise Conflict(f"An account with the email {email} already exists.")
        user = User.objects.create_user(username=email, email=email, password=password)
        user.is_staff = role == SiteRole.STEWARD
        user.save(update_fields=["is_staff"])
        EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
        member = Member.objects.create(user=user, display_name=display_name.strip(), role=role)
        if role != SiteRole.MEMBER:
            ledger.append(
                "role.changed", ledger.SYSTEM, member.pseudonym, {"role": role, "previous": None}
            )
        return member


ERASED_NAME = "Erased member"


def erase_member(actor: Member, member_id: int, *, reason: str = "") -> Member:
    """Erase a person, by their own wish or (with a recorded reason) on their request to a
    steward. Their account, profile, consents, consent history, tokens, ledger secret,
    openings and notes are destroyed; the member row stays as an anonymous tombstone so
    that statements, postings and contributions still add up. The ledger keeps verifying
    and no longer points at anyone. The reason lives only in the erasable notes."""
    with transaction.atomic(durable=True):
        member = Member.objects.select_for_update().filter(pk=member_id).first()
        if member is None or member.erased_at is not None:
            raise NotFound("No such member.")
        by_self, now = actor.pk == member.pk, timezone.now()
        if not (by_self or permissions.is_steward(actor)):
            raise Forbidden("Only the member themself or a steward can erase an account.")
        reason = reason.strip()
        if not by_self and not reason:
            raise InvalidInput("Record why this account is erased (the member's request).")
        public = {} if by_self else {"reason_sha256": ledger.note(reason)}
        ledger.append_many(
            [
                ledger.about_member(
                    "member.erased", _acting(actor, member), member.pk, {}, public=public
                )
            ]
        )
        ledger.forget(member.pk)
        user = member.user
        member.access_tokens.all().delete()  # API tokens
        ConsentEvent.objects.filter(member=member).delete()
        Consent.objects.filter(member=member).delete()
        Membership.objects.filter(member=member, left_at__isnull=True).update(left_at=now)
        member.contributions.update(title="", description="", evidence_url="", dispute_reason="")
        member.user = None
        member.ledger_secret = None
        member.erased_at = now
        member.display_name = ERASED_NAME
        member.pronouns = member.bio = member.accessibility_needs = ""
        member.expertise = []
        member.role = SiteRole.MEMBER
        member.save()
        if user is not None:
            user.delete()  # sessions, tokens and allauth's addresses go with the account
    return member


def export_for_auditor(actor: Member) -> Iterator[str]:
    """The auditor export, for auditors only; the download is recorded (by the auditor's
    public handle: an act of office) before the first line is produced."""
    if not permissions.is_auditor(actor):
        raise Forbidden("Only auditors download the auditor export.")
    with transaction.atomic(durable=True):
        ledger.append("ledger.auditor_export", actor.pseudonym, "ledger", {})
    return ledger_queries.auditor_export_lines()


def _acting(actor: Member, member: Member) -> str:
    """Who an entry about `member` names as its actor: an office holder by handle, the
    member acting on themselves never."""
    return ledger.MEMBER if actor.pk == member.pk else actor.pseudonym


def clean_expertise(tags: Any) -> list[str]:
    if isinstance(tags, str):
        tags = [t for t in (p.strip() for p in tags.split(",")) if t]
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InvalidInput("Expertise must be a list of tags.")
    cleaned: list[str] = []
    for tag in (t.strip().lower() for t in tags):
        if not _TAG.match(tag):
            raise InvalidInput(
                f"{tag!r} is not a valid expertise tag (letters, digits, spaces, up to 40)."
            )
        if tag not in cleaned:
            cleaned.append(tag)
    if len(cleaned) > 20:
        raise InvalidInput("At most 20 expertise tags.")
    return cleaned


def update_profile(actor: Member, member: Member, **changes: Any) -> Member:
    """Change a member's own profile. Unknown fields and bad values are refused whole."""
    if not permissions.can_edit_profile(actor, member):
        raise Forbidden("You can only edit your own profile.")
    allowed = {*PROFILE_LIMITS, "expertise", "time_zone"}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(f"Unknown profile field: {', '.join(sorted(unknown))}.")
    for field, limit in PROFILE_LIMITS.items():
        if field in changes:
            value = str(changes[field] or "").strip()
            if len(value) > limit:
                raise InvalidInput(f"{field.replace('_', ' ')} is longer than {limit} characters.")
            changes[field] = value
    if "display_name" in changes and not changes["display_name"]:
        raise InvalidInput("A display name is required.")
    if "expertise" in changes:
        changes["expertise"] = clean_expertise(changes["expertise"])
    if "time_zone" in changes and changes["time_zone"] not in zoneinfo.available_timezones():
        raise InvalidInput(f"{changes['time_zone']!r} is not a known time zone.")
    with transaction.atomic():
        for field, value in changes.items():
            setattr(member, field, value)
        member.save(update_fields=list(changes) or None)
    return member


def set_consent(
    actor: Member, member: Member, purpose: str, granted: bool, *, source: ConsentSource
) -> Consent:
    """Record the member's answer for one purpose. A change is kept as an event; the same
    answer twice changes nothing."""
    if purpose not in Purpose.values:
        raise InvalidInput(f"{purpose!r} is not a consent purpose.")
    if granted and purpose not in OFFERED_PURPOSES:
        # Turning off stays possible, so an answer given before a feature was withdrawn
        # can always be taken back.
        raise InvalidInput(f"{Purpose(purpose).label!r} is not offered: nothing uses it yet.")
    if not permissions.can_change_consent(actor, member):
        raise Forbidden("Only the member can change their own consent.")
    now = timezone.now()
    with transaction.atomic():
        consent, created = Consent.objects.select_for_update().get_or_create(
            member=member, purpose=purpose, defaults={"granted": granted, "updated_at": now}
        )
        if not created and consent.granted == granted:
            return consent
        if not created:
            consent.granted = granted
            consent.updated_at = now
            consent.save(update_fields=["granted", "updated_at"])
        if created and not granted:
            return consent  # the default is already no: nothing changed
        ConsentEvent.objects.create(
            member=member, purpose=purpose, granted=granted, at=now, source=source, actor=actor
        )
        ledger.append_many([consent_record(member.pk, purpose, granted, source)])
    return consent


def consent_record(owner: int, purpose: str, granted: bool, source: str) -> ledger.Record:
    """A consent change as the ledger holds it: that one happened, and a commitment to what."""
    return ledger.about_member(
        "consent.changed",
        ledger.MEMBER,
        owner,
        {"purpose": str(purpose), "granted": granted, "source": str(source)},
    )


def create_group(
    actor: Member,
    *,
    name: str,
    kind: str,
    parent: Group | None = None,
    description: str = "",
    term_limit: int = 2,
) -> Group:
    if not permissions.can_manage_groups(actor):
        raise Forbidden("Only stewards create groups.")
    name = name.strip()
    if not name:
        raise InvalidInput("A group needs a name.")
    if kind not in GroupKind.values:
        raise InvalidInput(f"{kind!r} is not a group kind ({', '.join(GroupKind.values)}).")
    if term_limit < 1:
        raise InvalidInput("The term limit must be at least 1.")
    slug = slugify(name)[:120] or "group"
    if parent is not None and Group.objects.filter(slug=slug).exists():
        slug = f"{parent.slug}-{slug}"[:120]
    if Group.objects.filter(parent=parent, name__iexact=name).exists():
        raise Conflict(f"A group called {name!r} already exists here.")
    try:
        with transaction.atomic():
            return Group.objects.create(
                name=name,
                slug=slug,
                kind=kind,
                parent=parent,
                description=description,
                term_limit=term_limit,
            )
    except IntegrityError as exc:
        raise Conflict(f"A group called {name!r} already exists.") from exc


def join_group(actor: Member, group: Group) -> Membership:
    """Join as a plain member. Joining twice is refused with a clear reason."""
    try:
        with transaction.atomic():
            return Membership.objects.create(member=actor, group=group, role=GroupRole.MEMBER)
    except IntegrityError as exc:
        raise Conflict(f"You are already a member of {group.name}.") from exc


def leave_group(actor: Member, group: Group) -> Membership:
    """Leave a group: the membership is closed, never deleted, and nothing earned is lost."""
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(member=actor, group=group, left_at__isnull=True)
            .first()
        )
        if membership is None:
            raise NotFound(f"You are not a member of {group.name}.")
        membership.left_at = timezone.now()
        membership.save(update_fields=["left_at"])
    return membership


def set_group_role(actor: Member, group: Group, member: Member, role: str) -> Membership:
    if role not in GroupRole.values:
        raise InvalidInput(f"{role!r} is not a group role ({', '.join(GroupRole.values)}).")
    if not permissions.can_set_group_role(actor, group):
        raise Forbidden("Only stewards and the group's leads change group roles.")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(member=member, group=group, left_at__isnull=True)
            .first()
        )
        if membership is None:
            raise NotFound(f"{member.display_name} is not a member of {group.name}.")
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        facts = {"group": group.slug, "role": role, "previous": previous}
        if {role, previous} & OFFICES:
            # Appointing or removing a lead is an act of office: named by public handle.
            ledger.append("group_role.changed", actor.pseudonym, member.pseudonym, facts)
        else:
            # Plain membership roles say who is in a group: never public.
            ledger.append_many(
                [
                    ledger.about_member(
                        "group_role.changed", _acting(actor, member), member.pk, facts
                    )
                ]
            )
        return membership


OFFICES = {GroupRole.LEAD.value, GroupRole.CO_LEAD.value}


def set_site_role(actor: Member, member: Member, role: str) -> Member:
    """Make someone a member, steward or auditor. Partner representatives are appointed
    through the partners app, which binds them to their partner."""
    if not permissions.can_set_site_role(actor):
        raise Forbidden("Only stewards change site roles.")
    if role not in SiteRole.values:
        raise InvalidInput(f"{role!r} is not a site role ({', '.join(SiteRole.values)}).")
    if role == SiteRole.PARTNER_REP:
        raise InvalidInput("Appoint partner representatives from the partner's page.")
    if actor.pk == member.pk and role != SiteRole.STEWARD:
        raise Conflict("Stewards cannot remove their own steward role; ask another steward.")
    with transaction.atomic():
        assign_role(actor, member, role)
    return member


def assign_role(actor: Member, member: Member, role: str, **details: str) -> None:
    """Write a role change and its ledger entry; callers have checked permission and
    validity, and this joins their transaction."""
    previous = member.role
    member.role = role
    member.save(update_fields=["role"])
    if member.user_id is not None:
        User.objects.filter(pk=member.user_id).update(is_staff=role == SiteRole.STEWARD)
    ledger.append(
        "role.changed",
        actor.pseudonym,
        member.pseudonym,
        {"role": role, "previous": previous, **details},
    )


def add_leadership_term(
    actor: Member, group: Group, member: Member, *, start: date, end: date, role: str = "lead"
) -> LeadershipTerm:
    if not permissions.can_manage_groups(actor):
        raise Forbidden("Only stewards record leadership terms.")
    if role not in (GroupRole.LEAD, GroupRole.CO_LEAD):
        raise InvalidInput("A leadership term is for a lead or a co-lead.")
    if end < start:
        raise InvalidInput("A term cannot end before it starts.")
    with transaction.atomic():
        overlapping = LeadershipTerm.objects.filter(
            group=group, role=role, start__lte=end, end__gte=start
        )
        if role == GroupRole.LEAD and overlapping.exists():
            raise Conflict(f"{group.name} already has a lead for part of that period.")
        return LeadershipTerm.objects.create(
            group=group, member=member, role=role, start=start, end=end
        )


# Personal access tokens: created, shown once, stored as a digest, revoked ---------------

TOKEN_PREFIX = "acc_"  # noqa: S105 - a public prefix that marks Accord tokens, not a secret
MAX_ACTIVE_TOKENS = 20


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown to the member once, never stored


def create_token(actor: Member, *, name: str) -> NewToken:
    name = name.strip()
    if not name or len(name) > 80:
        raise InvalidInput("Give the token a name of 1 to 80 characters.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        active = AccessToken.objects.filter(member=actor, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise InvalidInput(f"You already have {MAX_ACTIVE_TOKENS} active tokens.")
        token = AccessToken.objects.create(
            member=actor, name=name, prefix=secret[:10], digest=digest(secret)
        )
    return NewToken(token=token, secret=secret)


def revoke_token(actor: Member, token_id: int) -> AccessToken:
    token = AccessToken.objects.filter(pk=token_id).first()
    if token is None or token.member_id != actor.pk:
        # Another member's token is reported as missing, so ids reveal nothing.
        raise NotFound("No such token.")
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    token.refresh_from_db()
    return token


def authenticate_token(secret: str) -> Member | None:
    """The member a token belongs to, if the token exists and is not revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        AccessToken.objects.select_related("member__user")
        .filter(digest=digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.member.user is None or not token.member.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.member
