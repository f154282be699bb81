"""Demo calendar: recurring rituals (a monthly check-in, a quarterly reflective review, a
chapter's weekly drop-in), activities, deadlines and milestones for the whole community and
for a few groups, one of them members-only. Decision closings, partnership reviews and term
endings need no seeding: the calendar reads them from the demo's own records.

Everything goes through the services, as the steward would add it, with dates around today
so the current month is full.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from accord.governance import services
from accord.governance.models import CalendarEvent
from accord.governance.schemas import CalendarEventIn
from accord.people.models import Group, Member


@dataclass(frozen=True)
class Plan:
    title: str
    kind: str
    days: int  # from today
    at: time | None  # None: all day
    hours: float = 1.0
    rule: str = ""
    group: str = ""  # a group's name; empty: the whole community
    zone: str = "Europe/London"
    members_only: bool = False
    responsible: str = "The stewards"
    description: str = ""


PLANS = (
    Plan(
        "Monthly community check-in",
        "ritual",
        -20,
        time(18, 30),
        rule="FREQ=MONTHLY;BYDAY=1TU",
        description="An hour to hear how things are going: open to every member and guest.",
    ),
    Plan(
        "Quarterly reflective review",
        "ritual",
        -40,
        time(17, 0),
        hours=2,
        rule="FREQ=MONTHLY;INTERVAL=3;BYDAY=2TH;COUNT=8",
        description="We look back at the quarter's partnerships: what worked, for whom, and "
        "what we change.",
    ),
    Plan(
        "North Chapter drop-in",
        "ritual",
        -6,
        time(12, 30),
        rule="FREQ=WEEKLY;BYDAY=WE",
        group="North Chapter",
        responsible="The chapter's lead",
    ),
    Plan(
        "Ethics desk office hours",
        "ritual",
        -3,
        time(16, 0),
        rule="FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
        group="Ethics Working Group",
        members_only=True,
        responsible="The working group's lead",
    ),
    Plan("Spring meetup", "activity", 9, time(14, 0), hours=3, description="Talks and a picnic."),
    Plan(
        "Open data sprint",
        "activity",
        16,
        time(10, 0),
        hours=6,
        group="Open Data Working Group",
        zone="Europe/Paris",
        responsible="The working group's lead",
    ),
    Plan("Learning grant applications close", "deadline", 12, None),
    Plan("Annual report drafts due", "deadline", 27, None, group="Governance Committee"),
    Plan("Mentoring programme turns one", "milestone", 5, None, group="Mentoring Circle"),
    Plan("1,000 verified contributions", "milestone", 21, None),
)


def _event_in(plan: Plan, today: date) -> CalendarEventIn:
    day = today + timedelta(days=plan.days)
    start = datetime.combine(day, plan.at or time(0))
    end = start + timedelta(hours=plan.hours) if plan.at else None
    slug = Group.objects.filter(name=plan.group).values_list("slug", flat=True).first()
    return CalendarEventIn(
        title=plan.title,
        description=plan.description,
        kind=plan.kind,  # type: ignore[arg-type]
        starts_at=start,
        ends_at=end,
        all_day=plan.at is None,
        time_zone=plan.zone,
        rule=plan.rule,
        responsible=plan.responsible,
        group=slug if plan.group else None,
        visibility="members" if plan.members_only else "public",  # type: ignore[arg-type]
    )


def seed_calendar(*, steward: Member, today: date) -> list[CalendarEvent]:
    """The demo's calendar events (see the module docstring), added by `steward`."""
    return [services.add_event(steward, _event_in(plan, today)) for plan in PLANS]
