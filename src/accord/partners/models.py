"""Partners of the community, and the members who represent them."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils import timezone

from accord.domain.money import minor_units
from accord.domain.partnerships import Status
from accord.domain.risks import TITLE_MAX, Category, Rating, RiskStatus
from accord.people.models import Member


class PartnerKind(models.TextChoices):
    """The eight types of partner, named as associations name them."""

    SPONSOR = "sponsor", "Corporate Sponsorships"
    ASSOCIATION = "association", "Other Associations and Professional Organizations"
    FOUNDATION = "foundation", "Foundations and Nonprofits"
    UNIVERSITY = "university", "Universities and Educational Institutions"
    VENDOR = "vendor", "Vendors and Service Providers"
    PUBLIC_BODY = "public_body", "Government Agencies and Regulatory Bodies"
    NGO = "ngo", "Community Organizations and NGOs"
    MEDIA = "media", "Media Outlets and Industry Publications"


@dataclass(frozen=True)
class Exchange:
    """What a type of partner typically gives the community and gets from it (help text)."""

    gives: str
    gets: str


EXCHANGES: dict[str, Exchange] = {
    PartnerKind.SPONSOR: Exchange(
        gives="funding, in-kind goods, event sponsorship, staff volunteers",
        gets="visibility with members, brand association, goodwill, talent",
    ),
    PartnerKind.ASSOCIATION: Exchange(
        gives="joint events, shared advocacy, reciprocal member benefits, expertise",
        gets="reach into a neighbouring community, a stronger common voice",
    ),
    PartnerKind.FOUNDATION: Exchange(
        gives="grants, programme funding, evaluation know-how",
        gets="impact on its mission, a community to deliver through, reported outcomes",
    ),
    PartnerKind.UNIVERSITY: Exchange(
        gives="research, training, student projects, venues, accreditation",
        gets="field access, practitioners, research questions, placements for students",
    ),
    PartnerKind.VENDOR: Exchange(
        gives="discounts, services, technology access, expertise",
        gets="customers, feedback on products, a trusted channel to members",
    ),
    PartnerKind.PUBLIC_BODY: Exchange(
        gives="grants, data, policy consultation, public recognition",
        gets="a consulted constituency, delivery of public programmes, expertise",
    ),
    PartnerKind.NGO: Exchange(
        gives="volunteers, local knowledge, shared programmes",
        gets="members' skills and time, joint action, reach",
    ),
    PartnerKind.MEDIA: Exchange(
        gives="coverage, publishing space, advertising, a platform for members' work",
        gets="stories, expert sources, an engaged audience",
    ),
}


class Partner(models.Model):
    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(max_length=160, unique=True)
    kind = models.CharField(max_length=16, choices=PartnerKind)

    website = models.URLField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def exchange(self) -> Exchange:
        """What partners of this type typically give and get."""
        return EXCHANGES[self.kind]


class Representative(models.Model):
    """Binds a member with the partner-representative role to the one partner they speak for."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="representation")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="representatives")
    since = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member} for {self.partner}"


CONTACT_NAME_MAX, CONTACT_ROLE_MAX, CONTACT_EMAIL_MAX, CONTACT_PHONE_MAX = 160, 160, 254, 40


class PartnerContact(models.Model):
    """A named person at the partner organisation (its staff, not a community member): who
    to write to about what. Seen by office holders and the partner's own representatives;
    kept off the ledger except that a contact was added, changed or removed."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=CONTACT_NAME_MAX)
    role = models.CharField(max_length=CONTACT_ROLE_MAX, help_text="Their role or title.")
    email = models.EmailField(max_length=CONTACT_EMAIL_MAX)
    phone = models.CharField(max_length=CONTACT_PHONE_MAX, blank=True)
    added_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "email"], name="one_contact_per_email"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.role}) at {self.partner}"


class Reason(models.TextChoices):
    """The five reasons a community undertakes a partnership."""

    RESOURCES = "resources", "Resource augmentation"
    MEMBER_BENEFITS = "member_benefits", "Enhanced member benefits"
    INFLUENCE = "influence", "Influence and advocacy"
    REVENUE = "revenue", "Diversified revenue"
    NETWORKS = "networks", "Stronger networks"


class Agreement(models.Model):
    """A partnership agreement: why it exists, where it stands, and how mature it is."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="agreements")
    title = models.CharField(max_length=160)
    purpose = models.TextField(help_text="The shared purpose: why we undertake it.")
    reasons = models.JSONField(default=list, help_text="Which of the five reasons it serves.")
    member_needs = models.TextField(blank=True, help_text="The member needs it addresses.")
    status = models.CharField(
        max_length=16, choices=[(s.value, s.value.replace("_", " ")) for s in Status]
    )
    level = models.PositiveSmallIntegerField(default=1)
    target_level = models.PositiveSmallIntegerField(default=3)
    created_at = models.DateTimeField(default=timezone.now)
    review_every_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The review cadence; none until a steward sets it."
    )
    last_reviewed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["partner__name", "title"]

    def __str__(self) -> str:
        return f"{self.partner}: {self.title}"


class AgreementChange(models.Model):
    """The dated history of an agreement's status and maturity, each change with its reason
    (shown on the agreement; the ledger keeps a hash of the reason)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=16)  # status, level or target_level
    before = models.CharField(max_length=16, blank=True)
    after = models.CharField(max_length=16)
    reason = models.TextField()
    by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement} {self.field}: {self.before} -> {self.after}"

    @property
    def what(self) -> str:
        """What changed, as the partnership page says it."""
        return CHANGED_FIELDS.get(self.field, self.field)

    @property
    def move(self) -> str:
        """From what to what, in words ("evaluating → active", "1 → 2")."""
        before, after = (v.replace("_", " ") for v in (self.before, self.after))
        return f"{before} → {after}" if before else after


CHANGED_FIELDS = {"status": "Status", "level": "Maturity level", "target_level": "Target level"}


class EvaluationScore(models.Model):
    """One evaluator's score (1-5) of an agreement on one of the ten criteria, with a note;
    scoring a criterion again replaces the evaluator's earlier score."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="scores")
    evaluator = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    criterion = models.CharField(max_length=16)
    score = models.PositiveSmallIntegerField()
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "evaluator", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="score_from_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} {self.criterion}: {self.score}"


# -- updates channel --------------------------------------------------------------------------


class Side(models.TextChoices):
    """Who speaks in a partnership's updates channel."""

    COMMUNITY = "community", "Community"
    PARTNER = "partner", "Partner"


class Update(models.Model):
    """A post in a partnership's updates channel, by a steward for the community or by a
    representative for the partner (both act in office and are named by handle)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    side = models.CharField(max_length=16, choices=Side)
    body = models.TextField(max_length=5000)
    posted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-posted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.agreement}: update {self.pk}"


class UpdateComment(models.Model):
    """A member's comment on an update. Its author is shown only to readers who may see
    them (`accord.people.visibility`); the author may withdraw it at any time."""

    update = models.ForeignKey(Update, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="update_comments")
    body = models.TextField(max_length=2000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk} on update {self.update_id}"


# -- reciprocity ------------------------------------------------------------------------------


class ValueKind(models.TextChoices):
    """What a value record measures, on each side of the reciprocity ratio. Distributions a
    partnership funded and offerings members used are read from where they happen; the
    rest are recorded by a steward with the basis of the estimate."""

    TRAINING = "training", "Training hours for members"
    MEMBER_REPORTED = "member_reported", "Benefit members reported"
    SERVICES = "services", "Services given to members"
    EXPOSURE = "exposure", "Exposure the partner received"
    CONTACTS = "contacts", "Contacts with consenting members"
    FEES = "fees", "Fees the partner earned from members"
    INVOLVEMENT = "involvement", "Event or programme involvement"


TO_MEMBERS_KINDS = {ValueKind.TRAINING, ValueKind.MEMBER_REPORTED, ValueKind.SERVICES}


class ValueRecord(models.Model):
    """One dated input to a partnership's reciprocity: a value delivered to members or
    received by the partner, in the community's smallest unit of account, with the basis of
    the estimate (public: it is about the partnership, never about a member)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="values")
    kind = models.CharField(max_length=24, choices=ValueKind)
    amount = models.BigIntegerField()
    on = models.DateField()
    basis = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="value_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.kind} {self.amount} on {self.on}"


# -- risks and conflicts of interest ----------------------------------------------------------


class Risk(models.Model):
    """A line of a partnership's risk register: its category, likelihood and impact (1-5;
    severity is their product), the mitigation, who owns it (an office holder, or a party
    named by a label, such as the partner's events team) and where it stands."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="risks")
    category = models.CharField(max_length=16, choices=[(c.value, c.value) for c in Category])
    title = models.CharField(max_length=TITLE_MAX)
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    mitigation = models.TextField(blank=True, max_length=5000)
    owner = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_label = models.CharField(max_length=160, blank=True)
    status = models.CharField(
        max_length=16,
        choices=[(s.value, s.value) for s in RiskStatus],
        default=RiskStatus.OPEN.value,
    )
    raised_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["raised_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5
                ),
                name="risk_rated_from_one_to_five",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(owner__isnull=False, owner_label="")
                    | (models.Q(owner__isnull=True) & ~models.Q(owner_label=""))
                ),
                name="risk_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: risk {self.title}"

    @property
    def rating(self) -> Rating:
        return Rating(self.likelihood, self.impact)


class Disclosure(models.Model):
    """An office holder's declaration of an interest in a partnership. It is public (with
    the discloser's handle and office); while it is open the discloser does not decide on
    the partnership. Closing it keeps it, dated, with the reason."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="disclosures")
    discloser = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="disclosures")
    role = models.CharField(max_length=16)  # the office held when declaring
    interest = models.TextField(max_length=2000)
    declared_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.TextField(blank=True, max_length=2000)
    closed_by = models.ForeignKey(
        Member, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["declared_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "discloser"],
                condition=models.Q(closed_at__isnull=True),
                name="one_open_disclosure_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: disclosure {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


# -- offerings ---------------------------------------------------------------------------


class OfferingKind(models.TextChoices):
    """What a partner offers the community's members."""

    DISCOUNT = "discount", "Discount"
    SERVICE = "service", "Service"
    EVENT = "event", "Event"
    EDUCATION = "education", "Education"
    RESOURCE_ACCESS = "resource_access", "Resource access"


class Offering(models.Model):
    """Something a partner offers members, with who is eligible and its stated value: an
    exact decimal in the community currency (`ACCORD_CURRENCY`), as the partner states it."""

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="offerings")
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="offerings"
    )
    kind = models.CharField(max_length=16, choices=OfferingKind)
    title = models.CharField(max_length=160)
    description = models.TextField(blank=True, max_length=5000)
    eligibility = models.TextField(max_length=2000)
    value = models.DecimalField(max_digits=14, decimal_places=4)
    currency = models.CharField(max_length=3)
    is_open = models.BooleanField(default=True)
    created_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-is_open", "-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="offering_value_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.partner}: {self.title}"

    @property
    def stated_value(self) -> str:
        """The value as written in its currency, all its decimals: "25.50"."""
        return str(self.value.quantize(Decimal(1).scaleb(-minor_units(self.currency))))


class ClaimKind(models.TextChoices):
    CLAIM = "claim", "Claimed"
    INTEREST = "interest", "Interested"


class Claim(models.Model):
    """A member's claim of an offering, or their interest in it: one per member and
    offering; the member may withdraw it (the row goes)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="claims")
    kind = models.CharField(max_length=8, choices=ClaimKind)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "offering"], name="one_claim_per_offering")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of offering {self.offering_id}"


class Review(models.Model):
    """A member's review (1-5 and up to 2000 characters) of an offering they claimed; one
    per member and offering, replaced when they review again, withdrawable."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="reviews")
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["member", "offering"], name="one_review_per_offering"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="rating_from_one_to_five"
            ),
        ]

    def __str__(self) -> str:
        return f"review {self.pk} of offering {self.offering_id}"


# -- goals and commitments ---------------------------------------------------------------------

DIGITS, PLACES = 20, 4  # a metric: up to 16 digits before the point and 4 after


class Goal(models.Model):
    """A goal of the agreement with its metric: from a baseline to a target by a due date,
    measured by readings over time."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="goals")
    name = models.CharField(max_length=160)
    metric = models.CharField(max_length=300, help_text="What is measured.")
    unit = models.CharField(max_length=32)
    baseline = models.DecimalField(default=0, max_digits=DIGITS, decimal_places=PLACES)
    target = models.DecimalField(max_digits=DIGITS, decimal_places=PLACES)
    starts_on = models.DateField()
    due_on = models.DateField()
    added_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "name"], name="one_goal_per_name"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.name}"


class Reading(models.Model):
    """The value of a goal's metric on a date, recorded by a steward or the partner's own
    representative (office holders, named in the ledger by handle)."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="readings")
    value = models.DecimalField(max_digits=DIGITS, decimal_places=PLACES)
    on = models.DateField()
    by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value} on {self.on}"


class CommitmentKind(models.TextChoices):
    FINANCIAL = "financial", "Financial support"
    EXPERTISE = "expertise", "Expertise"
    TECHNOLOGY = "technology", "Technology access"
    STAFF = "staff", "Staff capacity"
    IN_KIND = "in_kind", "In-kind"
    EVENTS = "events", "Event or programme involvement"


class Commitment(models.Model):
    """What one party promises: a kind, a description, a due date and, for financial
    support, an amount in minor units of the community's currency."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="commitments")
    party = models.CharField(max_length=16, choices=Side)
    kind = models.CharField(max_length=16, choices=CommitmentKind)
    description = models.TextField(max_length=2000)
    amount = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    due_on = models.DateField()
    added_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="commitment_amount_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(kind="financial", amount__isnull=False)
                | (~models.Q(kind="financial") & models.Q(amount__isnull=True)),
                name="commitment_amount_iff_financial",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.kind} by the {self.party}"


class Fulfilment(models.Model):
    """A dated delivery against a commitment; for financial support, the amount received
    and the benefits transaction it was posted in."""

    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="fulfilments"
    )
    amount = models.BigIntegerField(null=True, blank=True)
    on = models.DateField()
    note = models.TextField(max_length=2000, blank=True)
    completes = models.BooleanField(default=False)
    transaction_key = models.CharField(max_length=200, blank=True)
    by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gt=0),
                name="fulfilment_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} fulfilled on {self.on}"


class AgreementVersion(models.Model):
    """A dated version of the agreement's purpose and member needs: version 1 is the text
    it was created with, each amendment adds the next with its summary and author."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    purpose = models.TextField()
    member_needs = models.TextField(blank=True)
    summary = models.TextField(max_length=2000)
    by = models.ForeignKey(Member, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} v{self.number}"


class Role(models.Model):
    """Who leads and who decides in one area of the partnership, for one party: the
    published decision rights."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="roles")
    party = models.CharField(max_length=16, choices=Side)
    area = models.CharField(max_length=160)
    leads = models.CharField(max_length=300, help_text="Who leads the work in this area.")
    decides = models.CharField(max_length=300, help_text="Who decides in this area.")
    set_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["party", "area", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party", "area"], name="one_role_per_area"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.area} ({self.party})"


class Document(models.Model):
    """A file attached to an agreement, kept in the database (app processes hold no files);
    its type was checked from its content, its SHA-256 is in the ledger."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(max_length=160)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()
    attached_by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    attached_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["attached_at", "pk"]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.name}"


class PoolFunding(models.Model):
    """Money a partner gives under an agreement straight into a benefits pool (not through
    the community fund): the pool, the amount and the benefits transaction that moved it,
    so reciprocity and revenue count it as that partner's."""

    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, related_name="pool_fundings"
    )
    pool = models.ForeignKey("benefits.Pool", on_delete=models.PROTECT, related_name="+")
    amount = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    on = models.DateField()
    transaction = models.OneToOneField(
        "benefits.Transaction", on_delete=models.PROTECT, related_name="+"
    )
    by = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="pool_funding_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agreement} funds pool {self.pool_id} on {self.on}"
