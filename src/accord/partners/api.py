"""Partner routes: a representative sees only opted-in members of the community."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from accord.domain.errors import Forbidden
from accord.partners import permissions, queries
from accord.partners.models import Partner
from accord.people.auth import actor
from accord.people.schemas import MemberOut
from accord.web.errors import Error

router = Router(tags=["partners"])


class PartnerOut(Schema):
    slug: str
    name: str
    kind: str


class ContactOut(Schema):
    pseudonym: str
    display_name: str
    email: str


class PartnerMembersOut(Schema):
    partner: PartnerOut
    member_count: int | None = Field(
        description="How many members the community has; null when fewer than 10, or when, "
        "less the members listed here, it would tell how few did not share."
    )
    shared_profiles: list[MemberOut]
    contactable: list[ContactOut]


@router.get("/", response=list[PartnerOut], url_name="api-partners", operation_id="list_partners")
def list_partners(request: HttpRequest) -> list[Partner]:
    return list(Partner.objects.all())


@router.get(
    "/{slug}/members",
    response={200: PartnerMembersOut, 403: Error, 404: Error},
    url_name="api-partner-members",
    operation_id="get_partner_members",
)
def partner_members(request: HttpRequest, slug: str) -> PartnerMembersOut:
    partner = get_object_or_404(Partner, slug=slug)
    if not permissions.can_view_partner_members(actor(request), partner):
        raise Forbidden("Only this partner's representatives and stewards see this.")
    view = queries.partner_view(partner)
    return PartnerMembersOut(
        partner=PartnerOut.from_orm(partner),
        member_count=view.member_count if isinstance(view.member_count, int) else None,
        shared_profiles=[MemberOut.from_orm(m) for m in view.shared_profiles],
        contactable=[
            ContactOut(pseudonym=m.pseudonym, display_name=m.display_name, email=m.user.email)
            for m in view.contactable
            if m.user is not None
        ],
    )
