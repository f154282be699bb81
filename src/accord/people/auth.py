"""API authentication: the browser's session (with CSRF) or a personal access token."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from accord.people.models import Member
from accord.people.services import authenticate_token, ensure_member


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        return authenticate_token(token)


class MemberSessionAuth(SessionAuth):
    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        return ensure_member(user)


AUTH = [TokenAuth(), MemberSessionAuth()]


def actor(request: HttpRequest) -> Member:
    """The member making an authenticated API request."""
    member = request.auth  # type: ignore[attr-defined]
    assert isinstance(member, Member)  # noqa: S101 - every route requires AUTH
    return member
