"""Double-entry accounts, benefit pools, distributions, statements, choices and payouts.

Amounts are integers in the unit's minor units (cents for EUR, whole credits for
non-monetary units). Every transaction's postings sum to zero per unit.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accord.contributions.models import PolicyVersion
from accord.people.models import Group, Member


class AccountKind(models.TextChoices):
    PARTNER_FUNDING = "partner_funding", "Partner funding"
    POOL = "pool", "Pool"
    MEMBER_PAYABLE = "member_payable", "Owed to a member"
    MEMBER_CARRY = "member_carry", "Carried over for a member"
    PAID_OUT = "paid_out", "Paid out"
    COMMUNITY_FUND = "community_fund", "Community fund"


class Account(models.Model):
    """One account per owner and unit; `code` names it uniquely, e.g. "payable:42:EUR"."""

    code = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=16, choices=AccountKind)
    unit = models.CharField(max_length=32)
    pool = models.ForeignKey(
        "Pool", null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    member = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts"
    )
    label = models.CharField(max_length=160, blank=True)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.label or ''} ({self.unit})"


class Transaction(models.Model):
    """A balanced set of postings; `key` makes a retried write land once."""

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the postings.")
    memo = models.CharField(max_length=300)
    at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.memo


class Posting(models.Model):
    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    amount = models.BigIntegerField()
    unit = models.CharField(max_length=32)

    class Meta:
        indexes = [models.Index(fields=["account"])]

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}"


class Method(models.TextChoices):
    IMMEDIATE = "immediate", "Points in the period"
    RECENT = "recent", "Recent points (decaying with a half-life)"
    BALANCED = "balanced", "Balanced: furthest below their fair share first"


class Pool(models.Model):
    """Benefits to share out: money in a currency or units such as training credits."""

    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    description = models.TextField(blank=True)
    unit = models.CharField(
        max_length=32, help_text="ISO 4217 code, or a unit like training_credit"
    )
    method = models.CharField(max_length=10, choices=Method)
    half_life_days = models.PositiveIntegerField(default=90)
    period_start = models.DateField()
    period_end = models.DateField()
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="pools")
    eligible_groups = models.ManyToManyField(
        Group, blank=True, related_name="pools", help_text="Empty: every member."
    )
    minimum_payout = models.BigIntegerField(default=0)
    member_cap = models.BigIntegerField(null=True, blank=True)
    formats = models.JSONField(default=list, help_text='Reward formats, e.g. ["cash", "voucher"]')
    publishing_formats = models.JSONField(
        default=list,
        blank=True,
        help_text="The formats that publish the member (a featured spot, a showcase): offered "
        "only to members who turned on public recognition, and never the first format.",
    )
    choice_days = models.PositiveIntegerField(
        default=30, help_text="Days members have to choose a format."
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(
        null=True, blank=True, help_text="Closed: no further rounds; what is left stays in it."
    )

    class Meta:
        ordering = ["-period_end", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="pool_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Distribution(models.Model):
    """One committed share-out of a pool. A pool's round is committed once, ever."""

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="distributions")
    round = models.PositiveIntegerField()
    key = models.CharField(max_length=200, unique=True)
    method = models.CharField(max_length=10, choices=Method)
    seed = models.CharField(max_length=64)
    total = models.BigIntegerField(help_text="Pool balance shared in this round.")
    unallocated = models.BigIntegerField(default=0)
    total_weight = models.CharField(max_length=60, default="0")
    policy = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField()
    committed_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    committed_at = models.DateTimeField(default=timezone.now)
    choice_deadline = models.DateField()
    # What the round used, kept with it: editing the pool later changes only later rounds.
    minimum_payout = models.BigIntegerField(default=0)
    member_cap = models.BigIntegerField(null=True, blank=True)
    formats = models.JSONField(default=list)
    publishing_formats = models.JSONField(default=list, blank=True)
    # BALANCED: everything the pool paid before, and the water level ("n/d"), as published.
    total_received = models.BigIntegerField(default=0)
    level = models.TextField(blank=True)
    # How many statements the round wrote: fixed at commit (statements are never added or
    # removed afterwards), so a pool page does not count tens of thousands of rows.
    statement_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-committed_at"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "round"], name="one_commit_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.pool} round {self.round}"


class RoundApproval(models.Model):
    """A second office holder's approval of a pool's next round, exactly as previewed: its
    rows' digest. A treasurer who would receive more than the configured amount from a round
    commits it only with an approval by someone else for those same rows."""

    pool = models.ForeignKey(Pool, on_delete=models.PROTECT, related_name="approvals")
    round = models.PositiveIntegerField()
    rows_sha256 = models.CharField(max_length=64)
    approved_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-approved_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["pool", "round", "approved_by"], name="one_approval_per_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pool} round {self.round} approved"


class Choice(models.TextChoices):
    PENDING = "pending", "Not chosen yet"
    TAKE = "take", "Take it"
    SWITCH = "switch", "Switched format"
    DONATE = "donate", "Donated to the community fund"
    DECLINE = "decline", "Declined (returns to the pool)"


class Statement(models.Model):
    """What one member received from one distribution, with the numbers that re-derive it."""

    distribution = models.ForeignKey(
        Distribution, on_delete=models.PROTECT, related_name="statements"
    )
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="statements")
    weight = models.CharField(max_length=40, help_text="Integer weight (can exceed 64 bits).")
    points_cp = models.BigIntegerField(default=0)
    share = models.BigIntegerField(default=0)
    capped_excess = models.BigIntegerField(default=0)
    redistributed = models.BigIntegerField(default=0)
    carried_in = models.BigIntegerField(default=0)
    carried_out = models.BigIntegerField(default=0)
    payout = models.BigIntegerField(default=0)
    received_before = models.BigIntegerField(default=0)
    contribution_ids = models.JSONField(default=list)
    choice = models.CharField(max_length=8, choices=Choice, default=Choice.PENDING)
    format = models.CharField(max_length=40, blank=True)
    chosen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["distribution", "member"], name="one_statement_per_member"
            ),
        ]
        indexes = [models.Index(fields=["member", "distribution"])]

    def __str__(self) -> str:
        return f"{self.member} in {self.distribution}"


class PayoutStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PAID = "paid", "Paid"


class Payout(models.Model):
    """A taken reward waiting for the treasurer; marked paid exactly once."""

    statement = models.OneToOneField(
        Statement, on_delete=models.PROTECT, related_name="payout_row"
    )
    amount = models.BigIntegerField()
    unit = models.CharField(max_length=32)
    format = models.CharField(max_length=40)
    status = models.CharField(max_length=8, choices=PayoutStatus, default=PayoutStatus.PENDING)
    paid_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(max_length=120, blank=True)

    class Meta:
        indexes = [
            # The treasurer's list: pending ones in order, however many were paid before.
            models.Index(
                fields=["id"], condition=Q(status="pending"), name="benefits_payout_pending"
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.unit} ({self.status})"
