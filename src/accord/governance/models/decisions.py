"""Decisions: proposals put to a vote of the community or of a group, their electorate,
ballots and discussion."""

from fractions import Fraction

from django.db import models
from django.utils import timezone

from accord.domain.mandates import Gated
from accord.domain.voting import Poll, PollType
from accord.people.models import Group, Member


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open for votes"
    CLOSED = "closed", "Closed"


class Decision(models.Model):
    """A proposal put to a vote. Its electorate is fixed when it opens (`ElectorateEntry`);
    its tally is written when it closes, and an outcome statement is due after that."""

    title = models.CharField(max_length=160)
    body = models.TextField(max_length=10_000)
    # The whole community when empty; else the members of this group.
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    # The partnership the decision is about, if any: whoever holds an open disclosure on it
    # does not vote.
    subject = models.ForeignKey(
        "partners.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    # What a pass allows (`accord.domain.mandates`): none, or a gated action on `target`,
    # the exact thing decided; `proposal` holds what carrying it out needs (a policy
    # document and the day it takes effect, or a decision right's new setting).
    action = models.CharField(
        max_length=32, blank=True, choices=[(g.value, g.label) for g in Gated]
    )
    target = models.CharField(max_length=200, blank=True)
    proposal = models.JSONField(null=True, blank=True)
    poll = models.CharField(max_length=16, choices=[(p.value, p.value) for p in PollType])
    options = models.JSONField(default=list, blank=True)  # labels, numbered from 0
    threshold = models.CharField(max_length=24, default="1/2")  # an exact share, "n/d"
    quorum = models.CharField(max_length=24, default="0")
    secret = models.BooleanField(default=False)
    proposer = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="proposed_decisions"
    )
    status = models.CharField(max_length=8, choices=Status, default=Status.DRAFT)
    created_at = models.DateTimeField(default=timezone.now)
    opens_at = models.DateTimeField(null=True, blank=True)  # set when it opens
    closes_at = models.DateTimeField()  # votes are taken until then
    closed_at = models.DateTimeField(null=True, blank=True)
    electorate_size = models.PositiveIntegerField(default=0)
    tally = models.JSONField(null=True, blank=True)  # `voting.Tally.record()` at close
    outcome = models.TextField(blank=True, max_length=5000)
    outcome_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "closes_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def as_poll(self) -> Poll:
        return Poll(
            PollType(self.poll),
            tuple(self.options),
            Fraction(self.threshold),
            Fraction(self.quorum),
            self.electorate_size,
        )

    @property
    def passed(self) -> bool:
        return self.status == Status.CLOSED and bool(self.tally and self.tally.get("passed"))

    @property
    def outcome_due(self) -> bool:
        """Closed, and nobody has yet said what the community makes of the result."""
        return self.status == Status.CLOSED and not self.outcome


class ElectorateEntry(models.Model):
    """A member entitled to vote on a decision, as snapshotted when it opened."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="electorate")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="one_seat_per_decision")
        ]

    def __str__(self) -> str:
        return f"seat {self.pk} on decision {self.decision_id}"


class Ballot(models.Model):
    """A voter's current choice, as its canonical JSON payload (`voting.choice_payload`).
    One per voter, replaced until the decision closes. A secret ballot's row is never shown
    to anyone but its voter."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots")
    voter = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    choice = models.JSONField()
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["decision", "voter"], name="one_ballot_per_voter")
        ]

    def __str__(self) -> str:
        return f"ballot {self.pk} on decision {self.decision_id}"  # never who or what


class DecisionComment(models.Model):
    """A member's contribution to a decision's discussion; its author is named only where
    `accord.people.visibility` lets the reader see them."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=2000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["decision", "at"])]

    def __str__(self) -> str:
        return f"comment {self.pk} on decision {self.decision_id}"
