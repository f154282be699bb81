"""Partners of the community, and the members who represent them."""

from django.db import models
from django.utils import timezone

from accord.people.models import Member


class PartnerKind(models.TextChoices):
    SPONSOR = "sponsor", "Sponsor"
    VENDOR = "vendor", "Vendor"
    UNIVERSITY = "university", "University"
    ASSOCIATION = "association", "Association"
    FOUNDATION = "foundation", "Foundation"
    NGO = "ngo", "NGO"
    MEDIA = "media", "Media"
    PUBLIC_BODY = "public_body", "Public body"


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


class Representative(models.Model):
    """Binds a member with the partner-representative role to the one partner they speak for."""

    member = models.OneToOneField(Member, on_delete=models.CASCADE, related_name="representation")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="representatives")
    since = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.member} for {self.partner}"
