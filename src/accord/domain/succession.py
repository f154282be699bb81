"""Rotation and succession: when an office is due to change hands, which offices have no
one ready to take over, and how a call for volunteers may publish who answered."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from accord.domain.disclosure import MIN_CELL, Cell, Hidden, suppress_counts
from accord.domain.leadership import consecutive_terms

LABEL_MAX = 60
MAX_LABELS = 12


@dataclass(frozen=True)
class Seat:
    """A current holder's run in an office: their terms `(start, end)`, end inclusive."""

    holder: int
    terms: tuple[tuple[date, date], ...]


def rotation_due(seat: Seat, *, term_limit: int, today: date, window_days: int) -> str | None:
    """Why the seat is due to rotate, or None.

    "limit" when the holder is serving their `term_limit`-th (or a later) consecutive term,
    so they may not serve another; else "ending" when their current term ends within
    `window_days` of `today` with no later term of theirs that continues the run.
    A seat with no current term is not due (it is vacant, which `at_risk` reports).
    """
    current = [t for t in seat.terms if t[0] <= today <= t[1]]
    if not current:
        return None
    if consecutive_terms(seat.terms, on=today) >= term_limit:
        return "limit"
    end = max(t[1] for t in current)
    continued = any(end < s <= end + timedelta(days=1) for s, _ in seat.terms)
    if end <= today + timedelta(days=window_days) and not continued:
        return "ending"
    return None


def at_risk(*, seats: int, filled: int, successors: int, shadows: int) -> str | None:
    """Why an office is at risk, or None: "vacant" when fewer of its seats are held than it
    has, else "no successor" when nobody is named as successor candidate or shadow."""
    if filled < seats:
        return "vacant"
    if successors + shadows == 0:
        return "no successor"
    return None


def clean_labels(labels: Iterable[str]) -> tuple[str, ...]:
    """Labels stripped, blanks dropped, duplicates (ignoring case) dropped, first kept."""
    seen: set[str] = set()
    out: list[str] = []
    for raw in labels:
        label = raw.strip()
        if label and label.casefold() not in seen:
            seen.add(label.casefold())
            out.append(label)
    return tuple(out)


def label_problems(labels: Sequence[str]) -> list[str]:
    """What is wrong with a call's list of backgrounds (empty list: nothing)."""
    problems = []
    if len(labels) > MAX_LABELS:
        problems.append(f"at most {MAX_LABELS} backgrounds")
    if any(len(label) > LABEL_MAX for label in labels):
        problems.append(f"a background is at most {LABEL_MAX} characters")
    return problems


def background_counts(labels: Sequence[str], answers: Iterable[Iterable[str]]) -> dict[str, int]:
    """How many answers name each of the call's `labels` (an answer may name several, or
    none); a label an answer names that the call does not list is ignored."""
    counts = dict.fromkeys(labels, 0)
    for answer in answers:
        for label in set(answer):
            if label in counts:
                counts[label] += 1
    return counts


def published_counts(
    answered: int, backgrounds: Mapping[str, int]
) -> tuple[Cell, dict[str, Cell]]:
    """The number who answered and each background's count as they may be published.

    Every count of 1 to 9 people is hidden. An answer may name several backgrounds or none,
    but when each names exactly one, the number who answered less the shown counts gives
    back the hidden ones: so while that difference is 1 to 9 and some count is hidden, the
    smallest shown non-zero count is hidden too (ties: the first label in sorted order),
    and when none is left to hide, the number who answered is hidden instead.
    """
    if answered < 0 or any(v < 0 for v in backgrounds.values()):
        raise ValueError("a count of people cannot be negative")
    cells: dict[str, Cell] = dict(suppress_counts(dict(backgrounds)).cells)
    total: Cell = suppress_counts({"answered": answered}).cells["answered"]

    def shown() -> list[tuple[int, str]]:
        return sorted((v, k) for k, v in cells.items() if isinstance(v, int) and v > 0)

    while any(isinstance(v, Hidden) for v in cells.values()) and isinstance(total, int):
        if not 0 < total - sum(v for v, _ in shown()) < MIN_CELL:
            break
        rest = shown()
        if not rest:
            total = Hidden(small=False)
            break
        cells[rest[0][1]] = Hidden(small=False)
    return total, cells


def most_at_once(terms: Sequence[tuple[date, date]], within: tuple[date, date]) -> int:
    """The most `terms` (end inclusive) running on any one day of `within`."""
    lo, hi = within
    days = {max(lo, s) for s, _ in terms if s <= hi} | {lo}
    return max(sum(1 for s, e in terms if s <= day <= e) for day in days)


def term_refusal(
    *,
    new: tuple[date, date],
    others: Sequence[tuple[date, date]],
    own: Sequence[tuple[date, date]],
    seats: int,
    term_limit: int,
) -> str | None:
    """Why a new term may not be recorded, or None.

    `others` are the position's terms held by anyone, `own` the new holder's. A term ends
    on or after its start; the new holder has no term overlapping it; with it, no day has
    more holders than `seats`; and it does not make a run of more than `term_limit`
    consecutive terms for its holder.
    """
    start, end = new
    if end < start:
        return "A term cannot end before it starts."
    if any(s <= end and start <= e for s, e in own):
        return "They already hold this position for part of that period."
    if most_at_once([*others, new], new) > seats:
        return f"Every seat ({seats}) is already held for part of that period."
    run = consecutive_terms([*own, new], on=end)
    if run > term_limit:
        return (
            f"That would be their {run}th consecutive term; the limit is {term_limit}: "
            "someone else serves before they may again."
        )
    return None
