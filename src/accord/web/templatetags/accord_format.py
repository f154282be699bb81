"""Template filters for the few things pages format: money, units, points, counts and
mean scores."""

from fractions import Fraction

from django import template

from accord.domain.disclosure import Hidden
from accord.domain.money import format_amount

register = template.Library()


@register.filter
def money(minor: int | None, unit: str) -> str:
    """`{{ amount|money:"EUR" }}` -> "53.66 EUR"; units without decimals stay whole."""
    if minor is None:
        return "—"
    return format_amount(int(minor), unit)


@register.filter
def points(cp: int | None) -> str:
    """Centipoints as points with two decimals: 12400 -> "124.00"."""
    if cp is None:
        return "—"
    sign = "-" if cp < 0 else ""
    whole, part = divmod(abs(int(cp)), 100)
    return f"{sign}{whole:,}.{part:02d}"


@register.filter
def people(count: int | Hidden, noun: str = "member") -> str:
    """A count of people as published: `{{ n|people }}` -> "12 members", "1 member", or,
    for a count the small-numbers rule hides, "fewer than 10 members" / "members (number
    not shown)"."""
    if isinstance(count, Hidden):
        return f"fewer than 10 {noun}s" if count.small else f"{noun}s (number not shown)"
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


@register.filter
def fraction(value: Fraction | None) -> str:
    """An exact fraction (a mean score) with two decimals, rounded half up, as the
    activation rule's messages say it: Fraction(29, 10) -> "2.90"; None -> "—"."""
    if value is None:
        return "—"
    hundredths = (Fraction(value) * 200 + 1) // 2
    return f"{hundredths // 100}.{hundredths % 100:02d}"


@register.filter
def percent(value: Fraction | None) -> str:
    """A share as a percentage with one decimal, rounded half up: Fraction(13, 20) -> "65.0%"."""
    if value is None:
        return "—"
    tenths = (Fraction(value) * 2000 + 1) // 2
    return f"{tenths // 10}.{tenths % 10}%"
