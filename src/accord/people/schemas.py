"""API shapes for people, groups, memberships and consent."""

from datetime import datetime

from ninja import Field, Schema


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
