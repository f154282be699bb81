"""Members, groups, roles, leadership terms and consent."""

import secrets
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone


def new_pseudonym() -> str:
    """A member's public handle (profile URLs, directory, API): random, and unrelated to
    anything in the ledger."""
    return "m-" + secrets.token_hex(8)


def new_ledger_secret() -> bytes:
    """The key behind a member's blinded ledger subjects; it never leaves the server."""
    return secrets.token_bytes(32)


class User(AbstractUser):
    """A sign-in account. Everything a community knows about the person is on `Member`.

    People sign in with their email; `username` holds the same address and is never shown.
    """

    email = models.EmailField("email address", unique=True)

    def __str__(self) -> str:
        return self.email


class SiteRole(models.TextChoices):
    MEMBER = "member", "Member"
    STEWARD = "steward", "Steward"
    TREASURER = "treasurer", "Treasurer"
    PARTNER_REP = "partner_rep", "Partner representative"
    AUDITOR = "auditor", "Auditor"


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"{value!r} is not a known time zone (e.g. Europe/Paris).")


class Member(models.Model):
    """A person in the community: their profile, their site role, their public handle.

    Erasing a member keeps this row as an anonymous tombstone (no account, no profile, no
    ledger secret) so that their statements, postings and contributions still add up.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    # The public handle; the field keeps its historical name.
    pseudonym = models.CharField(max_length=20, unique=True, default=new_pseudonym, editable=False)
    ledger_secret = models.BinaryField(
        max_length=32, null=True, default=new_ledger_secret, editable=False
    )
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    display_name = models.CharField(max_length=80)
    pronouns = models.CharField(max_length=40, blank=True)
    bio = models.TextField(blank=True, max_length=2000)
    expertise = models.JSONField(default=list, blank=True, help_text="Expertise tags")
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    accessibility_needs = models.TextField(
        blank=True,
        max_length=2000,
        help_text="Private: seen only by you and the stewards who organise events.",
    )
    role = models.CharField(max_length=16, choices=SiteRole, default=SiteRole.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["display_name", "id"]
        indexes = [
            models.Index(fields=["role"]),
            # The directory reads members in name order (handle breaks ties), a page at a time.
            models.Index(fields=["display_name", "pseudonym"], name="member_directory_order"),
        ]

    def __str__(self) -> str:
        return self.display_name


class GroupKind(models.TextChoices):
    CHAPTER = "chapter", "Chapter"
    AFFINITY = "affinity", "Affinity group"
    COMMITTEE = "committee", "Committee"
    WORKING_GROUP = "working_group", "Working group"
    NETWORK = "network", "Network"


class Group(models.Model):
    """A sub-community; groups nest to any depth through `parent`."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=16, choices=GroupKind)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    term_limit = models.PositiveSmallIntegerField(
        default=2, help_text="How many consecutive terms one person may lead this group."
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Archived groups leave the tree and cannot be joined; their history stays.
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class GroupRole(models.TextChoices):
    LEAD = "lead", "Lead"
    CO_LEAD = "co_lead", "Co-lead"
    MEMBER = "member", "Member"
    SHADOW = "shadow", "Shadow (learning a role)"


class Membership(models.Model):
    """A member's time in a group. Leaving closes the row; history is kept."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=8, choices=GroupRole, default=GroupRole.MEMBER)
    joined_at = models.DateTimeField(default=timezone.now)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["group__name", "joined_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "group"],
                condition=Q(left_at__isnull=True),
                name="one_active_membership_per_group",
            )
        ]
        # A group's active members by role, covering: its page counts and lists a role
        # without reading the table.
        indexes = [
            models.Index(fields=["group", "left_at", "role", "member"], name="membership_by_role")
        ]

    def __str__(self) -> str:
        return f"{self.member} in {self.group} ({self.role})"


class LeadershipTerm(models.Model):
    """A term as lead or co-lead of a group, from `start` to `end` inclusive."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="terms")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="terms")
    role = models.CharField(
        max_length=8,
        choices=[(GroupRole.LEAD, "Lead"), (GroupRole.CO_LEAD, "Co-lead")],
        default=GroupRole.LEAD,
    )
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["group", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="term_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} {self.role} of {self.group} {self.start}..{self.end}"


class Purpose(models.TextChoices):
    """Uses of a member's data. Each is off until the member turns it on."""

    MEMBER_DIRECTORY = "member_directory", "Show me to other members"
    PUBLIC_RECOGNITION = "public_recognition", "Public recognition"
    PARTNER_CONTACT = "partner_contact", "Partners may contact me"
    SHARE_PROFILE_WITH_PARTNERS = "share_profile_with_partners", "Share my profile with partners"
    # Answered per partner (`PartnerConsent`), never through `Consent`.
    SHARE_WITH_PARTNER = "share_with_partner", "Share who I am with one partner"
    EXPERT_DIRECTORY = "expert_directory", "List me in the expert directory"
    NEWSLETTER = "newsletter", "Newsletter"


class ConsentSource(models.TextChoices):
    WEB = "web", "Web"
    API = "api", "API"
    CLI = "cli", "Command line"
    ADMIN = "admin", "Admin"
    IMPORT = "import", "Import"
    DEMO = "demo", "Demo seed"


class Consent(models.Model):
    """The current answer for one member and purpose; absent means no."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(max_length=32, choices=Purpose)
    granted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "purpose"], name="one_consent_per_purpose")
        ]
        indexes = [models.Index(fields=["purpose", "granted", "member"])]

    def __str__(self) -> str:
        return f"{self.member} {self.purpose}={'yes' if self.granted else 'no'}"


class ConsentEvent(models.Model):
    """One change of consent: kept forever as the member's history."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="consent_events")
    purpose = models.CharField(max_length=32, choices=Purpose)
    granted = models.BooleanField()
    at = models.DateTimeField(default=timezone.now)
    source = models.CharField(max_length=8, choices=ConsentSource)
    actor = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set for a change of consent to share with one named partner (`PartnerConsent`).
    partner = models.ForeignKey(
        "partners.Partner", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["member", "-at"])]

    def __str__(self) -> str:
        return f"{self.member} {self.purpose} -> {'yes' if self.granted else 'no'} ({self.source})"


@dataclass(frozen=True)
class PurposeUse:
    """Where a purpose is used: what "My consent" says about it, with a link to the place."""

    explanation: str
    where: str  # the link's text
    url_name: str  # the page where it is used


# The purposes offered on "My consent": only those whose feature exists. A purpose whose
# feature is not built yet (the expert directory, the newsletter) is not offered, and
# answers already given for it are used nowhere.
OFFERED_PURPOSES: dict[str, PurposeUse] = {
    Purpose.MEMBER_DIRECTORY: PurposeUse(
        "Other signed-in members can see your name, pronouns, bio and expertise in the member "
        "directory and on the pages of groups you belong to. When this is off, you are counted "
        "but not named.",
        "the member directory",
        "people:members",
    ),
    Purpose.PUBLIC_RECOGNITION: PurposeUse(
        "Reward formats that feature you publicly (a newsletter feature, a spot on the home "
        "page) are offered to you on your statements. When this is off, those formats are not "
        "offered and nothing names you; your contributions still count in full.",
        "your benefits",
        "benefits:mine",
    ),
    Purpose.PARTNER_CONTACT: PurposeUse(
        "Representatives of our partners may see your email address to contact you about "
        "opportunities. When this is off, partners cannot reach you through Accord.",
        "our partners",
        "partners:list",
    ),
    Purpose.SHARE_PROFILE_WITH_PARTNERS: PurposeUse(
        "Representatives of our partners may see your name, pronouns, bio and expertise, and "
        "the groups you belong to. When this is off, partners only ever see totals in which "
        "you cannot be singled out.",
        "our partners",
        "partners:list",
    ),
}


class PartnerConsent(models.Model):
    """The member's current answer to sharing who they are (name, profile, e-mail address)
    with one named partner's representatives; absent means no.

    Partners sit above people, so the partner is named by its app label: `people` never
    imports `partners`. A partner's representatives see a member's identity in that
    partner's views (its members page, its offerings' uptake) only under this consent or,
    for the members page, the all-partners switch (see `accord.people.visibility`)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="partner_consents")
    partner = models.ForeignKey("partners.Partner", on_delete=models.CASCADE, related_name="+")
    granted = models.BooleanField(default=False)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "partner"], name="one_consent_per_partner")
        ]
        indexes = [models.Index(fields=["partner", "granted", "member"])]

    def __str__(self) -> str:
        answer = "yes" if self.granted else "no"
        return f"{self.member} shares with partner {self.partner_id}={answer}"


class TokenScope(models.TextChoices):
    """What a token may do, on top of what its member may do: reading (GET), other writes,
    and the treasury's money moves (funding, committing and closing pools, payouts)."""

    READ = "read", "Read"
    WRITE = "write", "Write"
    TREASURY = "treasury", "Treasury"


class AccessToken(models.Model):
    """A token is shown once at creation; only its SHA-256 digest is stored. It expires,
    carries only its scopes, and is revoked when its member's password or role changes."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)  # TokenScope values
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_because = models.CharField(max_length=40, blank=True)

    class Meta:
        db_table = "api_accesstoken"  # created when tokens lived in the api app
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()
