"""What the ledger's entries promise about distributions, checked from the entries alone.

Three readers, three depths:

- anyone, with the public export: each distribution's statement rows are all there, their
  digest is the one committed, and their amounts sum to the total less what stayed in the
  pool; each policy's document hashes to the digest the distribution names;
- a member, with their receipt bundle: their own amount, re-derived from their own
  contributions (opened), the published policy and the distribution's public rows;
- an auditor, with the auditor export: every statement, re-derived the same way, with every
  opening checked against its commitment.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from functools import cached_property
from math import ceil, floor
from typing import Any

from accord.domain import distribution as dist
from accord.domain.attribution import ContributionFacts, policy_from_document
from accord.domain.canonical import canonical_json
from accord.domain.commitments import opens, rows_digest
from accord.domain.statements import (
    DatedFacts,
    StatementFacts,
    explain_statement,
    member_points,
)


class RederivationError(Exception):
    """A distribution, statement or opening does not add up; the message names it."""


Fields = dict[str, Any]


@dataclass
class Distribution:
    """A committed distribution and its statement entries, as the ledger holds them."""

    seq: int
    payload: Fields
    statements: list[tuple[int, Fields]] = field(default_factory=list)  # (seq, entry fields)

    @property
    def name(self) -> str:
        return str(self.payload["distribution"])

    @cached_property
    def positions(self) -> dict[str, int]:
        """Subject -> row index, built once (a scan per statement would be quadratic)."""
        return {e["subject"]: i for i, (_, e) in enumerate(self.statements)}

    def rows(self) -> list[list[str | int]]:
        return [
            [e["subject"], e["payload"]["weight"], e["payload"]["amount"]]
            for _, e in self.statements
        ]


@dataclass
class Ledger:
    """Entries in seq order, read from an export or a bundle, grouped for the checks."""

    entries: dict[int, Fields] = field(default_factory=dict)

    def add(self, seq: int, data: bytes) -> None:
        self.entries[seq] = json.loads(data)

    def of_kind(self, kind: str) -> Iterable[tuple[int, Fields]]:
        return ((s, e) for s, e in sorted(self.entries.items()) if e["kind"] == kind)

    def policies(self) -> dict[int, Fields]:
        """Version -> the `policy.published` payload, its document checked against its hash."""
        out = {}
        for seq, e in self.of_kind("policy.published"):
            p = e["payload"]
            if hashlib.sha256(canonical_json(p["document"])).hexdigest() != p["sha256"]:
                raise RederivationError(f"entry {seq}: the policy document does not match")
            out[int(p["version"])] = p
        return out

    def distributions(self) -> list[Distribution]:
        """Every committed distribution with the statements that follow it."""
        found = []
        for seq, e in self.of_kind("distribution.committed"):
            d = Distribution(seq, e["payload"])
            for n in range(seq + 1, seq + 1 + int(d.payload["statements"])):
                entry = self.entries.get(n)
                if entry is None:
                    break
                if entry["kind"] != "distribution.statement" or (
                    entry["payload"].get("distribution") != d.name
                ):
                    raise RederivationError(f"entry {n} is not a statement of {d.name}")
                d.statements.append((n, entry))
            found.append(d)
        return found


def check_conservation(d: Distribution) -> None:
    """All the distribution's rows are there, as committed, and sum to what it shared."""
    p = d.payload
    if len(d.statements) != p["statements"]:
        raise RederivationError(f"{d.name}: {len(d.statements)} statements of {p['statements']}")
    if rows_digest(d.rows()) != p["rows_sha256"]:
        raise RederivationError(f"{d.name}: the statement rows do not match their digest")
    amounts = sum(int(e["payload"]["amount"]) for _, e in d.statements)
    if amounts != p["total"] - p["unallocated"] or amounts != p["distributed"]:
        raise RederivationError(
            f"{d.name}: amounts sum to {amounts}, not the total {p['total']} less "
            f"{p['unallocated']} kept in the pool"
        )
    if sum(int(e["payload"]["weight"]) for _, e in d.statements) != int(p["total_weight"]):
        raise RederivationError(f"{d.name}: the weights do not sum to the total weight")


def check_public(ledger: Ledger) -> int:
    """The checks anyone can make; returns the number of distributions checked."""
    policies = ledger.policies()
    distributions = ledger.distributions()
    for d in distributions:
        policy = policies.get(int(d.payload["policy"]))
        if policy is None or policy["sha256"] != d.payload["policy_sha256"]:
            raise RederivationError(f"{d.name}: its policy is not published in the ledger")
        check_conservation(d)
    return len(distributions)


def check_opening(seq: int, entry: Fields, salt_hex: str, value: Fields) -> None:
    try:
        salt = bytes.fromhex(salt_hex)
    except (TypeError, ValueError) as exc:
        raise RederivationError(f"entry {seq}: the opening's salt is not hex") from exc
    if not opens(str(entry["payload"].get("commitment")), salt, value):
        raise RederivationError(f"entry {seq}: the opening does not match its commitment")


@dataclass(frozen=True)
class Derived:
    """One statement's points and weight, recomputed."""

    points_cp: int
    weight: int


def _points(
    d: Distribution, policy: Fields, contributions: list[Fields], method: dist.Method
) -> Derived:
    """Period points (capped) and the method's weight, from the opened
    facts of the contributions the statement counts (`statements.member_points`, as the
    statement page computes them)."""
    start, _ = (date.fromisoformat(x) for x in d.payload["period"])
    points = member_points(
        [
            DatedFacts(
                ContributionFacts(
                    kind=c["kind"],
                    level=c["level"],
                    impact=c["impact"],
                    hours_h100=c["hours_h100"],
                    tenure_months=c["tenure_months"],
                ),
                date.fromisoformat(c["date"]),
            )
            for c in contributions
        ],
        policy_from_document(policy["document"], int(policy["version"])),
        period_start=start,
        as_of=date.fromisoformat(d.payload["as_of"]),
        half_life_days=int(d.payload["half_life_days"]),
    )
    return Derived(points_cp=points.period_cp, weight=points.weight(method))


def rederive_statement(
    d: Distribution,
    seq: int,
    *,
    opened: Fields,
    policy: Fields,
    contributions: Mapping[int, Fields],
    plan: dist.DistributionPlan | None,
) -> dict[str, int | str]:
    """Re-derive one statement from its opening, the opened contributions it counts, the
    policy and the distribution's rows (`plan`, re-run from them, when the method allows),
    and return its explanation: `explain_statement`'s, the one the statement page shows."""
    entry = dict(d.statements)[seq]
    public = entry["payload"]
    method = dist.Method(d.payload["method"])
    try:
        counted = [contributions[int(c)] for c in opened["contributions"]]
    except KeyError as exc:
        raise RederivationError(f"entry {seq}: contribution {exc} is not opened") from None
    derived = _points(d, policy, counted, method)
    if derived.points_cp != opened["points_cp"] or str(derived.weight) != public["weight"]:
        raise RederivationError(f"entry {seq}: the points do not re-derive from the contributions")
    explanation = explain_statement(_facts(d, entry, opened, plan))
    amount = int(public["amount"])
    if opened["payout"] + opened["carried_out"] - opened["carried_in"] != amount:
        raise RederivationError(f"entry {seq}: payout and carries do not match the amount")
    if explanation.due != amount + opened["carried_in"]:
        raise RederivationError(f"entry {seq}: the amount does not re-derive")
    paid = explanation.due if explanation.due >= d.payload["minimum_payout"] else 0
    if (paid, explanation.due - paid) != (opened["payout"], opened["carried_out"]):
        raise RederivationError(f"entry {seq}: the minimum was not applied as published")
    exact = explanation.share_exact
    if plan is None and method is dist.Method.BALANCED and exact is not None:
        # Without everyone's earlier receipts, the exact BALANCED share comes from the
        # published level and totals; the rounding moved it by less than one unit.
        cap = d.payload["member_cap"]
        if cap is None and not floor(exact) <= amount <= ceil(exact):
            raise RederivationError(f"entry {seq}: the amount is not the rounded exact share")
        if cap is not None and amount > cap:
            raise RederivationError(f"entry {seq}: the amount exceeds the cap")
    return explanation.as_dict(d.payload["seed"], entry["subject"])


def _facts(
    d: Distribution, entry: Fields, opened: Fields, plan: dist.DistributionPlan | None
) -> StatementFacts:
    """The statement's numbers as `explain_statement` takes them: the round's published
    terms, the member's opened carries and, when the plan could be re-run, their row. Without
    the plan (BALANCED, read by a member), the share is what the round gave them and the
    exact share follows from the published level."""
    p = d.payload
    level = None
    if p.get("level"):
        numerator, denominator = (int(x) for x in str(p["level"]).split("/"))
        level = Fraction(numerator, denominator)
    public = entry["payload"]
    share, capped_excess, redistributed, exact = int(public["amount"]), 0, 0, None
    if plan is not None:
        row = plan.allocations[d.positions[entry["subject"]]]
        share, capped_excess, redistributed = row.share, row.capped_excess, row.redistributed
        exact = Fraction(row.share_numerator, plan.share_denominator)
    return StatementFacts(
        method=dist.Method(p["method"]),
        pool=int(p["total"]),
        weight=int(public["weight"]),
        total_weight=int(p["total_weight"]),
        share=share,
        capped_excess=capped_excess,
        redistributed=redistributed,
        carried_in=int(opened["carried_in"]),
        payout=int(opened["payout"]),
        carried_out=int(opened["carried_out"]),
        minimum=int(p["minimum_payout"]),
        cap=p["member_cap"],
        received_before=int(opened["received_before"]),
        total_received=int(p.get("total_received", 0)),
        level=level,
        share_exact=exact,
    )


def public_plan(
    d: Distribution, received: Mapping[str, int] | None = None
) -> dist.DistributionPlan | None:
    """Re-run the distribution's plan from its rows. IMMEDIATE and RECENT need nothing more;
    BALANCED needs every member's earlier receipts (`received`, by subject: the auditor's)."""
    p = d.payload
    method = dist.Method(p["method"])
    keys = [e["subject"] for _, e in d.statements]
    weights = [int(e["payload"]["weight"]) for _, e in d.statements]
    if method is dist.Method.BALANCED:
        if received is None:
            return None
        return dist.plan_distribution(
            pool=p["total"],
            method=method,
            keys=keys,
            lifetime_points=weights,
            received=[received[k] for k in keys],
            cap=p["member_cap"],
            seed=p["seed"],
        )
    return dist.plan_distribution(
        pool=p["total"],
        method=method,
        keys=keys,
        weights=weights,
        cap=p["member_cap"],
        seed=p["seed"],
    )


@dataclass(frozen=True)
class Outcome:
    rederived: int  # statements re-derived from their openings
    unopened: int  # statements whose opening is gone (erased members): conservation only
    explanations: dict[int, dict[str, int | str]]  # statement seq -> its explanation


def rederive_all(ledger: Ledger, openings: Mapping[int, Fields], *, only_opened: bool) -> Outcome:
    """Re-derive every statement whose opening is in `openings`: a member's own (with
    `only_opened`) or, for the auditor, all of them; a statement of an erased member has no
    opening any more and is counted apart, its distribution still checked for conservation."""
    for seq, value in openings.items():
        entry = ledger.entries.get(seq)
        if entry is None:
            raise RederivationError(f"the opening of entry {seq} has no entry")
        check_opening(seq, entry, value["salt"], value["value"])
    opened = {seq: o["value"] for seq, o in openings.items()}
    contributions = {
        int(opened[s]["contribution"]): opened[s]
        for s, e in ledger.of_kind("contribution.verified")
        if s in opened
    }
    policies = ledger.policies()
    unopened = 0
    explanations: dict[int, dict[str, int | str]] = {}
    for d in ledger.distributions():
        mine = [(s, e) for s, e in d.statements if s in opened]
        if not mine and only_opened:
            continue
        check_conservation(d)
        received = None
        if not only_opened and len(mine) == len(d.statements):
            received = {e["subject"]: int(opened[s]["received_before"]) for s, e in mine}
        unopened += 0 if only_opened else len(d.statements) - len(mine)
        plan = public_plan(d, received)
        policy = policies[int(d.payload["policy"])]
        for s, _ in mine:
            explanations[s] = rederive_statement(
                d, s, opened=opened[s], policy=policy, contributions=contributions, plan=plan
            )
    return Outcome(len(explanations), unopened, explanations)
