"""The people API: me, members, groups, memberships, consents and access tokens."""

from datetime import datetime

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from accord.domain.disclosure import Cell
from accord.domain.errors import NotFound
from accord.people import queries, services
from accord.people.auth import actor
from accord.people.models import (
    OFFERED_PURPOSES,
    AccessToken,
    ConsentSource,
    Group,
    Member,
    Membership,
)
from accord.people.schemas import (
    ConsentIn,
    ConsentOut,
    GroupDetailOut,
    GroupMemberOut,
    GroupOut,
    MemberOut,
    MembershipOut,
    MeOut,
    ProfilePatch,
)
from accord.web.errors import Error

router = Router(tags=["people"])
tokens_router = Router(tags=["tokens"])


def published(cell: Cell) -> int | None:
    """A count of people in the API: null when it is not published (small numbers)."""
    return cell if isinstance(cell, int) else None


def _me(member: Member) -> MeOut:
    return MeOut(
        pseudonym=member.pseudonym,
        display_name=member.display_name,
        pronouns=member.pronouns,
        bio=member.bio,
        expertise=member.expertise,
        time_zone=member.time_zone,
        email=member.user.email if member.user else "",
        role=member.role,
        accessibility_needs=member.accessibility_needs,
    )


def _membership(m: Membership) -> MembershipOut:
    return MembershipOut(
        group=m.group.slug,
        group_name=m.group.name,
        role=m.role,
        joined_at=m.joined_at,
        left_at=m.left_at,
    )


@router.get("/me", response=MeOut, url_name="api-me", operation_id="get_me")
def get_me(request: HttpRequest) -> MeOut:
    return _me(actor(request))


@router.patch(
    "/me", response={200: MeOut, 422: Error}, url_name="api-me-update", operation_id="update_me"
)
def update_me(request: HttpRequest, payload: ProfilePatch) -> MeOut:
    member = actor(request)
    services.update_profile(member, member, **payload.dict(exclude_unset=True))
    return _me(member)


@router.get(
    "/members", response=list[MemberOut], url_name="api-members", operation_id="list_members"
)
@paginate(LimitOffsetPagination)
def list_members(request: HttpRequest, search: str = "") -> list[Member]:
    return queries.member_directory(actor(request), search=search)  # type: ignore[return-value]


@router.get(
    "/members/{pseudonym}",
    response={200: MemberOut, 404: Error},
    url_name="api-member",
    operation_id="get_member",
)
def get_member(request: HttpRequest, pseudonym: str) -> Member:
    member = queries.visible_member(actor(request), pseudonym)
    if member is None:
        raise NotFound("No member with that id is visible to you.")
    return member


@router.get("/groups", response=list[GroupOut], url_name="api-groups", operation_id="list_groups")
def list_groups(request: HttpRequest) -> list[GroupOut]:
    nodes = queries.group_tree(actor(request))
    slugs: dict[int | None, str | None] = {n.group.pk: n.group.slug for n in nodes}
    return [
        GroupOut(
            slug=n.group.slug,
            name=n.group.name,
            kind=n.group.kind,
            parent=slugs.get(n.group.parent_id),
            depth=n.depth,
            member_count=published(n.member_count),
        )
        for n in nodes
    ]


@router.get(
    "/groups/{slug}",
    response={200: GroupDetailOut, 404: Error},
    url_name="api-group",
    operation_id="get_group",
)
def get_group(request: HttpRequest, slug: str) -> GroupDetailOut:
    page = queries.group_page(actor(request), get_object_or_404(Group, slug=slug))
    g = page.group
    return GroupDetailOut(
        slug=g.slug,
        name=g.name,
        kind=g.kind,
        description=g.description,
        parent=g.parent.slug if g.parent else None,
        subgroups=[s.slug for s in page.subgroups],
        member_count=published(page.member_count),
        unlisted_count=published(page.unlisted_count),
        members=[
            GroupMemberOut(member=MemberOut.from_orm(m.member), role=m.role) for m in page.shown
        ],
    )


@router.get(
    "/memberships",
    response=list[MembershipOut],
    url_name="api-memberships",
    operation_id="list_my_memberships",
)
def list_memberships(request: HttpRequest) -> list[MembershipOut]:
    return [_membership(m) for m in queries.groups_of(actor(request))]


@router.post(
    "/groups/{slug}/membership",
    response={201: MembershipOut, 404: Error, 409: Error},
    url_name="api-join-group",
    operation_id="join_group",
)
def join_group(request: HttpRequest, slug: str) -> tuple[int, MembershipOut]:
    membership = services.join_group(actor(request), get_object_or_404(Group, slug=slug))
    return 201, _membership(membership)


@router.delete(
    "/groups/{slug}/membership",
    response={200: MembershipOut, 404: Error},
    url_name="api-leave-group",
    operation_id="leave_group",
)
def leave_group(request: HttpRequest, slug: str) -> MembershipOut:
    membership = services.leave_group(actor(request), get_object_or_404(Group, slug=slug))
    return _membership(membership)


@router.get(
    "/consents",
    response=list[ConsentOut],
    url_name="api-consents",
    operation_id="list_my_consents",
)
def list_consents(request: HttpRequest) -> list[queries.ConsentRow]:
    return queries.consents_for(actor(request))


@router.put(
    "/consents/{purpose}",
    response={200: ConsentOut, 404: Error, 422: Error},
    url_name="api-consent",
    operation_id="set_my_consent",
)
def set_consent(request: HttpRequest, purpose: str, payload: ConsentIn) -> queries.ConsentRow:
    if purpose not in OFFERED_PURPOSES:
        raise NotFound(f"{purpose!r} is not a consent purpose offered here.")
    member = actor(request)
    services.set_consent(member, member, purpose, payload.granted, source=ConsentSource.API)
    return queries.consent_row(member, purpose)


# Personal access tokens ------------------------------------------------------------


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


@tokens_router.get(
    "/tokens", response=list[TokenOut], url_name="api-tokens", operation_id="list_tokens"
)
def list_tokens(request: HttpRequest) -> list[AccessToken]:
    return list(AccessToken.objects.filter(member=actor(request)))


@tokens_router.post(
    "/tokens",
    response={201: TokenCreated, 422: Error},
    url_name="api-token-create",
    operation_id="create_token",
)
def create_token(request: HttpRequest, payload: TokenIn) -> tuple[int, TokenCreated]:
    new = services.create_token(actor(request), name=payload.name)
    return 201, TokenCreated(**TokenOut.from_orm(new.token).dict(), secret=new.secret)


@tokens_router.delete(
    "/tokens/{token_id}",
    response={200: TokenOut, 404: Error},
    url_name="api-token-revoke",
    operation_id="revoke_token",
)
def revoke_token(request: HttpRequest, token_id: int) -> AccessToken:
    return services.revoke_token(actor(request), token_id)
