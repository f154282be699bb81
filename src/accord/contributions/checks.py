"""What makes a contribution acceptable, as values: the services refuse on the first
problem list, the CSV import reports them per row."""

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from accord.contributions.models import Kind
from accord.contributions.schemas import ContributionIn
from accord.domain.errors import InvalidInput

MAX_HOURS_H100 = 100_000
MAX_HOURS = Decimal(MAX_HOURS_H100) / 100
HUNDREDTH = Decimal("0.01")
HOURS_TEXT_MAX = 20


def parse_hours(value: Any) -> int:
    """Hours as written ("3.5", "2", 4) -> hundredths of an hour, exactly.

    Only a finite number is read, and its size is checked before any arithmetic, so
    "NaN", "sNaN", "Infinity" and "1e999999" are refused like any other bad number."""
    text = str(value).strip() or "0"
    try:
        hours = Decimal(text) if len(text) <= HOURS_TEXT_MAX else None
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite():
        raise InvalidInput(f"{text[:HOURS_TEXT_MAX]!r} is not a number of hours.")
    within = hours <= MAX_HOURS
    if hours < 0 or (within and hours != hours.quantize(HUNDREDTH)):
        raise InvalidInput("Hours must be zero or more, with at most two decimals.")
    if not within:
        raise InvalidInput("A single contribution can record at most 1000 hours.")
    return int(hours * 100)


def check_input(data: ContributionIn, *, today: date) -> list[str]:
    """Every problem with a contribution, as values (an import reports them per row)."""
    problems = []
    if data.kind not in Kind.values:
        problems.append(f"kind {data.kind!r} is not one of {', '.join(Kind.values)}")
    if not data.title.strip():
        problems.append("a title is required")
    elif len(data.title) > 200:
        problems.append("the title is longer than 200 characters")
    if data.date > today:
        problems.append("the date is in the future")
    if data.level not in range(1, 6):
        problems.append("the level must be 1 to 5")
    try:
        parse_hours(data.hours)
    except InvalidInput as exc:
        problems.append(exc.detail.rstrip(".").lower())
    if data.evidence_url and not data.evidence_url.startswith(("https://", "http://")):
        problems.append("the evidence link must start with https:// or http://")
    if len(data.description) > 5000 or len(data.evidence_url) > 500:
        problems.append("the description or the evidence link is too long")
    return problems
