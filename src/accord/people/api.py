"""The people API: me, members, groups, memberships, consents and access tokens."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from accord.domain.disclosure import Cell
from accord.domain.errors import NotFound
from accord.people import queries, services
from accord.people.auth import SESSION_ONLY, actor
from accord.people.models import AccessToken, ConsentSource, Group, Member, Membership
from accord.people.schemas import (
    ConsentIn,
    ConsentOut,
    DirectoryOut,
    DirectoryQuery,
    ErasedOut,
    ErasureIn,
    GroupArchiveIn,
    GroupDetailOut,
    GroupIn,
    GroupMemberOut,
    GroupMergeIn,
    GroupMergeOut,
    GroupOut,
    GroupPatch,
    GroupRoleIn,
    GroupRoleOut,
    LeadershipTermIn,
    LeadershipTermOut,
    MemberOut,
    MembershipOut,
    MeOut,
    PartnerConsentOut,
    ProfilePatch,
    SiteRoleIn,
    SiteRoleOut,
    TokenIn,
)
from accord.people.services.tokens import TOKENS_PER_HOUR
from accord.web.errors import Error
from accord.web.inputs import Id, Key
from accord.web.limits import limit_api

router = Router(tags=["people"])
tokens_router = Router(tags=["tokens"], auth=SESSION_ONLY)


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
    return _me(services.update_profile(actor(request), payload))


@router.get(
    "/members",
    response={200: DirectoryOut, 422: Error},
    url_name="api-members",
    operation_id="list_members",
)
def list_members(request: HttpRequest, query: Query[DirectoryQuery]) -> DirectoryOut:
    """The members you may see, in name order, a page at a time: each page starts where
    the last ended (no count and no offset, so any page costs the same)."""
    page = queries.directory_page(
        actor(request),
        search=query.search,
        after=queries.parse_directory_cursor(query.after),
        size=query.limit,
    )
    return DirectoryOut(
        items=page.members,  # type: ignore[arg-type]
        next=queries.directory_cursor(page.after),
    )


@router.get(
    "/members/{pseudonym}",
    response={200: MemberOut, 404: Error},
    url_name="api-member",
    operation_id="get_member",
)
def get_member(request: HttpRequest, pseudonym: Key) -> Member:
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
def get_group(request: HttpRequest, slug: Key) -> GroupDetailOut:
    page = queries.group_page(actor(request), slug)
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
def join_group(request: HttpRequest, slug: Key) -> tuple[int, MembershipOut]:
    return 201, _membership(services.join_group(actor(request), slug))


@router.delete(
    "/groups/{slug}/membership",
    response={200: MembershipOut, 404: Error},
    url_name="api-leave-group",
    operation_id="leave_group",
)
def leave_group(request: HttpRequest, slug: Key) -> MembershipOut:
    return _membership(services.leave_group(actor(request), slug))


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
def set_consent(request: HttpRequest, purpose: Key, payload: ConsentIn) -> queries.ConsentRow:
    member = actor(request)
    services.set_consent(member, purpose, payload, source=ConsentSource.API)
    return queries.consent_row(member, purpose)


# Groups, group roles, leadership terms (stewards and leads) ------------------------

_GROUP_ERRORS = {403: Error, 404: Error, 409: Error, 422: Error}


def _group_out(g: Group) -> GroupOut:
    depth = len(queries.ancestors(g))
    return GroupOut(
        slug=g.slug,
        name=g.name,
        kind=g.kind,
        parent=g.parent.slug if g.parent else None,
        depth=depth,
        member_count=None,
    )


@router.post(
    "/groups",
    response={201: GroupOut, **_GROUP_ERRORS},
    url_name="api-group-create",
    operation_id="create_group",
)
def create_group(request: HttpRequest, payload: GroupIn) -> tuple[int, GroupOut]:
    return 201, _group_out(services.create_group(actor(request), payload))


@router.patch(
    "/groups/{slug}",
    response={200: GroupOut, **_GROUP_ERRORS},
    url_name="api-group-update",
    operation_id="update_group",
)
def update_group(request: HttpRequest, slug: Key, payload: GroupPatch) -> GroupOut:
    return _group_out(services.update_group(actor(request), slug, payload))


@router.post(
    "/groups/{slug}/archive",
    response={200: GroupOut, **_GROUP_ERRORS},
    url_name="api-group-archive",
    operation_id="archive_group",
)
def archive_group(request: HttpRequest, slug: Key, payload: GroupArchiveIn) -> GroupOut:
    return _group_out(services.archive_group(actor(request), slug, payload))


@router.post(
    "/groups/{slug}/merge",
    response={200: GroupMergeOut, **_GROUP_ERRORS},
    url_name="api-group-merge",
    operation_id="merge_group",
)
def merge_group(request: HttpRequest, slug: Key, payload: GroupMergeIn) -> GroupMergeOut:
    m = services.merge_group(actor(request), slug, payload)
    return GroupMergeOut(merged=m.merged.slug, into=m.into.slug, moved=m.moved, closed=m.closed)


@router.put(
    "/groups/{slug}/roles",
    response={200: GroupRoleOut, **_GROUP_ERRORS},
    url_name="api-group-role",
    operation_id="set_group_role",
)
def set_group_role(request: HttpRequest, slug: Key, payload: GroupRoleIn) -> GroupRoleOut:
    m = services.set_group_role(actor(request), slug, payload)
    return GroupRoleOut(group=slug, member=m.member.pseudonym, role=m.role)


@router.post(
    "/groups/{slug}/terms",
    response={201: LeadershipTermOut, **_GROUP_ERRORS},
    url_name="api-group-terms",
    operation_id="add_leadership_term",
)
def add_leadership_term(
    request: HttpRequest, slug: Key, payload: LeadershipTermIn
) -> tuple[int, LeadershipTermOut]:
    t = services.add_leadership_term(actor(request), slug, payload)
    out = LeadershipTermOut(
        id=t.pk, group=slug, member=t.member.pseudonym, role=t.role, start=t.start, end=t.end
    )
    return 201, out


@router.put(
    "/members/{pseudonym}/role",
    response={200: SiteRoleOut, 403: Error, 404: Error, 422: Error},
    url_name="api-member-role",
    operation_id="set_site_role",
)
def set_site_role(request: HttpRequest, pseudonym: Key, payload: SiteRoleIn) -> SiteRoleOut:
    m = services.set_site_role(actor(request), pseudonym, payload)
    return SiteRoleOut(member=m.pseudonym, role=m.role)


@router.post(
    "/members/{pseudonym}/erasure",
    response={200: ErasedOut, 403: Error, 404: Error, 422: Error},
    url_name="api-member-erase",
    operation_id="erase_member",
)
def erase_member(request: HttpRequest, pseudonym: Key, payload: ErasureIn) -> ErasedOut:
    m = services.erase_member(actor(request), pseudonym, payload)
    return ErasedOut(member=m.pseudonym, erased_at=m.erased_at)  # type: ignore[arg-type]


# Personal access tokens ------------------------------------------------------------


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_because: str = Field(description="Why it was revoked, if it was.")


class TokenCreated(TokenOut):
    secret: str = Field(description="Shown once: store it now, it cannot be read again.")


@tokens_router.get(
    "/tokens", response=list[TokenOut], url_name="api-tokens", operation_id="list_tokens"
)
def list_tokens(request: HttpRequest) -> list[AccessToken]:
    return list(queries.tokens_of(actor(request)))


@tokens_router.post(
    "/tokens",
    response={201: TokenCreated, 422: Error, 429: Error},
    url_name="api-token-create",
    operation_id="create_token",
)
def create_token(request: HttpRequest, payload: TokenIn) -> tuple[int, TokenCreated]:
    limit_api(request, "create-token", TOKENS_PER_HOUR)
    new = services.create_token(actor(request), payload)
    return 201, TokenCreated(**TokenOut.from_orm(new.token).dict(), secret=new.secret)


@tokens_router.delete(
    "/tokens/{token_id}",
    response={200: TokenOut, 404: Error},
    url_name="api-token-revoke",
    operation_id="revoke_token",
)
def revoke_token(request: HttpRequest, token_id: Id) -> AccessToken:
    return services.revoke_token(actor(request), token_id)


# -- offerings: consent to share with one partner ------------------------------------------


@router.get(
    "/partner-consents",
    response=list[PartnerConsentOut],
    url_name="api-partner-consents",
    operation_id="list_my_partner_consents",
)
def list_partner_consents(request: HttpRequest) -> list[queries.PartnerConsentRow]:
    """Every partner, with whether I share who I am with it."""
    return queries.partner_consents_for(actor(request))


@router.post(
    "/partner-consents/{slug}",
    response={200: PartnerConsentOut, 404: Error},
    url_name="api-partner-consent",
    operation_id="grant_partner_consent",
)
def grant_partner_consent(request: HttpRequest, slug: Key) -> queries.PartnerConsentRow:
    """Share who I am with this partner's representatives."""
    member = actor(request)
    services.grant_partner_consent(member, slug, source=ConsentSource.API)
    return queries.partner_consent_row(member, slug)


@router.delete(
    "/partner-consents/{slug}",
    response={200: PartnerConsentOut, 404: Error},
    url_name="api-partner-consent-withdraw",
    operation_id="withdraw_partner_consent",
)
def withdraw_partner_consent(request: HttpRequest, slug: Key) -> queries.PartnerConsentRow:
    """Stop sharing who I am with this partner (no penalty)."""
    member = actor(request)
    services.withdraw_partner_consent(member, slug, source=ConsentSource.API)
    return queries.partner_consent_row(member, slug)
