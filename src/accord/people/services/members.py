"""Members: accounts, profiles, consent, erasure and the auditor export."""

import re
import zoneinfo
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.db import transaction
from django.utils import timezone

from accord.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from accord.ledger import queries as ledger_queries
from accord.ledger import services as ledger
from accord.people import permissions
from accord.people.models import (
    OFFERED_PURPOSES,
    Consent,
    ConsentEvent,
    ConsentSource,
    Member,
    Membership,
    PartnerConsent,
    Purpose,
    SiteRole,
    User,
)
from accord.people.queries import group_counts_changed
from accord.people.schemas import (
    EXPERTISE_MAX,
    ConsentIn,
    ErasureIn,
    ProfilePatch,
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


def erase_member(actor: Member, member: str, data: ErasureIn) -> Member:
    """Erase a person, by their own wish or (with a recorded reason) on their request to a
    steward. Their account, profile, consents, consent history, tokens, ledger secret,
    openings, notes and comments are destroyed; the member row stays as an anonymous tombstone so
    that statements, postings and contributions still add up. The ledger keeps verifying
    and no longer points at anyone. The reason lives only in the erasable notes.

    `member` is the public handle (or, from the command line, the email address)."""
    with transaction.atomic(durable=True):
        subject = _member_by_ref(member, for_update=True)
        if subject is None:
            raise NotFound("No such member.")
        if not permissions.can_erase(actor, subject):
            raise Forbidden("Only the member themself or a steward can erase an account.")
        by_self, now = actor.pk == subject.pk, timezone.now()
        reason = data.reason.strip()
        if not by_self and not reason:
            raise InvalidInput("Record why this account is erased (the member's request).")
        public = {} if by_self else {"reason_sha256": ledger.note(reason)}
        ledger.append_many(
            [
                ledger.about_member(
                    "member.erased", _acting(actor, subject), subject.pk, {}, public=public
                )
            ]
        )
        _erase(subject, now)
    return subject


def _erase(member: Member, now: datetime) -> None:
    ledger.forget(member.pk)
    user = member.user
    member.access_tokens.all().delete()  # API tokens
    ConsentEvent.objects.filter(member=member).delete()
    Consent.objects.filter(member=member).delete()
    PartnerConsent.objects.filter(member=member).delete()
    # Offerings (partners sit above people: reached by app label): their reviews are their
    # own words, their claims say what they took up.
    for model in ("Review", "Claim"):
        apps.get_model("partners", model)._default_manager.filter(member=member).delete()
    Membership.objects.filter(member=member, left_at__isnull=True).update(left_at=now)
    member.contributions.update(title="", description="", evidence_url="", dispute_reason="")
    member.update_comments.all().delete()  # their comments on partnership updates
    # Decisions (governance sits above people, too): their comments are their own words, and
    # their ballots say what they chose (a closed decision keeps its tally, counts only).
    apps.get_model("governance", "DecisionComment")._default_manager.filter(author=member).delete()
    apps.get_model("governance", "Ballot")._default_manager.filter(voter=member).delete()
    # Concerns they raised keep their dates and levels (the statistics) but lose their words
    # and their raiser; they stop handling any level.
    apps.get_model("governance", "Concern")._default_manager.filter(raiser=member).update(
        raiser=None, summary="(erased)", body="", resolution=""
    )
    member.handled_levels.clear()
    member.disclosures.update(interest="", closed_reason="")  # declared while in office
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
    transaction.on_commit(group_counts_changed)


def _member_by_ref(ref: str, *, for_update: bool = False) -> Member | None:
    """A member (not erased) by public handle, or by email address (staff's commands)."""
    ref = ref.strip()
    members = Member.objects.filter(erased_at__isnull=True)
    if for_update:
        members = members.select_for_update()
    if "@" in ref:
        return members.filter(user__email__iexact=ref).first()
    return members.filter(pseudonym=ref).first() if ref else None


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
    """Tags as given (a list, or the form's comma-separated text): trimmed, lower-cased and
    without repeats. Too many are refused before any tag is looked at, so the work stays
    linear in the input however long it is."""
    if isinstance(tags, str):
        tags = [t for t in (p.strip() for p in tags.split(",")) if t]
    if not isinstance(tags, list):
        raise InvalidInput("Expertise must be a list of tags.")
    if len(tags) > EXPERTISE_MAX:
        raise InvalidInput(f"At most {EXPERTISE_MAX} expertise tags.")
    cleaned: dict[str, None] = {}  # keeps the order; a repeat costs nothing
    for raw in tags:
        if not isinstance(raw, str):
            raise InvalidInput("Expertise must be a list of tags.")
        tag = raw.strip().lower()
        if not _TAG.match(tag):
            raise InvalidInput(
                f"{tag[:40]!r} is not a valid expertise tag (letters, digits, spaces, up to 40)."
            )
        cleaned[tag] = None
    return list(cleaned)


def update_profile(actor: Member, data: ProfilePatch) -> Member:
    """Change one's own profile (only the fields given). Bad values are refused whole."""
    changes = _profile_changes(data)
    with transaction.atomic(durable=True):
        member = Member.objects.select_for_update().filter(pk=actor.pk or 0).first()
        if member is None or not permissions.can_edit_profile(actor, member):
            raise Forbidden("You can only edit your own profile.")
        for field, value in changes.items():
            setattr(member, field, value)
        if changes:
            member.save(update_fields=list(changes))
        if "display_name" in changes:
            transaction.on_commit(group_counts_changed)  # group pages list by name
    return member


def _profile_changes(data: ProfilePatch) -> dict[str, Any]:
    """The fields given, cleaned; InvalidInput for the first bad one."""
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    for field, limit in PROFILE_LIMITS.items():
        if field in changes:
            value = str(changes[field] or "").strip()
            if len(value) > limit:
                raise InvalidInput(f"{field.replace('_', ' ')} is longer than {limit} characters.")
            changes[field] = value
    if "display_name" in changes and not changes["display_name"]:
        raise InvalidInput("A display name is required.")
    if "expertise" in changes:
        changes["expertise"] = clean_expertise(changes["expertise"] or [])
    if "time_zone" in changes and changes["time_zone"] not in zoneinfo.available_timezones():
        raise InvalidInput(f"{changes['time_zone']!r} is not a known time zone.")
    return changes


def set_consent(actor: Member, purpose: str, data: ConsentIn, *, source: ConsentSource) -> Consent:
    """Record the member's own answer for one purpose (nobody answers for someone else).
    A change is kept as an event; the same answer twice changes nothing."""
    if purpose not in Purpose.values or purpose == Purpose.SHARE_WITH_PARTNER:
        raise NotFound(f"{purpose!r} is not a consent purpose.")
    if data.granted and purpose not in OFFERED_PURPOSES:
        # Turning off stays possible, so an answer given before a feature was withdrawn
        # can always be taken back.
        raise NotFound(f"{Purpose(purpose).label!r} is not offered: nothing uses it yet.")
    granted, now = data.granted, timezone.now()
    with transaction.atomic(durable=True):
        member = Member.objects.filter(pk=actor.pk, erased_at__isnull=True).first()
        if member is None or not permissions.can_change_consent(actor, member):
            raise Forbidden("Only the member can change their own consent.")
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
        transaction.on_commit(group_counts_changed)  # who a group page lists
    return consent


def consent_record(owner: int, purpose: str, granted: bool, source: str) -> ledger.Record:
    """A consent change as the ledger holds it: that one happened, and a commitment to what."""
    return ledger.about_member(
        "consent.changed",
        ledger.MEMBER,
        owner,
        {"purpose": str(purpose), "granted": granted, "source": str(source)},
    )
