"""Sharing a pool among members: IMMEDIATE, RECENT or BALANCED, then caps and minimums.

A distribution runs in four published steps, all on exact integers of the pool's unit:

1. **Share.** IMMEDIATE splits the pool by points in the period and RECENT by points decayed
   with a half-life (the caller computes the weights with `immediate_weights` or
   `recent_weights`); both round with `allocation.largest_remainder`. BALANCED pays first
   those furthest below their fair share of everything ever distributed
   (`balanced_amounts`). With no weight at all, the whole pool stays unallocated.
2. **Cap.** A share above `cap` is cut to `cap` and the excess goes to members below the cap
   in proportion to their weights (lifetime points for BALANCED), as often as needed; this is
   done in one exact water-filling step and rounded once. Excess that no member can take
   stays unallocated and returns to the pool.
3. **Carry in.** Amounts carried over from a member's earlier distributions are added.
4. **Minimum.** A member due less than `minimum` is paid nothing now and the amount carries
   out to their next distribution; it never vanishes.

So ``sum(payout) + sum(carried_out) + unallocated == pool + sum(carried_in)`` always.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

try:  # numpy carries large distributions; the standalone verifier runs without it
    import numpy as np
except ImportError:  # pragma: no cover - the verifier's isolated test runs this path
    np = None  # type: ignore[assignment]

from accord.domain.allocation import (
    apportion_trusted,
    check_keys,
    fill_to_cap,
    level_down,
    non_negative_ints,
)
from accord.domain.attribution import int64_array

if TYPE_CHECKING:  # array types for mypy only: numpy may be absent at run time
    import numpy.typing as npt

PPB = 10**9
"""Decay factors are parts per billion: 10**9 means no decay."""

_INT64_MAX = 2**63 - 1
_LOW_BITS = 32


class Method(StrEnum):
    """How the pool is shared before caps and minimums."""

    IMMEDIATE = "immediate"
    RECENT = "recent"
    BALANCED = "balanced"


@dataclass(frozen=True, slots=True)
class Allocation:
    """One member's row in a plan; `due` and `payout` follow from the other fields.

    ``due = share - capped_excess + redistributed + carried_in``; ``payout`` is `due` when it
    reaches the minimum and 0 otherwise, in which case `due` is `carried_out`. The exact
    share before rounding is ``share_numerator / DistributionPlan.share_denominator``.
    """

    member: str
    weight: int
    share: int  # from the pool before caps
    capped_excess: int  # removed by the cap
    redistributed: int  # received from others' capped excess
    carried_in: int
    due: int  # share - capped_excess + redistributed + carried_in
    payout: int  # due if due >= minimum else 0
    carried_out: int  # due if below minimum else 0
    share_numerator: int = 0


@dataclass(frozen=True, slots=True)
class DistributionPlan:
    """The exact outcome of one distribution run: one allocation per member, in input order.

    Invariant: ``total_paid() + total_carried() + unallocated == pool + total_carried_in()``.
    `total_weight`, `share_denominator`, `received` and `total_received` keep what
    `statements.explain` needs to re-derive any member's amount; `received` is empty unless
    the method is BALANCED.
    """

    pool: int
    method: Method
    allocations: tuple[Allocation, ...]
    unallocated: int  # returns to the pool (no weights, or everyone capped)
    seed: str
    cap: int | None = None
    minimum: int = 0
    total_weight: int = 0
    share_denominator: int = 1
    received: tuple[int, ...] = ()
    total_received: int = 0

    def total_paid(self) -> int:
        """Return the sum of payouts made now."""
        return sum(a.payout for a in self.allocations)

    def total_carried(self) -> int:
        """Return the sum carried out to members' next distributions (below the minimum)."""
        return sum(a.carried_out for a in self.allocations)

    def total_carried_in(self) -> int:
        """Return the sum carried in from members' earlier distributions."""
        return sum(a.carried_in for a in self.allocations)

    def conserves(self) -> bool:
        """Return whether paid + carried out + unallocated equals pool + carried in."""
        paid_and_kept = self.total_paid() + self.total_carried() + self.unallocated
        return paid_and_kept == self.pool + self.total_carried_in()


def _ppb(age_days: int, half_life_days: int) -> int:
    # The one expression behind the table; typeshed types float ** float as Any.
    factor: float = 2.0 ** (-age_days / half_life_days)
    return round(factor * 1e9)


@lru_cache(maxsize=64)
def decay_table(half_life_days: int, max_age_days: int) -> tuple[int, ...]:
    """Return the published decay factors in ppb for ages ``0..max_age_days``.

    Entry d is ``round(2.0 ** (-d / half_life_days) * 1e9)`` as CPython evaluates it in IEEE
    754 double precision. This table of integers, not the formula, is the published rule: a
    statement can quote it and an auditor can re-use it on any machine. From
    ``32 * half_life_days`` days on every entry is 0.
    """
    if half_life_days <= 0:
        raise ValueError("The half-life must be at least one day.")
    if max_age_days < 0:
        raise ValueError("Ages cannot be negative.")
    return tuple(_ppb(d, half_life_days) for d in range(max_age_days + 1))


def decay_factor_ppb(age_days: int, half_life_days: int) -> int:
    """Return the weight in ppb of points `age_days` old: entry `age_days` of `decay_table`."""
    if half_life_days <= 0:
        raise ValueError("The half-life must be at least one day.")
    if age_days < 0:
        raise ValueError("Ages cannot be negative.")
    return _ppb(age_days, half_life_days)


def immediate_weights(member_totals_cp: Sequence[int] | npt.NDArray[np.int64]) -> list[int]:
    """Return the IMMEDIATE weights: each member's points in the period, as Python ints."""
    if isinstance(member_totals_cp, np.ndarray):
        return non_negative_ints(member_totals_cp.tolist(), "Points")
    return non_negative_ints(member_totals_cp, "Points")


def _sum_products(
    index: npt.NDArray[np.int64], products: npt.NDArray[np.int64], n_members: int
) -> list[int]:
    # Exact per-member sums of non-negative int64 products: if a sum could pass 2**63, the
    # high and low 32 bits are summed apart (each safely) and joined as Python ints.
    if len(products) == 0 or int(products.max()) <= _INT64_MAX // len(products):
        sums = np.zeros(n_members, dtype=np.int64)
        np.add.at(sums, index, products)
        exact: list[int] = sums.tolist()
        return exact
    high = np.zeros(n_members, dtype=np.int64)
    low = np.zeros(n_members, dtype=np.int64)
    np.add.at(high, index, products >> _LOW_BITS)
    np.add.at(low, index, products & ((1 << _LOW_BITS) - 1))
    return [(h << _LOW_BITS) + lo for h, lo in zip(high.tolist(), low.tolist(), strict=True)]


def recent_weights(
    member_index: npt.ArrayLike,
    points_cp: npt.ArrayLike,
    age_days: npt.ArrayLike,
    n_members: int,
    half_life_days: int,
) -> list[int]:
    """Return the RECENT weights: per member, the sum of ``points_cp * decay_factor_ppb(age)``.

    Contribution i belongs to member ``member_index[i]`` in ``range(n_members)``. Sums are
    exact Python ints: int64 carries the work while a contribution's product fits (points up
    to 9,223,372,036 cp) and pure Python takes over for larger points.
    """
    index = int64_array(member_index, "member_index")
    points = int64_array(points_cp, "points_cp")
    ages = int64_array(age_days, "age_days")
    if not len(index) == len(points) == len(ages):
        raise ValueError("member_index, points_cp and age_days must have the same length.")
    if len(index) == 0:
        return [0] * n_members
    if int(index.min()) < 0 or int(index.max()) >= n_members:
        raise ValueError(f"member_index must lie in range({n_members}).")
    if int(points.min()) < 0:
        raise ValueError("Points cannot be negative.")
    if int(ages.min()) < 0:
        raise ValueError("Ages cannot be negative.")
    table = decay_table(half_life_days, min(int(ages.max()), 32 * half_life_days))
    factors = np.array(table, dtype=np.int64)[np.minimum(ages, len(table) - 1)]
    if int(points.max()) > _INT64_MAX // PPB:
        sums = [0] * n_members
        for member, cp, ppb in zip(index.tolist(), points.tolist(), factors.tolist(), strict=True):
            sums[member] += cp * ppb
        return sums
    return _sum_products(index, points * factors, n_members)


def _balanced_exact(pool: int, lifetime: list[int], received: list[int]) -> tuple[list[int], int]:
    # Exact BALANCED payments as numerators over one denominator; all 0 over 1 without
    # lifetime points. Fair shares and deficits are scaled by P = sum(lifetime).
    whole = sum(lifetime)
    if whole == 0:
        return [0] * len(lifetime), 1
    everything = sum(received) + pool
    gaps = [everything * p - r * whole for p, r in zip(lifetime, received, strict=True)]
    numerators, k = level_down([g if g > 0 else 0 for g in gaps], pool * whole)
    return numerators, whole * k


def balanced_level(pool: int, lifetime_points: Sequence[int], received: Sequence[int]) -> Fraction:
    """Return the water level L of a BALANCED share, in the units of ``need_i = T*p_i -
    r_i*P`` (``T = sum(received) + pool``, ``P = sum(lifetime_points)``).

    Member i's exact share before rounding is ``max(0, need_i - L) / P``, so with L and the
    totals published a member re-derives their own exact share from their own p_i and r_i.
    """
    lifetime = non_negative_ints(lifetime_points, "Lifetime points")
    before = non_negative_ints(received, "Amounts received")
    whole = sum(lifetime)
    if whole == 0:
        return Fraction(0)
    everything = sum(before) + pool
    gaps = [everything * p - r * whole for p, r in zip(lifetime, before, strict=True)]
    numerators, k = level_down([g if g > 0 else 0 for g in gaps], pool * whole)
    for gap, numerator in zip(gaps, numerators, strict=True):
        if numerator > 0:
            return Fraction(k * gap - numerator, k)
    return Fraction(max([0, *gaps]))


def balanced_exact_share(
    *,
    pool: int,
    level: Fraction,
    total_received: int,
    total_lifetime: int,
    lifetime: int,
    received: int,
) -> Fraction:
    """Return one member's exact BALANCED share before rounding, from the published level
    and totals and the member's own lifetime points and earlier receipts."""
    if total_lifetime == 0:
        return Fraction(0)
    need = (total_received + pool) * lifetime - received * total_lifetime
    return max(Fraction(0), need - level) / total_lifetime


def _balanced_inputs(
    pool: int, lifetime_points: Sequence[int], received: Sequence[int], n: int
) -> tuple[list[int], list[int]]:
    if pool < 0:
        raise ValueError("The pool cannot be negative.")
    lifetime = non_negative_ints(lifetime_points, "Lifetime points")
    before = non_negative_ints(received, "Amounts received")
    if not len(lifetime) == len(before) == n:
        raise ValueError("Lifetime points, amounts received and keys must have equal lengths.")
    return lifetime, before


def balanced_amounts(
    pool: int,
    lifetime_points: Sequence[int],
    received: Sequence[int],
    keys: Sequence[str],
    *,
    seed: str,
) -> list[int]:
    """Share `pool` so that those furthest below their fair lifetime share are paid first.

    With ``T = sum(received) + pool`` and ``P = sum(lifetime_points)``, member i's fair share
    is ``T * p_i / P`` and their deficit ``max(0, fair_i - received_i)``, both exact
    fractions. The pool lowers the largest deficits to a common level L (water-filling,
    `allocation.level_down`): member i gets ``max(0, deficit_i - L)``. Fair shares add up to
    T, so the deficits always add up to at least the pool; when they equal it (nobody is above
    their fair share) L is 0 and every deficit is paid in full, and no surplus is ever left to
    share by lifetime points. The exact amounts are rounded together by largest remainder, so
    they sum to the pool and none exceeds its deficit's ceiling: no one is paid above their
    fair share while another stays a unit or more below theirs. All zero when P is 0.
    """
    check_keys(keys, len(lifetime_points))
    lifetime, before = _balanced_inputs(pool, lifetime_points, received, len(keys))
    numerators, denominator = _balanced_exact(pool, lifetime, before)
    if sum(lifetime) == 0:
        return [0] * len(keys)
    return apportion_trusted(numerators, denominator, keys, seed=seed)


def _check_plan_options(pool: int, cap: int | None, minimum: int) -> None:
    if pool < 0:
        raise ValueError("The pool cannot be negative.")
    if cap is not None and cap < 0:
        raise ValueError("The cap cannot be negative.")
    if minimum < 0:
        raise ValueError("The minimum cannot be negative.")


def _weights_for(
    method: Method,
    n: int,
    weights: Sequence[int] | None,
    lifetime_points: Sequence[int] | None,
) -> list[int]:
    given = lifetime_points if method is Method.BALANCED else weights
    if given is None:
        needed = "lifetime_points" if method is Method.BALANCED else "weights"
        raise ValueError(f"The {method} method needs {needed}.")
    ints = non_negative_ints(given, "Weights")
    if len(ints) != n:
        raise ValueError(f"Expected {n} weights, got {len(ints)}.")
    return ints


def _rows(
    keys: Sequence[str],
    *,
    weights: list[int],
    shares: list[int],
    amounts: list[int],
    carried: list[int],
    numerators: list[int],
    cap: int | None,
    minimum: int,
) -> tuple[Allocation, ...]:
    # Column by column, then one positional constructor call per row: the fastest safe way
    # to build 10**5 frozen rows in CPython.
    cuts = [s - cap if s > cap else 0 for s in shares] if cap is not None else [0] * len(keys)
    moved = [a - s + c for a, s, c in zip(amounts, shares, cuts, strict=True)]
    dues = [a + c for a, c in zip(amounts, carried, strict=True)]
    paid = [d if d >= minimum else 0 for d in dues]
    kept = [d - p for d, p in zip(dues, paid, strict=True)]
    columns = (keys, weights, shares, cuts, moved, carried, dues, paid, kept, numerators)
    return tuple(map(Allocation, *columns))


def plan_distribution(
    *,
    pool: int,
    method: Method,
    keys: Sequence[str],
    weights: Sequence[int] | None = None,
    lifetime_points: Sequence[int] | None = None,
    received: Sequence[int] | None = None,
    carried_in: Sequence[int] | None = None,
    cap: int | None = None,
    minimum: int = 0,
    seed: str,
) -> DistributionPlan:
    """Plan how `pool` is shared among the members named by `keys` (see the module rules).

    IMMEDIATE and RECENT split by `weights`; BALANCED uses `lifetime_points` and `received`
    (default all 0) and redistributes capped excess by lifetime points. `carried_in` (default
    all 0) is added before the `minimum` applies. One row per key in input order, zero rows
    included. Identical inputs give identical plans; permuting the members (with their keys)
    permutes the rows and changes nothing else.
    """
    method = Method(method)
    n = len(keys)
    check_keys(keys, n)
    _check_plan_options(pool, cap, minimum)
    base = _weights_for(method, n, weights, lifetime_points)
    carried = [0] * n if carried_in is None else non_negative_ints(carried_in, "Carry-ins")
    if len(carried) != n:
        raise ValueError(f"Expected {n} carry-ins, got {len(carried)}.")
    before: list[int] = []
    if method is Method.BALANCED:
        before = [0] * n if received is None else non_negative_ints(received, "Amounts received")
        if len(before) != n:
            raise ValueError(f"Expected {n} amounts received, got {len(before)}.")
        numerators, denominator = _balanced_exact(pool, base, before)
    else:
        numerators, denominator = [pool * w for w in base], sum(base) or 1
    total_weight = sum(base)
    if total_weight == 0:
        shares, unallocated = [0] * n, pool
    else:
        shares, unallocated = apportion_trusted(numerators, denominator, keys, seed=seed), 0
    amounts = shares
    if cap is not None:
        amounts, uncapped = fill_to_cap(shares, base, keys, cap=cap, seed=seed)
        unallocated += uncapped
    return DistributionPlan(
        pool=pool,
        method=method,
        allocations=_rows(
            keys,
            weights=base,
            shares=shares,
            amounts=amounts,
            carried=carried,
            numerators=numerators,
            cap=cap,
            minimum=minimum,
        ),
        unallocated=unallocated,
        seed=seed,
        cap=cap,
        minimum=minimum,
        total_weight=total_weight,
        share_denominator=denominator,
        received=tuple(before),
        total_received=sum(before),
    )
