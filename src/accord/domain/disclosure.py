"""Small numbers are never published: the one suppression rule for every count of people
on a public page or a partner view.

A count of 1 to 9 people can point at someone ("the 2 members who lose points"), so it is
hidden. Hiding it is not enough when a total is published next to it: the total less the
other cells gives it back. So whenever what a reader can work out by subtraction (the total
less everything shown) would be a count of 1 to 9 people, one more cell is hidden with it
(complementary suppression). A statistic about a set of people, such as the biggest gain,
describes at least one of them, so it is published only about 10 people or more.

Zero may be shown: it describes no one.
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass

MIN_CELL = 10


@dataclass(frozen=True)
class Hidden:
    """A count that is not published.

    `small` is true when the reader may be told it is "fewer than 10" (the count is below
    MIN_CELL); false when it is hidden only so that a small one cannot be worked out from
    it, in which case nothing about its size is said.
    """

    small: bool

    def __str__(self) -> str:
        return "fewer than 10" if self.small else "not shown"


type Cell = int | Hidden


@dataclass(frozen=True)
class Published:
    """A table of counts as it may be published: each cell is its count or `Hidden`;
    `total` is None when no total goes with the table."""

    cells: Mapping[str, Cell]
    total: Cell | None = None

    @property
    def withheld(self) -> bool:
        """Whether anything in the table is hidden (a page then says why)."""
        values = [*self.cells.values(), self.total]
        return any(isinstance(v, Hidden) for v in values)


def _is_small(count: int) -> bool:
    return 0 < count < MIN_CELL


def suppress_counts(
    counts: Mapping[str, int], *, total: int | None = None, known: Collection[str] = ()
) -> Published:
    """The counts of people in `counts` (label -> count) as they may be published.

    - Every count of 1 to 9 is hidden.
    - With a `total` (which must equal the sum of the cells): a total of 1 to 9 hides the
      whole table. Otherwise, when the total less the shown cells would be a count of 1 to
      9, the smallest other non-zero cell (ties: the first label in sorted order) is hidden
      too, so at least two cells are hidden and together they hold 10 people or more.
    - `known` names cells whose people are already named on the same page because they
      consented (a partner's list of members who shared their profile). Their counts are
      shown whatever their size and are never used to cover another cell; when no other
      cell can, the total is hidden instead.

    Pass `total` whenever the total appears anywhere alongside these cells.
    """
    if any(v < 0 for v in counts.values()):
        raise ValueError("a count of people cannot be negative")
    if total is not None and total != sum(counts.values()):
        raise ValueError(f"the cells sum to {sum(counts.values())}, not to the total {total}")
    hidden = {label for label, v in counts.items() if _is_small(v) and label not in known}
    shown_total: Cell | None = total
    if total is not None and _is_small(total):
        hidden = set(counts) - set(known)
        shown_total = Hidden(small=True)
    elif total is not None and _is_small(sum(counts[label] for label in hidden)):
        cover = sorted(
            (v, label)
            for label, v in counts.items()
            if v > 0 and label not in hidden and label not in known
        )
        if cover:
            hidden.add(cover[0][1])
        else:
            shown_total = Hidden(small=False)
    return Published(
        cells={
            label: Hidden(small=v < MIN_CELL) if label in hidden else v
            for label, v in counts.items()
        },
        total=shown_total,
    )


def release_statistic[T](people: int, value: T) -> T | None:
    """`value`, a figure about a set of `people` (the biggest gain among those who gain,
    an average over members), or None when that set has fewer than MIN_CELL people: about
    so few, a maximum or a mean comes close to describing one person."""
    return value if people >= MIN_CELL else None
