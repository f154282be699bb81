"""The API's own routes: personal access tokens."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Router, Schema

from accord.api import services
from accord.api.auth import actor
from accord.api.errors import Error
from accord.api.models import AccessToken

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreated(TokenOut):
    secret: str = Field(description="Shown once: store it now, it cannot be read again.")


class TokenIn(Schema):
    name: str = Field(min_length=1, max_length=80)


@router.get("/tokens", response=list[TokenOut], url_name="api-tokens", operation_id="list_tokens")
def list_tokens(request: HttpRequest) -> list[AccessToken]:
    return list(AccessToken.objects.filter(member=actor(request)))


@router.post(
    "/tokens",
    response={201: TokenCreated, 422: Error},
    url_name="api-token-create",
    operation_id="create_token",
)
def create_token(request: HttpRequest, payload: TokenIn) -> tuple[int, TokenCreated]:
    new = services.create_token(actor(request), name=payload.name)
    return 201, TokenCreated(**TokenOut.from_orm(new.token).dict(), secret=new.secret)


@router.delete(
    "/tokens/{token_id}",
    response={200: TokenOut, 404: Error},
    url_name="api-token-revoke",
    operation_id="revoke_token",
)
def revoke_token(request: HttpRequest, token_id: int) -> AccessToken:
    return services.revoke_token(actor(request), token_id)
