"""Escalation paths: the levels a concern climbs (per group, or the community's), the
concerns members raise, and each concern's dated history."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accord.people.models import Group, Member


class EscalationLevel(models.Model):
    """One rung of a ladder: who handles a concern there, and how long they have."""

    # The community's ladder when empty; else this group's.
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="escalation_levels"
    )
    rank = models.PositiveSmallIntegerField()  # 1 is where a concern starts
    name = models.CharField(max_length=120)
    response_hours = models.PositiveIntegerField()
    handlers = models.ManyToManyField(Member, related_name="handled_levels")

    class Meta:
        ordering = ["group_id", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["group", "rank"], name="one_level_per_rank"),
            models.UniqueConstraint(
                fields=["rank"],
                condition=Q(group__isnull=True),
                name="one_community_level_per_rank",
            ),
        ]

    def __str__(self) -> str:
        return f"level {self.rank}: {self.name}"

    def ladder(self) -> "models.QuerySet[EscalationLevel]":
        """Every level of the ladder this one is on."""
        if self.group_id is None:
            return EscalationLevel.objects.filter(group__isnull=True)
        return EscalationLevel.objects.filter(group_id=self.group_id)


class ConcernKind(models.TextChoices):
    PARTNERSHIP = "partnership", "A partnership"
    DECISION = "decision", "A decision"
    BENEFIT = "benefit", "A benefit"
    CONDUCT = "conduct", "Conduct"


class ConcernStatus(models.TextChoices):
    OPEN = "open", "Waiting for a response"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class Concern(models.Model):
    """A concern a member raised. It waits at `level` until `deadline`; past it, it climbs
    by itself, and at the top it stays, flagged `overdue`. Its raiser is shown only to its
    handlers (and, unless it is anonymous, to stewards)."""

    raiser = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="raised_concerns"
    )
    # The group whose ladder it climbs (the community's when empty or when it has none).
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="concerns"
    )
    kind = models.CharField(max_length=16, choices=ConcernKind)
    agreement = models.ForeignKey(
        "partners.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    decision = models.ForeignKey(
        "governance.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="concerns",
    )
    summary = models.CharField(max_length=160)
    body = models.TextField(max_length=5000)
    anonymous = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=ConcernStatus, default=ConcernStatus.OPEN)
    level = models.ForeignKey(EscalationLevel, on_delete=models.PROTECT, related_name="concerns")
    deadline = models.DateTimeField()
    overdue = models.BooleanField(default=False)  # past the top level's deadline
    raised_at = models.DateTimeField(default=timezone.now)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True, max_length=5000)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"concern {self.pk}"  # never its words or who raised it

    @property
    def within_deadline(self) -> bool:
        """Resolved by the deadline of the level that resolved it."""
        return self.resolved_at is not None and self.resolved_at <= self.deadline


class EventKind(models.TextChoices):
    RAISED = "raised", "Raised"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    ESCALATED = "escalated", "Escalated by a handler"
    DEADLINE = "deadline", "Escalated: its deadline passed"
    OVERDUE = "overdue", "Overdue at the top level"
    RESOLVED = "resolved", "Resolved"


class ConcernEvent(models.Model):
    """A dated step of a concern's path, shown to its raiser and handlers."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind)
    level = models.ForeignKey(EscalationLevel, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    deadline = models.DateTimeField(null=True, blank=True)  # the level's, from then

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} of concern {self.concern_id}"
