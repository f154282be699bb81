"""API shapes for the calendar; the inputs are the services' too."""

from datetime import datetime

from ninja import Field, Schema

from accord.domain.calendar import RULE_MAX
from accord.governance.models import CalendarKind, Visibility
from accord.web.inputs import KEY_MAX, Input


class CalendarEventIn(Input):
    title: str = Field(max_length=160, examples=["Monthly check-in"])
    description: str = Field("", max_length=5000)
    kind: CalendarKind = Field(CalendarKind.ACTIVITY, examples=["ritual"])
    starts_at: datetime = Field(
        description="The start: a local time in `time_zone`, or a time with its own offset "
        "(then read in `time_zone`). For an all-day event, its first day."
    )
    ends_at: datetime | None = Field(
        None, description="The end (an hour after the start when empty); all-day: its last day."
    )
    all_day: bool = False
    time_zone: str = Field(
        "", max_length=64, description="The IANA zone it is set in; empty: the community's."
    )
    rule: str = Field(
        "",
        max_length=RULE_MAX + 6,
        description="An RFC 5545 recurrence rule, e.g. FREQ=MONTHLY;BYDAY=1TU; empty: once.",
    )
    responsible: str = Field(
        "", max_length=120, description="Who answers for it: a role, or an office holder."
    )
    group: str | None = Field(
        None, max_length=KEY_MAX, description="A group's slug; none: the whole community."
    )
    visibility: Visibility = Visibility.PUBLIC


class CalendarEventOut(Schema):
    id: int
    title: str
    description: str
    kind: CalendarKind
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    time_zone: str
    rule: str
    responsible: str
    group: str | None = Field(description="The group's slug; null for the whole community.")
    visibility: Visibility
    cancelled: bool
    url: str = Field(description="The event's page.")


class CalendarItemOut(Schema):
    """One occurrence in the calendar: an event's, or a decision closing, a partnership
    review or a term ending read from its own record."""

    uid: str
    source: str = Field(description="event, decision, review or term.")
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    group: str | None
    responsible: str
    recurring: bool
    url: str


class FeedLinkOut(Schema):
    id: int
    prefix: str
    created_at: datetime
    revoked_at: datetime | None


class NewFeedLinkOut(FeedLinkOut):
    url: str = Field(description="The private feed's address: shown once, keep it secret.")
