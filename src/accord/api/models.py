"""Personal access tokens for scripts using the API."""

from django.db import models
from django.utils import timezone

from accord.people.models import Member


class AccessToken(models.Model):
    """A token is shown once at creation; only its SHA-256 digest is stored."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="access_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=12, help_text="The first characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
