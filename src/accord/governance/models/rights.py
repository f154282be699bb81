"""Decision rights: which body decides each gated action, by what threshold and quorum."""

from django.db import models
from django.utils import timezone

from accord.domain.mandates import Gated
from accord.people.models import Group


class DecisionRight(models.Model):
    """Who decides one gated action. An action with no row is decided by the whole
    community, by consent, with more agreement than disagreement and no quorum: Accord's
    default, documented in the README. Rows change only by carrying out a passed decision
    of the whole community (`services.carry_out_decision`)."""

    action = models.CharField(
        max_length=32, unique=True, choices=[(g.value, g.label) for g in Gated]
    )
    # The deciding body: this group's members; the whole community when empty.
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="decision_rights"
    )
    threshold = models.CharField(max_length=24, default="1/2")
    quorum = models.CharField(max_length=24, default="0")
    decision = models.PositiveBigIntegerField(null=True, blank=True)  # that set it
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["action"]

    def __str__(self) -> str:
        return f"{self.action}: {self.group or 'the community'}"
