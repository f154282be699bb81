"""Personal access tokens: created, shown once, stored as a digest, revoked."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accord.domain.errors import InvalidInput, NotFound
from accord.people.models import (
    AccessToken,
    Member,
)
from accord.people.schemas import TokenIn

# Personal access tokens: created, shown once, stored as a digest, revoked ---------------

TOKEN_PREFIX = "acc_"  # noqa: S105 - a public prefix that marks Accord tokens, not a secret
MAX_ACTIVE_TOKENS = 20


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown to the member once, never stored


def create_token(actor: Member, data: TokenIn) -> NewToken:
    """A personal access token for scripts; its secret is shown once, never stored."""
    name = data.name.strip()
    if not name:
        raise InvalidInput("Give the token a name of 1 to 80 characters.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        active = AccessToken.objects.filter(member=actor, revoked_at__isnull=True).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise InvalidInput(f"You already have {MAX_ACTIVE_TOKENS} active tokens.")
        token = AccessToken.objects.create(
            member=actor, name=name, prefix=secret[:10], digest=digest(secret)
        )
    return NewToken(token=token, secret=secret)


def revoke_token(actor: Member, token_id: int) -> AccessToken:
    token = AccessToken.objects.filter(pk=token_id).first()
    if token is None or token.member_id != actor.pk:
        # Another member's token is reported as missing, so ids reveal nothing.
        raise NotFound("No such token.")
    if token.revoked_at is not None:
        return token
    with transaction.atomic():
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
    token.refresh_from_db()
    return token


def authenticate_token(secret: str) -> Member | None:
    """The member a token belongs to, if the token exists and is not revoked."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        AccessToken.objects.select_related("member__user")
        .filter(digest=digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or token.member.user is None or not token.member.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.member
