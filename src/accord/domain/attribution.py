"""Points for verified contributions under a published, versioned attribution policy.

All arithmetic is exact integer arithmetic in fixed units:

- points are centipoints (``cp``, 1 point = 100 cp);
- multipliers are per-mille (``pm``, 1000 = x1.000);
- hours are hundredths of an hour (``h100``, 3.5 h = 350).

The published formula, with every product kept as an integer until one final rounding::

    effort = base_cp[kind] * level_pm[level] * impact_pm[impact]             scale 10**6
    time   = per_hour_cp * min(hours_h100, hours_cap_h100) * 10**4           scale 10**6
    raw    = (effort + time) * tenure_pm(tenure_months)                      scale 10**9
    points_cp = raw / 10**9 rounded half to even

``tenure_pm(m)`` is the per-mille of the last tenure step whose ``min_months <= m``. The
limits below keep ``raw`` under 2**63 so the vectorised `score_many` is exact in int64 and
agrees with `score` to the centipoint; `check_policy` enforces them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import TYPE_CHECKING, Any

try:  # numpy carries large distributions; the standalone verifier runs without it
    import numpy as np
except ImportError:  # pragma: no cover - the verifier's isolated test runs this path
    np = None  # type: ignore[assignment]

CP_PER_POINT = 100
PM_ONE = 1000
H100_PER_HOUR = 100
RAW_SCALE = 10**9
"""``raw`` is points_cp * 10**9: 10**6 from two per-milles, 10**3 from the tenure one."""

LEVELS = range(1, 6)
"""Valid levels and impacts: 1 to 5."""
MAX_BASE_CP = 1_000_000
MAX_MULTIPLIER_PM = 10_000
MAX_PER_HOUR_CP = 100_000
MAX_HOURS_CAP_H100 = 100_000
MAX_TENURE_PM = 10_000
MAX_RAW = (
    MAX_BASE_CP * MAX_MULTIPLIER_PM**2 + MAX_PER_HOUR_CP * MAX_HOURS_CAP_H100 * 10_000
) * MAX_TENURE_PM
"""Largest possible ``raw`` under the limits: 2 * 10**18, below int64's 9.22 * 10**18."""
MAX_POINTS_CP = MAX_RAW // RAW_SCALE + 1
"""Largest possible points for one contribution (20,000,000.00 points) plus rounding."""

_INT64_MAX = 2**63 - 1

if TYPE_CHECKING:  # array types for mypy only: numpy may be absent at run time
    import numpy.typing as npt

    IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class AttributionPolicy:
    """One published version of the rules that turn contributions into points."""

    version: int
    base_cp: Mapping[str, int]  # per contribution kind
    level_pm: Mapping[int, int]  # level 1..5
    impact_pm: Mapping[int, int]  # impact 1..5
    per_hour_cp: int
    hours_cap_h100: int
    tenure_pm: tuple[tuple[int, int], ...]  # (min_months, pm), ascending, first min_months 0
    member_cap_cp: int | None  # per member per period


@dataclass(frozen=True, slots=True)
class ContributionFacts:
    """What the policy needs to know about one verified contribution."""

    kind: str
    level: int
    impact: int
    hours_h100: int
    tenure_months: int


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Points for one contribution and the lines that re-derive them, one step per line."""

    points_cp: int
    lines: tuple[str, ...]


def policy_from_document(document: Mapping[str, Any], version: int) -> AttributionPolicy:
    """Return the integer policy of a published policy document (as `/criteria/vN.json` and
    the ledger's `policy.published` entry hold it: decimals written as strings).

    The one conversion from what people read to what the arithmetic uses: the application
    and the standalone verifier both call it. Raises ValueError on a malformed document.
    """

    def units(value: object, scale: int) -> int:
        exact = Decimal(str(value)) * scale
        if exact != exact.to_integral_value():
            raise ValueError(f"{value!r} has more decimals than the policy's units hold.")
        return int(exact)

    try:
        cap = document.get("member_cap_per_period")
        return AttributionPolicy(
            version=version,
            base_cp={str(k): units(v, CP_PER_POINT) for k, v in document["base_points"].items()},
            level_pm={int(k): units(v, PM_ONE) for k, v in document["level_multipliers"].items()},
            impact_pm={
                int(k): units(v, PM_ONE) for k, v in document["impact_multipliers"].items()
            },
            per_hour_cp=units(document["points_per_hour"], CP_PER_POINT),
            hours_cap_h100=units(document["hours_cap"], H100_PER_HOUR),
            tenure_pm=tuple(
                (int(step["min_months"]), units(step["multiplier"], PM_ONE))
                for step in document["tenure"]
            ),
            member_cap_cp=None if cap is None else units(cap, CP_PER_POINT),
        )
    except (KeyError, TypeError, AttributeError, InvalidOperation) as exc:
        raise ValueError(f"not a policy document: {exc!r}") from exc


def _check_range(problems: list[str], label: str, value: int, high: int) -> None:
    if not 0 <= value <= high:
        problems.append(f"{label} is {value}; it must be between 0 and {high}.")


def _check_multipliers(problems: list[str], name: str, table: Mapping[int, int]) -> None:
    for key, pm in table.items():
        if key not in LEVELS:
            problems.append(f"{name} {key} is not allowed; {name}s go from 1 to 5.")
        _check_range(problems, f"The multiplier for {name} {key}", pm, MAX_MULTIPLIER_PM)


def _check_tenure(problems: list[str], steps: tuple[tuple[int, int], ...]) -> None:
    if not steps:
        problems.append("The tenure table needs at least one step, starting at 0 months.")
        return
    if steps[0][0] != 0:
        problems.append("The first tenure step must start at 0 months.")
    for (before, _), (after, _) in pairwise(steps):
        if after <= before:
            problems.append(f"Tenure steps must ascend; {after} months follows {before}.")
    for months, pm in steps:
        _check_range(problems, f"The tenure multiplier from {months} months", pm, MAX_TENURE_PM)


def check_policy(policy: AttributionPolicy) -> list[str]:
    """Return every problem that keeps `policy` from being published; empty when it is fine.

    The limits (MAX_BASE_CP, MAX_MULTIPLIER_PM, MAX_PER_HOUR_CP, MAX_HOURS_CAP_H100,
    MAX_TENURE_PM, all from 0) bound ``raw`` by MAX_RAW < 2**63, which is what makes the
    int64 `score_many` exact. Levels and impacts are 1..5 and the tenure table ascends from 0.
    """
    problems: list[str] = []
    if policy.version < 1:
        problems.append(f"The version is {policy.version}; versions start at 1.")
    if not policy.base_cp:
        problems.append("The policy names no contribution kinds.")
    for kind, cp in policy.base_cp.items():
        if not kind:
            problems.append("A contribution kind has an empty name.")
        _check_range(problems, f"The base for {kind!r}", cp, MAX_BASE_CP)
    _check_multipliers(problems, "level", policy.level_pm)
    _check_multipliers(problems, "impact", policy.impact_pm)
    _check_range(problems, "The points per hour", policy.per_hour_cp, MAX_PER_HOUR_CP)
    _check_range(problems, "The hours cap", policy.hours_cap_h100, MAX_HOURS_CAP_H100)
    _check_tenure(problems, policy.tenure_pm)
    if policy.member_cap_cp is not None and policy.member_cap_cp < 0:
        problems.append(f"The member cap is {policy.member_cap_cp}; it cannot be negative.")
    return problems


def _require_valid(policy: AttributionPolicy) -> None:
    problems = check_policy(policy)
    if problems:
        raise ValueError(f"Attribution policy {policy.version} is invalid: {' '.join(problems)}")


def round_half_even(numerator: int, denominator: int) -> int:
    """Return ``numerator / denominator`` rounded to the nearest integer, ties to even.

    Pure integer divmod, so it is exact for any size; the denominator must be positive.
    """
    quotient, remainder = divmod(numerator, denominator)
    twice = 2 * remainder
    if twice > denominator or (twice == denominator and quotient % 2 == 1):
        quotient += 1
    return quotient


def tenure_step(tenure_months: int, steps: tuple[tuple[int, int], ...]) -> tuple[int, int]:
    """Return the ``(min_months, pm)`` of the last step whose min_months <= `tenure_months`."""
    found: tuple[int, int] | None = None
    for step in steps:
        if step[0] > tenure_months:
            break
        found = step
    if found is None:
        raise ValueError(f"No tenure step covers {tenure_months} months.")
    return found


def _decimal(value: int, places: int, *, keep: int = 2) -> str:
    # Exact: `value` counts 10**-places; trailing zeros are dropped down to `keep` places.
    whole, fraction = divmod(value, 10**places)
    digits = f"{fraction:0{places}d}".rstrip("0").ljust(keep, "0") if places else ""
    return f"{whole}.{digits}" if digits else str(whole)


def _check_facts(facts: ContributionFacts, policy: AttributionPolicy) -> None:
    if facts.kind not in policy.base_cp:
        raise ValueError(f"Policy {policy.version} has no contribution kind {facts.kind!r}.")
    if facts.level not in policy.level_pm:
        raise ValueError(f"Policy {policy.version} has no level {facts.level}.")
    if facts.impact not in policy.impact_pm:
        raise ValueError(f"Policy {policy.version} has no impact {facts.impact}.")
    if facts.hours_h100 < 0:
        raise ValueError(f"Hours cannot be negative ({facts.hours_h100}).")
    if facts.tenure_months < 0:
        raise ValueError(f"Tenure cannot be negative ({facts.tenure_months} months).")


def score(facts: ContributionFacts, policy: AttributionPolicy) -> Breakdown:
    """Return the points for one contribution under `policy` and the lines that re-derive them.

    Applies the module's formula with Python ints. An unknown kind, level or impact, negative
    hours or tenure, or an invalid policy raise ValueError naming the culprit.
    """
    _require_valid(policy)
    _check_facts(facts, policy)
    base = policy.base_cp[facts.kind]
    level = policy.level_pm[facts.level]
    impact = policy.impact_pm[facts.impact]
    counted = min(facts.hours_h100, policy.hours_cap_h100)
    since, tenure = tenure_step(facts.tenure_months, policy.tenure_pm)
    effort = base * level * impact
    time = policy.per_hour_cp * counted * 10_000
    points_cp = round_half_even((effort + time) * tenure, RAW_SCALE)
    cap = f"cap {_decimal(policy.hours_cap_h100, 2)} h"
    if counted < facts.hours_h100:
        cap = f"of {_decimal(facts.hours_h100, 2)} h; {cap}"
    hours = f"{_decimal(counted, 2)} h ({cap})"
    lines = (
        f"Base for {facts.kind}: {_decimal(base, 2)} points",
        f"x level {facts.level}: {_decimal(level, 3, keep=3)}",
        f"x impact {facts.impact}: {_decimal(impact, 3, keep=3)}",
        f"+ {_decimal(policy.per_hour_cp, 2)} points per hour x {hours}"
        f" = {_decimal(time, 8)} points",
        f"= {_decimal(effort + time, 8)} points before tenure",
        f"x tenure ({since}+ months): {_decimal(tenure, 3, keep=3)}",
        f"= {_decimal(points_cp, 2)} points (rounded half to even)",
    )
    return Breakdown(points_cp=points_cp, lines=lines)


def int64_array(values: npt.ArrayLike, name: str) -> IntArray:
    """Return `values` as a one-dimensional int64 array; refuse floats and out-of-range ints."""
    array = np.asarray(values)
    if array.size == 0:
        return np.zeros(0, dtype=np.int64)
    if array.ndim != 1 or array.dtype.kind not in "iu":
        raise ValueError(f"{name} must be a one-dimensional array of integers.")
    if array.dtype.kind == "u" and int(array.max()) > _INT64_MAX:
        raise ValueError(f"{name} holds values beyond int64.")
    return array.astype(np.int64, copy=False)


def _lookup(table: Mapping[int, int], values: IntArray, name: str) -> IntArray:
    # Index LEVELS into a small table; -1 marks a level the policy does not define.
    dense = np.full(LEVELS.stop, -1, dtype=np.int64)
    for key, pm in table.items():
        dense[key] = pm
    outside = (values < 0) | (values >= LEVELS.stop)
    found = np.where(outside, -1, dense[np.where(outside, 0, values)])
    missing = np.flatnonzero(found < 0)
    if missing.size:
        raise ValueError(f"The policy has no {name} {int(values[missing[0]])}.")
    return found


def score_many(  # noqa: PLR0917 - positional order is the published interface
    kind_codes: npt.ArrayLike,
    levels: npt.ArrayLike,
    impacts: npt.ArrayLike,
    hours_h100: npt.ArrayLike,
    tenure_months: npt.ArrayLike,
    policy: AttributionPolicy,
    kinds: Sequence[str],
) -> IntArray:
    """Return the points_cp of many contributions, identical to `score` for each one.

    Contribution i has kind ``kinds[kind_codes[i]]``. The policy limits keep every
    intermediate below MAX_RAW < 2**63, so int64 is exact and the half-to-even rounding
    matches `score` bit for bit. Raises ValueError as `score` would for any contribution.
    """
    _require_valid(policy)
    codes = int64_array(kind_codes, "kind_codes")
    columns = [
        int64_array(values, name)
        for values, name in (
            (levels, "levels"),
            (impacts, "impacts"),
            (hours_h100, "hours_h100"),
            (tenure_months, "tenure_months"),
        )
    ]
    if any(len(column) != len(codes) for column in columns):
        raise ValueError("All contribution arrays must have the same length.")
    level_codes, impact_codes, hours, months = columns
    if len(codes) == 0:
        return np.zeros(0, dtype=np.int64)
    if int(codes.min()) < 0 or int(codes.max()) >= len(kinds):
        raise ValueError(f"kind_codes must index the {len(kinds)} kinds given.")
    if int(hours.min()) < 0:
        raise ValueError("Hours cannot be negative.")
    if int(months.min()) < 0:
        raise ValueError("Tenure cannot be negative.")
    base_table = np.array([policy.base_cp.get(kind, -1) for kind in kinds], dtype=np.int64)
    base = base_table[codes]
    unknown = np.flatnonzero(base < 0)
    if unknown.size:
        kind = kinds[int(codes[unknown[0]])]
        raise ValueError(f"Policy {policy.version} has no contribution kind {kind!r}.")
    level = _lookup(policy.level_pm, level_codes, "level")
    impact = _lookup(policy.impact_pm, impact_codes, "impact")
    step_months = np.array([m for m, _ in policy.tenure_pm], dtype=np.int64)
    step_pm = np.array([pm for _, pm in policy.tenure_pm], dtype=np.int64)
    tenure = step_pm[np.searchsorted(step_months, months, side="right") - 1]
    counted = np.minimum(hours, policy.hours_cap_h100)
    raw = (base * level * impact + policy.per_hour_cp * counted * 10_000) * tenure
    quotient, remainder = np.divmod(raw, RAW_SCALE)
    twice = 2 * remainder
    up = (twice > RAW_SCALE) | ((twice == RAW_SCALE) & (quotient % 2 == 1))
    result: IntArray = quotient + up
    return result


def member_totals(
    member_index: npt.ArrayLike,
    points_cp: npt.ArrayLike,
    n_members: int,
    cap_cp: int | None,
) -> IntArray:
    """Return each member's points in a period: the sum of theirs, then at most `cap_cp`.

    Contribution i belongs to member ``member_index[i]`` in ``range(n_members)``. Members
    without contributions get 0. Sums are exact int64; inputs whose total could pass 2**63
    raise ValueError instead of wrapping around.
    """
    index = int64_array(member_index, "member_index")
    points = int64_array(points_cp, "points_cp")
    if len(index) != len(points):
        raise ValueError("member_index and points_cp must have the same length.")
    if cap_cp is not None and cap_cp < 0:
        raise ValueError("The member cap cannot be negative.")
    totals = np.zeros(n_members, dtype=np.int64)
    if len(index) == 0:
        return totals
    if int(index.min()) < 0 or int(index.max()) >= n_members:
        raise ValueError(f"member_index must lie in range({n_members}).")
    if int(points.min()) < 0:
        raise ValueError("Points cannot be negative.")
    if int(points.max()) > _INT64_MAX // len(points):
        raise ValueError("These points could overflow a 64-bit sum.")
    np.add.at(totals, index, points)
    if cap_cp is not None:
        totals = np.minimum(totals, cap_cp)
    return totals


def tenure_months(joined: date, on: date) -> int:
    """Whole months of involvement from `joined` to `on`, never negative: the difference in
    months, less one when `on` falls on an earlier day of the month than `joined`."""
    months = (on.year - joined.year) * 12 + (on.month - joined.month)
    if on.day < joined.day:
        months -= 1
    return max(0, months)


def tenure_months_many(joined_days: npt.ArrayLike, on_days: npt.ArrayLike) -> IntArray:
    """`tenure_months` over dates given as days since 1970-01-01, vectorised; the same
    result for every pair."""
    joined, on = (
        _ymd(np.asarray(joined_days, dtype=np.int64)),
        _ymd(np.asarray(on_days, dtype=np.int64)),
    )
    months = (on[:, 0] - joined[:, 0]) * 12 + (on[:, 1] - joined[:, 1])
    months -= (on[:, 2] < joined[:, 2]).astype(np.int64)
    result: IntArray = np.maximum(months, 0)
    return result


def _ymd(epoch_days: IntArray) -> IntArray:
    """(year, month, day) rows for dates given as days since 1970-01-01."""
    days = epoch_days.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    out = np.empty((len(days), 3), dtype=np.int64)
    out[:, 0] = months.astype("datetime64[Y]").astype(np.int64) + 1970
    out[:, 1] = months.astype(np.int64) % 12 + 1
    out[:, 2] = (days - months.astype("datetime64[D]")).astype(np.int64) + 1
    return out
