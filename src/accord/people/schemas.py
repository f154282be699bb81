"""API shapes for people, groups, memberships and consent."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import ValidationError as PydanticValidationError

from accord.domain.errors import InvalidInput
from accord.web.inputs import KEY_MAX, SMALLINT_MAX, Cursor, Input, Key
from accord.web.paging import PAGE_DEFAULT, PAGE_MAX

EXPERTISE_MAX = 20  # tags on a profile
WORD_MAX = 40  # a kind, a role, a purpose: longer than any there is


class MemberOut(Schema):
    pseudonym: str
    display_name: str
    pronouns: str
    bio: str
    expertise: list[str]
    time_zone: str


class DirectoryQuery(Schema):
    search: Key = Field("", description="Part of a name or an expertise.")
    after: Cursor = Field("", description="The `next` of the previous page; empty for the first.")
    limit: int = Field(PAGE_DEFAULT, ge=1, le=PAGE_MAX, description="How many, at most.")


class DirectoryOut(Schema):
    items: list[MemberOut]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last.")


class MeOut(MemberOut):
    email: str
    role: str
    accessibility_needs: str


class ProfilePatch(Input):
    display_name: str | None = Field(None, max_length=80)
    pronouns: str | None = Field(None, max_length=40)
    bio: str | None = Field(None, max_length=2000)
    expertise: list[Annotated[str, Field(max_length=100)]] | None = Field(
        None, max_length=EXPERTISE_MAX
    )
    time_zone: str | None = Field(None, max_length=64)
    accessibility_needs: str | None = Field(None, max_length=2000)


class GroupOut(Schema):
    slug: str
    name: str
    kind: str
    parent: str | None
    depth: int
    member_count: int | None = Field(description="Null when not published: fewer than 10.")


class GroupMemberOut(Schema):
    member: MemberOut
    role: str


class GroupDetailOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    parent: str | None
    subgroups: list[str]
    member_count: int | None = Field(description="Null when not published: fewer than 10.")
    unlisted_count: int | None = Field(
        description="Members not listed here; null when it would single out fewer than 10."
    )
    members: list[GroupMemberOut]


class MembershipOut(Schema):
    group: str
    group_name: str
    role: str
    joined_at: datetime
    left_at: datetime | None


class ConsentOut(Schema):
    purpose: str
    label: str
    explanation: str
    granted: bool
    updated_at: datetime | None


class ConsentIn(Input):
    granted: bool


# Inputs of the people services: the API's bodies, the forms' and commands' parsed input --


class GroupIn(Input):
    name: str = Field(max_length=120, examples=["Riverside Chapter"])
    kind: str = Field(max_length=WORD_MAX, examples=["chapter"])
    parent: str | None = Field(
        None, max_length=KEY_MAX, description="The parent group's slug; none for the top."
    )
    description: str = Field("", max_length=2000)
    term_limit: int = Field(
        2, ge=0, le=SMALLINT_MAX, description="Consecutive terms one person may lead."
    )


class GroupPatch(Input):
    name: str | None = Field(None, max_length=120)
    kind: str | None = Field(None, max_length=WORD_MAX)
    parent: str | None = Field(
        None, max_length=KEY_MAX, description="The parent group's slug; empty for the top."
    )
    description: str | None = Field(None, max_length=2000)
    term_limit: int | None = Field(None, ge=0, le=SMALLINT_MAX)


class GroupArchiveIn(Input):
    reason: str = Field("", max_length=2000, description="Kept off the ledger (a hash only).")


class GroupMergeIn(Input):
    into: str = Field(
        max_length=KEY_MAX, description="The slug of the group that takes the members."
    )


class GroupRoleIn(Input):
    member: str = Field(
        max_length=KEY_MAX, description="The member's public handle (or, for staff, email)."
    )
    role: str = Field(max_length=WORD_MAX)


class LeadershipTermIn(Input):
    member: str = Field(
        max_length=KEY_MAX, description="The member's public handle (or, for staff, email)."
    )
    role: str = Field("lead", max_length=WORD_MAX)
    start: date
    end: date


class SiteRoleIn(Input):
    role: str = Field(max_length=WORD_MAX)


class ErasureIn(Input):
    reason: str = Field("", max_length=2000, description="Kept off the ledger (a hash only).")


class GroupMergeOut(Schema):
    merged: str
    into: str
    moved: int
    closed: int


class GroupRoleOut(Schema):
    group: str
    member: str
    role: str


class LeadershipTermOut(Schema):
    id: int
    group: str
    member: str
    role: str
    start: date
    end: date


class SiteRoleOut(Schema):
    member: str
    role: str


class ErasedOut(Schema):
    member: str
    erased_at: datetime


def parse[S: Schema](schema: type[S], raw: Mapping[str, Any]) -> S:
    """Build a service's input from a form or a command line; a bad value is InvalidInput
    with one clear line, as the API says it."""
    try:
        return schema.model_validate(dict(raw))
    except PydanticValidationError as exc:
        parts = []
        for error in exc.errors():
            where = ".".join(str(p) for p in error["loc"])
            parts.append(f"{where}: {error['msg']}" if where else error["msg"])
        raise InvalidInput("; ".join(parts) or "Invalid input.") from exc


TOKEN_DAYS_MAX = 365


class TokenIn(Input):
    name: str = Field(min_length=1, max_length=80, description="What the token is for.")
    scopes: list[Literal["read", "write", "treasury"]] = Field(
        default=["read"],
        min_length=1,
        max_length=3,
        description="read: GET routes; write: other changes; treasury: funding, committing "
        "and closing pools, payouts (stewards and treasurers only).",
    )
    expires_in_days: int = Field(
        default=90, ge=1, le=TOKEN_DAYS_MAX, description="Days until the token stops working."
    )


# -- offerings: consent to share with one partner ------------------------------------------


class PartnerConsentOut(Schema):
    partner: str  # the partner's slug
    name: str
    granted: bool
    updated_at: datetime | None
