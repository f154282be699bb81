"""API authentication: the browser's session (with CSRF) or a personal access token.

A token acts within its scopes: `read` for GET routes, `write` for other changes, and
`treasury` for the routes that move money, which declare it (`TREASURY_AUTH`). Token
management takes a signed-in session (`SESSION_ONLY`): a token never mints or lists tokens.
"""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from accord.domain.errors import Forbidden
from accord.people.models import Member, TokenScope
from accord.people.services import ensure_member, token_for

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """A bearer token; `scope` names the one a route needs (default: read for safe
    methods, write for the rest)."""

    def __init__(self, scope: TokenScope | None = None) -> None:
        super().__init__()
        self.scope = scope

    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        found = token_for(token)
        if found is None:
            return None
        needed = self.scope or (
            TokenScope.READ if request.method in SAFE_METHODS else TokenScope.WRITE
        )
        if needed not in found.scopes:
            raise Forbidden(f"This token lacks the {needed.value} scope this route needs.")
        return found.member


class NoToken(HttpBearer):
    """Refuses any bearer token, with the reason, so a session is the only way in."""

    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        raise Forbidden("Manage tokens from a signed-in session, not with a token.")


class MemberSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        return ensure_member(user)


AUTH = [TokenAuth(), MemberSessionAuth()]
TREASURY_AUTH = [TokenAuth(TokenScope.TREASURY), MemberSessionAuth()]
SESSION_ONLY = [NoToken(), MemberSessionAuth()]


def actor(request: HttpRequest) -> Member:
    """The member making an authenticated API request."""
    member = request.auth  # type: ignore[attr-defined]
    assert isinstance(member, Member)  # noqa: S101 - every route requires AUTH
    return member
