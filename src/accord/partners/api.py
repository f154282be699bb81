"""Partner routes: the public list; stewards add and edit partners and appoint their
representatives; a representative sees only opted-in members of the community."""

from django.http import HttpRequest
from ninja import Router

from accord.partners import queries, services
from accord.partners.models import Partner, Representative
from accord.partners.schemas import (
    ContactOut,
    PartnerIn,
    PartnerMembersOut,
    PartnerOut,
    PartnerPatch,
    RepresentativeIn,
    RepresentativeOut,
)
from accord.people.auth import actor
from accord.people.schemas import MemberOut
from accord.web.errors import Error
from accord.web.inputs import Key

router = Router(tags=["partners"])


def _rep(rep: Representative) -> RepresentativeOut:
    return RepresentativeOut(
        partner=rep.partner.slug,
        member=rep.member.pseudonym,
        display_name=rep.member.display_name,
        since=rep.since,
    )


@router.get("/", response=list[PartnerOut], url_name="api-partners", operation_id="list_partners")
def list_partners(request: HttpRequest) -> list[Partner]:
    return queries.partner_list(actor(request)).partners


@router.post(
    "/",
    response={201: PartnerOut, 403: Error, 409: Error, 422: Error},
    url_name="api-partner-create",
    operation_id="create_partner",
)
def create_partner(request: HttpRequest, payload: PartnerIn) -> tuple[int, Partner]:
    return 201, services.create_partner(actor(request), payload)


@router.patch(
    "/{slug}",
    response={200: PartnerOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-partner-update",
    operation_id="update_partner",
)
def update_partner(request: HttpRequest, slug: Key, payload: PartnerPatch) -> Partner:
    return services.edit_partner(actor(request), slug, payload)


@router.post(
    "/{slug}/representatives",
    response={201: RepresentativeOut, 403: Error, 404: Error, 409: Error, 422: Error},
    url_name="api-partner-representatives",
    operation_id="appoint_representative",
)
def appoint(
    request: HttpRequest, slug: Key, payload: RepresentativeIn
) -> tuple[int, RepresentativeOut]:
    return 201, _rep(services.appoint_representative(actor(request), slug, payload))


@router.delete(
    "/{slug}/representatives/{pseudonym}",
    response={204: None, 403: Error, 404: Error},
    url_name="api-partner-representative",
    operation_id="remove_representative",
)
def remove(request: HttpRequest, slug: Key, pseudonym: Key) -> tuple[int, None]:
    services.remove_representative(actor(request), slug, pseudonym)
    return 204, None


@router.get(
    "/{slug}/members",
    response={200: PartnerMembersOut, 403: Error, 404: Error},
    url_name="api-partner-members",
    operation_id="get_partner_members",
)
def partner_members(request: HttpRequest, slug: Key) -> PartnerMembersOut:
    view = queries.visible_partner_view(actor(request), slug)
    return PartnerMembersOut(
        partner=PartnerOut.from_orm(view.partner),
        member_count=view.member_count if isinstance(view.member_count, int) else None,
        shared_profiles=[MemberOut.from_orm(m) for m in view.shared_profiles],
        contactable=[
            ContactOut(pseudonym=m.pseudonym, display_name=m.display_name, email=m.user.email)
            for m in view.contactable
            if m.user is not None
        ],
    )
