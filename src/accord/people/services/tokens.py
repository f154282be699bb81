"""Personal access tokens: created from a signed-in session, shown once, stored as a
digest, limited to their scopes and lifetime, revoked by the member or when their password
or role changes."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accord.domain.errors import Forbidden, InvalidInput, NotFound
from accord.people import permissions
from accord.people.models import AccessToken, Member, TokenScope
from accord.people.schemas import TokenIn

TOKEN_PREFIX = "acc_"  # noqa: S105 - a public prefix that marks Accord tokens, not a secret
MAX_ACTIVE_TOKENS = 20
# New tokens a member may make in an hour, counted together by the page and the API route.
TOKENS_PER_HOUR = "10/h"


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: AccessToken
    secret: str  # shown to the member once, never stored


def create_token(actor: Member, data: TokenIn) -> NewToken:
    """A personal access token for scripts, with the scopes asked for and an expiry; its
    secret is shown once, never stored. The treasury scope is for those who hold treasury
    powers. (The API creates tokens only from a signed-in session, never with a token.)"""
    name = data.name.strip()
    if not name:
        raise InvalidInput("Give the token a name of 1 to 80 characters.")
    scopes = sorted(set(data.scopes))
    if TokenScope.TREASURY in scopes and not permissions.holds_treasury(actor):
        raise Forbidden("Only those who hold treasury powers may give a token the treasury scope.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic(durable=True):
        active = AccessToken.objects.filter(
            member=actor, revoked_at__isnull=True, expires_at__gt=now
        ).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise InvalidInput(f"You already have {MAX_ACTIVE_TOKENS} active tokens.")
        token = AccessToken.objects.create(
            member=actor,
            name=name,
            prefix=secret[:10],
            digest=digest(secret),
            scopes=scopes,
            created_at=now,
            expires_at=now + timedelta(days=data.expires_in_days),
        )
    return NewToken(token=token, secret=secret)


def revoke_token(actor: Member, token_id: int) -> AccessToken:
    token = AccessToken.objects.filter(pk=token_id).first()
    if token is None or token.member_id != actor.pk:
        # Another member's token is reported as missing, so ids reveal nothing.
        raise NotFound("No such token.")
    if token.revoked_at is not None:
        return token
    with transaction.atomic(durable=True):
        AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_because="revoked by you"
        )
    token.refresh_from_db()
    return token


def revoke_tokens_of(member_id: int, because: str) -> int:
    """Revoke every live token of a member (their password or role changed); joins the
    caller's transaction. Returns how many were revoked."""
    return AccessToken.objects.filter(member_id=member_id, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_because=because
    )


def token_for(secret: str) -> AccessToken | None:
    """The live token with this secret (not revoked, not expired, its member's account
    active), or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    now = timezone.now()
    token = (
        AccessToken.objects.select_related("member__user")
        .filter(digest=digest(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or token.member.user is None or not token.member.user.is_active:
        return None
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
