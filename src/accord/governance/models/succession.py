"""Rotation and succession: the community's offices and who holds them, calls for
volunteers, succession plans, and the institutional memory.

A group's lead and co-leads keep their terms in `people.LeadershipTerm` (with the group's
term limit); a `Position` is any other office (chair, treasurer, secretary, a steering
committee seat), of the whole community or of a group, with its own seats and limit.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from accord.people.models import Group, Member


class Position(models.Model):
    """An office with `seats` holders at a time, each serving terms of about `term_months`,
    at most `term_limit` of them in a row."""

    title = models.CharField(max_length=120)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="positions"
    )  # None: an office of the whole community
    description = models.TextField(blank=True, max_length=2000)
    seats = models.PositiveSmallIntegerField(default=1)
    term_months = models.PositiveSmallIntegerField(default=12)
    term_limit = models.PositiveSmallIntegerField(default=2)
    # The succession plan's knowledge-transfer notes: what a successor needs to know.
    transfer_notes = models.TextField(blank=True, max_length=10_000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class PositionTerm(models.Model):
    """A member's term in a position, from `start` to `end` inclusive."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="terms")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    start = models.DateField()
    end = models.DateField()

    class Meta:
        ordering = ["position", "start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="position_term_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"term {self.pk} of position {self.position_id}"


class PlanRole(models.TextChoices):
    SUCCESSOR = "successor", "Successor candidate"
    SHADOW = "shadow", "Shadow (learning the role)"


class PlanPerson(models.Model):
    """A member named in a position's succession plan."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="plan_people")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    role = models.CharField(max_length=10, choices=PlanRole)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["role", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["position", "member"], name="one_plan_place_each")
        ]

    def __str__(self) -> str:
        return f"{self.role} {self.pk} for position {self.position_id}"


class HandoverItem(models.Model):
    """One step of a position's handover checklist."""

    position = models.ForeignKey(Position, on_delete=models.CASCADE, related_name="checklist")
    text = models.CharField(max_length=200)
    done = models.BooleanField(default=False)
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return f"handover item {self.pk} of position {self.position_id}"


class CallStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class VolunteerCall(models.Model):
    """A call for volunteers for a position's open seats: what is asked for, and the
    backgrounds the body aims to draw on (labels answerers describe themselves by)."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="calls")
    asks = models.TextField(max_length=4000)
    backgrounds = models.JSONField(default=list, blank=True)
    opened_at = models.DateTimeField(default=timezone.now)
    closes_on = models.DateField()
    status = models.CharField(max_length=8, choices=CallStatus, default=CallStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"call {self.pk} for position {self.position_id}"


class CallAnswer(models.Model):
    """A member's answer to a call; seen only by stewards and the answerer."""

    call = models.ForeignKey(VolunteerCall, on_delete=models.CASCADE, related_name="answers")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    backgrounds = models.JSONField(default=list, blank=True)
    note = models.TextField(blank=True, max_length=2000)
    answered_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["answered_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "member"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_live_answer_per_call",
            )
        ]

    def __str__(self) -> str:
        return f"answer {self.pk} to call {self.call_id}"


class MemoryKind(models.TextChoices):
    LESSON = "lesson", "Lesson learned"
    DECISION = "decision", "Decision"
    STRATEGY = "strategy", "Successful strategy"
    CAUTION = "caution", "Cautionary tale"


class MemoryEntry(models.Model):
    """An entry in the institutional memory, linked to the decision or partnership it came
    from. Stewards may hide one, with a reason; it is never deleted."""

    kind = models.CharField(max_length=10, choices=MemoryKind)
    title = models.CharField(max_length=160)
    body = models.TextField(max_length=10_000)
    decision = models.ForeignKey(
        "governance.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memories",
    )
    agreement = models.ForeignKey(
        "partners.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memories",
    )
    author = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "memory entries"

    def __str__(self) -> str:
        return self.title
