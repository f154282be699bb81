"""The public calendar: events set by stewards and group leads (activities, deadlines,
milestones and recurring rituals), and the secret links members use for their private feed.

Decision closings, partnership reviews and term endings are not stored here: the calendar
reads them from their own records, so they can never disagree.
"""

from django.db import models
from django.utils import timezone

from accord.people.models import Group, Member, validate_time_zone


class CalendarKind(models.TextChoices):
    ACTIVITY = "activity", "Activity"
    DEADLINE = "deadline", "Deadline"
    MILESTONE = "milestone", "Milestone"
    RITUAL = "ritual", "Ritual"


class Visibility(models.TextChoices):
    PUBLIC = "public", "Everyone, in public"
    MEMBERS = "members", "Members only (a group's event: its members only)"


class CalendarEvent(models.Model):
    """An event, once or recurring by an RFC 5545 rule, in the time zone it was set in.
    An all-day event starts at local midnight and ends at the midnight after its last day."""

    title = models.CharField(max_length=160)
    description = models.TextField(blank=True, max_length=5000)
    kind = models.CharField(max_length=12, choices=CalendarKind, default=CalendarKind.ACTIVITY)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    all_day = models.BooleanField(default=False)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    rule = models.CharField(max_length=300, blank=True)  # an RRULE value; empty: once
    responsible = models.CharField(max_length=120, blank=True)  # a role, or an office holder
    # The whole community when empty; else this group's event.
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="calendar_events"
    )
    visibility = models.CharField(max_length=8, choices=Visibility, default=Visibility.PUBLIC)
    created_by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["cancelled_at", "starts_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class FeedToken(models.Model):
    """The secret in a member's private feed link. Shown once when made; only its SHA-256
    digest is stored. Revoking it stops the link at once."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="feed_tokens")
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"feed link {self.prefix}…"
