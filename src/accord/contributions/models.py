"""Members' contributions, their review, and the published attribution policies."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accord.people.models import Group, Member


class Kind(models.TextChoices):
    CONTENT = "content", "Content"
    EVENT_ORGANISATION = "event_organisation", "Event organisation"
    ADVISORY = "advisory", "Advisory"
    MENTORING = "mentoring", "Mentoring"
    MODERATION = "moderation", "Moderation"
    ANSWERING = "answering", "Answering questions"
    RESEARCH = "research", "Research"
    CODE = "code", "Code"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    PENDING = "pending", "Waiting for review"
    VERIFIED = "verified", "Verified"
    REJECTED = "rejected", "Rejected"
    DISPUTED = "disputed", "Rejection disputed"


LEVELS = {1: "Light", 2: "Moderate", 3: "Substantial", 4: "Major", 5: "Exceptional"}


class Contribution(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="contributions")
    kind = models.CharField(max_length=24, choices=Kind)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True, max_length=5000)
    evidence_url = models.URLField(blank=True, max_length=500)
    date = models.DateField()
    hours_h100 = models.PositiveIntegerField(
        default=0, help_text="Hours in hundredths (350 = 3.5 hours), so sums stay exact."
    )
    level = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="contributions"
    )
    initiative = models.CharField(max_length=120, blank=True)
    partnership = models.ForeignKey(
        "partners.Agreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
        help_text="The partnership agreement this work served.",
    )
    status = models.CharField(max_length=10, choices=Status, default=Status.PENDING)
    impact = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    reviewer = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, max_length=2000)
    dispute_reason = models.TextField(blank=True, max_length=2000)
    source_key = models.CharField(
        max_length=120,
        null=True,
        blank=True,
        unique=True,
        help_text="The import's own id for this row; a second import of it is skipped.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # id too: the review queue reads each status oldest first, ties by id.
            models.Index(fields=["status", "date", "id"], name="contribution_status_date"),
            models.Index(fields=["member", "status", "date"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="verified", impact__isnull=False) | ~Q(status="verified"),
                name="verified_has_impact",
            ),
            models.CheckConstraint(
                condition=Q(hours_h100__lte=100_000), name="hours_at_most_1000"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def hours(self) -> str:
        whole, part = divmod(self.hours_h100, 100)
        return f"{whole}.{part:02d}"


class PolicyVersion(models.Model):
    """A published attribution policy. Old versions stay, so old results can be re-derived."""

    version = models.PositiveIntegerField(unique=True)
    effective_from = models.DateField()
    document = models.JSONField()
    digest = models.CharField(max_length=64, help_text="SHA-256 of the canonical document.")
    reason = models.TextField()
    published_by = models.ForeignKey(
        Member, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"policy v{self.version} from {self.effective_from}"
