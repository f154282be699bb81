"""Reads about decision rights and about carrying out what decisions allow."""

from dataclasses import dataclass

from accord.domain.mandates import Gated
from accord.governance.models import Decision, DecisionRight
from accord.ledger import queries as ledger_queries


@dataclass(frozen=True)
class RightLine:
    action: Gated
    group: str | None  # slug
    body: str  # the deciding body, in words
    threshold: str
    quorum: str
    decision: int | None  # that set it; None: Accord's default


def decision_rights() -> list[RightLine]:
    """Who decides each gated action: the community's own rules, public like its criteria."""
    rows = {r.action: r for r in DecisionRight.objects.select_related("group")}
    lines = []
    for action in Gated:
        right = rows.get(action.value) or DecisionRight(action=action.value)
        lines.append(
            RightLine(
                action=action,
                group=right.group.slug if right.group else None,
                body=right.group.name if right.group else "The whole community",
                threshold=right.threshold,
                quorum=right.quorum,
                decision=right.decision,
            )
        )
    return lines


def carried_out(decision: Decision) -> bool:
    return bool(decision.action) and decision.passed and ledger_queries.carried_out(decision.pk)
