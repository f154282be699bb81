"""API shapes for people, groups, memberships and consent."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import ValidationError as PydanticValidationError

from accord.domain.errors import InvalidInput


class MemberOut(Schema):
    pseudonym: str
    display_name: str
    pronouns: str
    bio: str
    expertise: list[str]
    time_zone: str


class MeOut(MemberOut):
    email: str
    role: str
    accessibility_needs: str


class ProfilePatch(Schema):
    display_name: str | None = Field(None, max_length=80)
    pronouns: str | None = Field(None, max_length=40)
    bio: str | None = Field(None, max_length=2000)
    expertise: list[str] | None = None
    time_zone: str | None = None
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


class ConsentIn(Schema):
    granted: bool


# Inputs of the people services: the API's bodies, the forms' and commands' parsed input --


class GroupIn(Schema):
    name: str = Field(max_length=120)
    kind: str
    parent: str | None = Field(None, description="The parent group's slug; none for the top.")
    description: str = Field("", max_length=2000)
    term_limit: int = Field(2, description="Consecutive terms one person may lead.")


class GroupPatch(Schema):
    name: str | None = Field(None, max_length=120)
    kind: str | None = None
    parent: str | None = Field(None, description="The parent group's slug; empty for the top.")
    description: str | None = Field(None, max_length=2000)
    term_limit: int | None = None


class GroupArchiveIn(Schema):
    reason: str = Field("", max_length=2000, description="Kept off the ledger (a hash only).")


class GroupMergeIn(Schema):
    into: str = Field(description="The slug of the group that takes the members.")


class GroupRoleIn(Schema):
    member: str = Field(description="The member's public handle (or, for staff, email).")
    role: str


class LeadershipTermIn(Schema):
    member: str = Field(description="The member's public handle (or, for staff, email).")
    role: str = "lead"
    start: date
    end: date


class SiteRoleIn(Schema):
    role: str


class ErasureIn(Schema):
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


class TokenIn(Schema):
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
