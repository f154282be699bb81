"""The calendar's rules: recurrence rules are checked, occurrences stay inside their window,
in order and within COUNT and UNTIL, and a month grid holds each of its days once."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.calendar import month_grid, occurrences, parse_month, parse_rule, shift_month
from accord.domain.errors import InvalidInput

PARIS = ZoneInfo("Europe/Paris")
START = datetime(2027, 1, 5, 18, 0, tzinfo=PARIS)

# Events start on a whole minute (the forms and the API keep no seconds), in a zone with
# daylight-saving changes.
starts = st.datetimes(
    min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis bounds are naive
    max_value=datetime(2090, 1, 1),  # noqa: DTZ001
).map(lambda d: d.replace(second=0, microsecond=0, tzinfo=PARIS))
rules = st.sampled_from(
    ["", "FREQ=DAILY", "FREQ=WEEKLY;COUNT=5", "FREQ=MONTHLY;BYDAY=1TU", "FREQ=YEARLY;COUNT=3"]
)


def test_it_reads_a_rule_and_drops_the_prefix() -> None:
    assert parse_rule("RRULE:freq=monthly;byday=1tu", START) == "FREQ=MONTHLY;BYDAY=1TU"
    assert parse_rule("  ", START) == ""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("BYDAY=MO", "needs a FREQ"),
        ("FREQ=HOURLY", "not HOURLY"),
        ("FREQ=WEEKLY;COUNT=2;UNTIL=20270101T000000Z", "not both"),
        ("FREQ=WEEKLY;UNTIL=20270101", "in UTC"),
        ("FREQ=WEEKLY;BYDAY=XX", "cannot be read"),
        ("FREQ=WEEKLY;;", "not NAME=VALUE"),
        ("FREQ=WEEKLY; COUNT=2", "without spaces"),
        ("FREQ=WEEKLY;UNTIL=20200101T000000Z", "no occurrence"),
    ],
)
def test_it_rejects_a_bad_rule_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match=reason):
        parse_rule(text, START)


def test_a_weekly_ritual_keeps_its_local_time_across_daylight_saving() -> None:
    found = occurrences(
        datetime(2027, 3, 20, 18, 0, tzinfo=PARIS),
        timedelta(hours=1),
        "FREQ=WEEKLY",
        datetime(2027, 3, 1, tzinfo=UTC),
        datetime(2027, 4, 10, tzinfo=UTC),
    )

    assert [(a.day, a.hour) for a in found] == [(20, 18), (27, 18), (3, 18)]
    assert [a.utcoffset() for a in found] == [timedelta(hours=h) for h in (1, 1, 2)]


@given(starts, rules, st.integers(0, 800), st.integers(1, 400))
def test_occurrences_fall_in_the_window_sorted_and_counted(
    start: datetime, rule: str, offset: int, days: int
) -> None:
    duration = timedelta(hours=2)
    window_start = start + timedelta(days=offset - 400)
    window_end = window_start + timedelta(days=days)

    found = occurrences(start, duration, rule, window_start, window_end)

    assert list(found) == sorted(set(found))
    assert all(a + duration > window_start and a < window_end for a in found)
    assert all(a >= start for a in found)
    if "COUNT=" in rule:
        assert len(found) <= int(rule.split("COUNT=")[1].split(";", maxsplit=1)[0])
    if not rule:
        assert len(found) <= 1


@given(starts, st.integers(1, 30))
def test_until_bounds_the_occurrences(start: datetime, days: int) -> None:
    until = start + timedelta(days=days)
    rule = parse_rule(f"FREQ=DAILY;UNTIL={until.astimezone(UTC):%Y%m%dT%H%M%SZ}", start)

    found = occurrences(start, timedelta(hours=1), rule, start, start + timedelta(days=90))

    assert len(found) == days + 1
    assert found[-1] <= until


@given(st.integers(1, 9998), st.integers(1, 12))
def test_a_month_grid_has_every_day_once(year: int, month: int) -> None:
    grid = month_grid(year, month)

    days = [d for week in grid for d in week if d is not None]
    assert days == [date(year, month, 1) + timedelta(days=i) for i in range(len(days))]
    assert days[-1].month == month
    assert (days[-1] + timedelta(days=1)).month != month
    assert all(len(week) == 7 for week in grid)
    assert days[0].weekday() == grid[0].index(days[0])


@given(st.dates(min_value=date(3, 1, 1), max_value=date(9990, 1, 1)), st.integers(-24, 24))
def test_shifting_a_month_and_back_returns_it(day: date, months: int) -> None:
    first = day.replace(day=1)

    assert shift_month(shift_month(first, months), -months) == first


def test_a_month_is_read_or_defaults_to_today() -> None:
    assert parse_month("2027-03", date(2026, 1, 9)) == date(2027, 3, 1)
    assert parse_month("2027-13", date(2026, 1, 9)) == date(2026, 1, 1)
    assert parse_month("junk", date(2026, 1, 9)) == date(2026, 1, 1)
