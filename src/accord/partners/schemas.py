"""API shapes for partners and their representatives; the inputs are the services' too."""

from datetime import datetime

from ninja import Field, Schema

from accord.people.schemas import WORD_MAX, MemberOut
from accord.web.inputs import KEY_MAX, Input


class PartnerIn(Input):
    name: str = Field(max_length=160, examples=["Lumen Software"])
    kind: str = Field(max_length=WORD_MAX, examples=["sponsor"])
    website: str = Field("", max_length=300)
    description: str = Field("", max_length=5000, description="Kept off the ledger (a hash).")


class PartnerPatch(Input):
    name: str | None = Field(None, max_length=160)
    kind: str | None = Field(None, max_length=WORD_MAX)
    website: str | None = Field(None, max_length=300)
    description: str | None = Field(None, max_length=5000)


class RepresentativeIn(Input):
    member: str = Field(
        max_length=KEY_MAX, description="The member's public handle (or, for staff, email)."
    )


class PartnerOut(Schema):
    slug: str
    name: str
    kind: str
    website: str
    description: str


class RepresentativeOut(Schema):
    partner: str
    member: str = Field(description="The representative's public handle: an office holder.")
    display_name: str
    since: datetime


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
