"""Rotating leadership: consecutive terms and term limits."""

from collections.abc import Sequence
from datetime import date, timedelta


def consecutive_terms(terms: Sequence[tuple[date, date]], *, on: date) -> int:
    """How many terms in an unbroken run end with the latest term that started by `on`.

    Terms are `(start, end)` with `end` inclusive. Two terms are consecutive when the second
    starts no later than the day after the first ends. Terms that start after `on` are
    ignored, so a planned future term does not count until it begins.
    """
    started = sorted(t for t in terms if t[0] <= on)
    if not started:
        return 0
    run = 1
    for (_, prev_end), (start, _) in zip(started[-2::-1], started[:0:-1], strict=True):
        if start <= prev_end + timedelta(days=1):
            run += 1
        else:
            break
    return run
