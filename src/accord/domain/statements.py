"""What a member's statement says: their points, and how their amount follows from them.

Two functions, one per question, used by every reader (the statement page, the API, the
distribution plan's `explain`), so that a statement is explained one way only:

- `member_points`: a member's contributions scored by the policy, and the totals a
  distribution uses (points in the period before and after the per-member cap, lifetime
  points, the RECENT weight);
- `explain_statement`: from the distribution's published numbers and the member's own row,
  the exact share before rounding, the rounding, cap, carries and minimum, and for BALANCED
  the member's fair lifetime share and their shortfall below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from accord.domain.attribution import AttributionPolicy, Breakdown, ContributionFacts, score
from accord.domain.distribution import (
    DistributionPlan,
    Method,
    balanced_exact_share,
    decay_factor_ppb,
)


@dataclass(frozen=True, slots=True)
class DatedFacts:
    """A verified contribution as the policy scores it, with the day it was made."""

    facts: ContributionFacts
    day: date


@dataclass(frozen=True, slots=True)
class MemberPoints:
    """One member's scored contributions (in input order) and the totals built on them."""

    lines: tuple[Breakdown, ...]
    period_before_cap_cp: int  # points dated in the period, before the per-member cap
    period_cp: int  # the same after the policy's per-member cap: the IMMEDIATE weight
    lifetime_cp: int  # every contribution given: the BALANCED weight
    decayed: int  # sum of points_cp * decay_factor_ppb(age): the RECENT weight

    def weight(self, method: Method) -> int:
        """Return the member's weight under `method`."""
        return {
            Method.IMMEDIATE: self.period_cp,
            Method.RECENT: self.decayed,
            Method.BALANCED: self.lifetime_cp,
        }[Method(method)]


def member_points(
    contributions: Sequence[DatedFacts],
    policy: AttributionPolicy,
    *,
    period_start: date,
    as_of: date,
    half_life_days: int,
) -> MemberPoints:
    """Score each contribution with `score` and total them for one member.

    Points count in the period from `period_start` on (the caller passes only contributions
    up to the period's end); the period total is then capped at the policy's
    ``member_cap_cp``. Lifetime points count every contribution given. A contribution
    ``age = max(as_of - day, 0)`` days old weighs ``points_cp * decay_factor_ppb(age)`` in
    the RECENT weight. The same numbers `planning` computes for all members at once.
    """
    lines = tuple(score(c.facts, policy) for c in contributions)
    period = lifetime = decayed = 0
    for c, line in zip(contributions, lines, strict=True):
        lifetime += line.points_cp
        if c.day >= period_start:
            period += line.points_cp
        age = max((as_of - c.day).days, 0)
        decayed += line.points_cp * decay_factor_ppb(age, half_life_days)
    capped = period if policy.member_cap_cp is None else min(period, policy.member_cap_cp)
    return MemberPoints(
        lines=lines,
        period_before_cap_cp=period,
        period_cp=capped,
        lifetime_cp=lifetime,
        decayed=decayed,
    )


@dataclass(frozen=True, slots=True)
class StatementFacts:
    """One member's row of a distribution and the distribution's published numbers.

    For BALANCED, `weight` is the member's lifetime points and `total_weight` everyone's;
    `total_received` and `level` are the published totals of `balanced_level`. `share_exact`
    may be given when the caller already holds it (a plan does); otherwise it is derived.
    """

    method: Method
    pool: int
    weight: int
    total_weight: int
    share: int
    capped_excess: int
    redistributed: int
    carried_in: int
    payout: int
    carried_out: int
    minimum: int
    cap: int | None = None
    received_before: int = 0
    total_received: int = 0
    level: Fraction | None = None
    share_exact: Fraction | None = None


@dataclass(frozen=True, slots=True)
class Explanation:
    """The steps from a member's weight to their amount, each an exact number.

    ``share_exact`` is None only for a BALANCED round whose level was not kept. ``due =
    share - capped_excess + redistributed + carried_in``; ``payout`` is `due` when it reaches
    the minimum, else `due` is carried out. BALANCED adds ``fair_share = (total_received +
    pool) * weight / total_weight`` and ``shortfall = max(0, fair_share - received_before)``.
    """

    facts: StatementFacts
    share_exact: Fraction | None
    share_floor: int | None
    rounding_units: int | None
    due: int
    fair_share: Fraction | None
    shortfall: Fraction | None

    def as_dict(self, seed: str, member: str | None = None) -> dict[str, int | str]:
        """Return the explanation as plain values ready for canonical JSON (with the
        member's key in the distribution when given)."""
        f = self.facts
        out: dict[str, int | str] = {} if member is None else {"member": member}
        out |= {
            "method": f.method.value,
            "seed": seed,
            "pool": f.pool,
            "weight": f.weight,
            "total_weight": f.total_weight,
        }
        if self.share_exact is not None:
            out["share_exact"] = fraction_text(self.share_exact)
            out["share_floor"] = self.share_floor or 0
            out["rounding_units"] = self.rounding_units or 0
        out |= {
            "share": f.share,
            "capped_excess": f.capped_excess,
            "redistributed": f.redistributed,
            "carried_in": f.carried_in,
            "due": self.due,
            "minimum": f.minimum,
            "payout": f.payout,
            "carried_out": f.carried_out,
        }
        if f.cap is not None:
            out["cap"] = f.cap
        if self.fair_share is not None and self.shortfall is not None:
            out["received_before"] = f.received_before
            out["total_received_before"] = f.total_received
            out["fair_share"] = fraction_text(self.fair_share)
            out["deficit"] = fraction_text(self.shortfall)
        return out


def fraction_text(value: Fraction) -> str:
    """Return a fraction as reduced "numerator/denominator" text."""
    return f"{value.numerator}/{value.denominator}"


def _exact_share(f: StatementFacts) -> Fraction | None:
    if f.share_exact is not None:
        return f.share_exact
    if f.total_weight == 0:
        return Fraction(0)
    if f.method is not Method.BALANCED:
        return Fraction(f.pool * f.weight, f.total_weight)
    if f.level is None:
        return None
    return balanced_exact_share(
        pool=f.pool,
        level=f.level,
        total_received=f.total_received,
        total_lifetime=f.total_weight,
        lifetime=f.weight,
        received=f.received_before,
    )


def explain_statement(facts: StatementFacts) -> Explanation:
    """Return the steps that re-derive one member's amount (see `Explanation`)."""
    exact = _exact_share(facts)
    floor = None if exact is None else exact.numerator // exact.denominator
    fair = shortfall = None
    if facts.method is Method.BALANCED and facts.total_weight:
        fair = Fraction((facts.total_received + facts.pool) * facts.weight, facts.total_weight)
        shortfall = max(Fraction(0), fair - facts.received_before)
    return Explanation(
        facts=facts,
        share_exact=exact,
        share_floor=floor,
        rounding_units=None if floor is None else facts.share - floor,
        due=facts.share - facts.capped_excess + facts.redistributed + facts.carried_in,
        fair_share=fair,
        shortfall=shortfall,
    )


def explain(plan: DistributionPlan, index: int) -> dict[str, int | str]:
    """Return the numbers that re-derive member `index`'s amount in `plan`, ready for
    canonical JSON: `explain_statement` on the plan's row, with the plan's exact share
    (``share_numerator / share_denominator``)."""
    row = plan.allocations[index]
    facts = StatementFacts(
        method=plan.method,
        pool=plan.pool,
        weight=row.weight,
        total_weight=plan.total_weight,
        share=row.share,
        capped_excess=row.capped_excess,
        redistributed=row.redistributed,
        carried_in=row.carried_in,
        payout=row.payout,
        carried_out=row.carried_out,
        minimum=plan.minimum,
        cap=plan.cap,
        received_before=plan.received[index] if plan.received else 0,
        total_received=plan.total_received,
        share_exact=Fraction(row.share_numerator, plan.share_denominator),
    )
    return explain_statement(facts).as_dict(plan.seed, row.member)
