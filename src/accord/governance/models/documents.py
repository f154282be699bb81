"""Living documents: guidelines, plans and codes of conduct, kept as numbered revisions
with their author and summary, discussed revision by revision, and changed by proposals any
member may make. A governed document changes only through a passed decision."""

from django.db import models
from django.utils import timezone

from accord.governance.models.decisions import Decision
from accord.people.models import Group, Member

TITLE_MAX = 160
BODY_MAX = 50_000
SUMMARY_MAX = 300
COMMENT_MAX = 2000
REASON_MAX = 1000


class Kind(models.TextChoices):
    FUNDING = "funding", "Funding guideline"
    DECISION_RIGHTS = "decision_rights", "Decision-rights guideline"
    ACCOUNTABILITY = "accountability", "Accountability guideline"
    PLAN = "plan", "Plan"
    CONDUCT = "conduct", "Code of conduct"


class Document(models.Model):
    """A published document. Its owners are the leads of `group`, or the stewards when it
    has none (stewards own every document as well)."""

    title = models.CharField(max_length=TITLE_MAX)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind)
    group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.PROTECT, related_name="documents"
    )
    governed = models.BooleanField(default=False)  # changes only through a passed decision
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class Revision(models.Model):
    """One numbered version of a document's text (plain paragraphs); never edited."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    body = models.TextField(max_length=BODY_MAX)
    summary = models.CharField(max_length=SUMMARY_MAX)
    author = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    # For a governed document: the passed decision that adopted this revision.
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="one_revision_number")
        ]

    def __str__(self) -> str:
        return f"revision {self.number} of document {self.document_id}"


class RevisionComment(models.Model):
    """A member's comment on a revision; the author is named only where
    `accord.people.visibility` lets the reader see them."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(max_length=COMMENT_MAX)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on revision {self.revision_id}"


class ChangeStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    PUT_TO_DECISION = "decision", "Put to a decision"
    ADOPTED = "adopted", "Adopted after a decision"


class ProposedChange(models.Model):
    """A member's suggested revision, written on `base`. The owners accept or decline it;
    for a governed document they put it to a decision, and adopt it once that passes."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="proposals")
    base = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=BODY_MAX)
    summary = models.CharField(max_length=SUMMARY_MAX)
    proposer = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ChangeStatus, default=ChangeStatus.OPEN)
    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(blank=True, max_length=REASON_MAX)  # why it was declined
    revision = models.ForeignKey(  # the revision it became
        Revision, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"proposed change {self.pk} to document {self.document_id}"
