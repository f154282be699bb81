"""A partnership's registers, in pure terms: the risk register (category, likelihood x impact
= severity, its band) and the rule of the conflict-of-interest register (whoever has an open
disclosure on a partnership does not decide on it).

Severity is the plain product of two whole ratings from 1 to 5, so anyone can re-derive a
risk's place in the register from the two numbers shown beside it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from accord.domain.errors import Forbidden, InvalidInput


class Category(StrEnum):
    """The four kinds of risk a partnership carries."""

    REPUTATION = "reputation"
    FINANCIAL = "financial"
    EXTERNAL = "external"  # the external environment: law, markets, politics
    OPERATIONAL = "operational"


class RiskStatus(StrEnum):
    OPEN = "open"
    MITIGATED = "mitigated"  # the mitigation is in place; still watched
    CLOSED = "closed"  # no longer a risk (may be reopened)


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


RATINGS = range(1, 6)
# The smallest severity of each band, highest first: 20-25 critical, 10-16 high, 5-9 medium,
# 1-4 low (the products 1-25 of two ratings from 1 to 5).
BAND_FLOORS: tuple[tuple[int, Band], ...] = (
    (20, Band.CRITICAL),
    (10, Band.HIGH),
    (5, Band.MEDIUM),
    (1, Band.LOW),
)
TITLE_MAX = 160


def rating_problems(likelihood: int, impact: int) -> list[str]:
    """Why a likelihood and an impact are not both whole ratings from 1 to 5 (empty: they
    are)."""
    return [
        f"the {name} is a whole number from 1 to 5, not {value}"
        for name, value in (("likelihood", likelihood), ("impact", impact))
        if isinstance(value, bool) or not isinstance(value, int) or value not in RATINGS
    ]


def severity(likelihood: int, impact: int) -> int:
    """Likelihood x impact, from 1 to 25; ratings outside 1-5 are refused (InvalidInput)."""
    problems = rating_problems(likelihood, impact)
    if problems:
        raise InvalidInput(_sentence(problems))
    return likelihood * impact


def band(value: int) -> Band:
    """The band of a severity (1-25): low 1-4, medium 5-9, high 10-16, critical 20-25."""
    if not 1 <= value <= 25:  # the products of two ratings
        raise InvalidInput(f"A severity runs from 1 to 25, not {value}.")
    return next(b for floor, b in BAND_FLOORS if value >= floor)


@dataclass(frozen=True)
class Rating:
    """A risk's likelihood and impact, each 1-5 (checked when made)."""

    likelihood: int
    impact: int

    def __post_init__(self) -> None:
        severity(self.likelihood, self.impact)

    @property
    def severity(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> Band:
        return band(self.severity)


def risk_problems(
    *, category: str, title: str, likelihood: int, impact: int, status: str = RiskStatus.OPEN
) -> list[str]:
    """Every reason a risk as given cannot be recorded, in a stable order (empty: it can)."""
    problems = []
    if category not in set(Category):
        problems.append(
            f"{category!r} is not a risk category ({', '.join(c.value for c in Category)})"
        )
    if not title.strip():
        problems.append("a risk needs a title")
    elif len(title.strip()) > TITLE_MAX:
        problems.append(f"a risk's title has at most {TITLE_MAX} characters")
    problems.extend(rating_problems(likelihood, impact))
    if status not in set(RiskStatus):
        problems.append(
            f"{status!r} is not a risk status ({', '.join(s.value for s in RiskStatus)})"
        )
    return problems


def check_risk(
    *, category: str, title: str, likelihood: int, impact: int, status: str = RiskStatus.OPEN
) -> None:
    """Refuse (InvalidInput) a risk with any problem, naming all of them in one message."""
    problems = risk_problems(
        category=category, title=title, likelihood=likelihood, impact=impact, status=status
    )
    if problems:
        raise InvalidInput(_sentence(problems))


def _sentence(problems: list[str]) -> str:
    text = "; ".join(problems)
    return text[0].upper() + text[1:] + "."


@dataclass(frozen=True)
class RiskLine:
    """What the register sorts by: a risk's id, status and rating."""

    key: int
    status: RiskStatus
    rating: Rating


_STATUS_ORDER = {RiskStatus.OPEN: 0, RiskStatus.MITIGATED: 1, RiskStatus.CLOSED: 2}


def register_order(lines: Iterable[RiskLine]) -> list[RiskLine]:
    """The register's order: open risks, then mitigated, then closed; within each, the most
    severe first, then the higher impact, then the earlier recorded (lower key). The order
    does not depend on the order given."""
    return sorted(
        lines,
        key=lambda r: (_STATUS_ORDER[r.status], -r.rating.severity, -r.rating.impact, r.key),
    )


# -- conflicts of interest -------------------------------------------------------------------

EXCLUDED = "You disclosed an interest in this partnership, so you do not decide on it."


def check_may_decide(*, has_open_disclosure: bool) -> None:
    """A person with an open disclosure on a partnership is excluded from deciding on it
    (its status, its maturity): refused (Forbidden, code `conflict_of_interest`)."""
    if has_open_disclosure:
        raise Forbidden(EXCLUDED, code="conflict_of_interest")
