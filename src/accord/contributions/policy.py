"""The attribution policy document: validated with pydantic, turned into domain integers.

A policy is written with decimal numbers a person can read ("1.5", "2.25"); the domain
computes with exact integers (centipoints, per-mille, hundredths of an hour), so the
document may only use as many decimals as those units hold.
"""

from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from accord.contributions.models import LEVELS, Kind
from accord.domain.attribution import AttributionPolicy, policy_from_document
from accord.domain.errors import InvalidInput

ERRORS_SHOWN = 10  # a document with a million mistakes gets a message of ten
Points = Annotated[Decimal, Field(ge=0, le=10_000, decimal_places=2)]
Multiplier = Annotated[Decimal, Field(ge=0, le=10, decimal_places=3)]


class TenureStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_months: int = Field(ge=0, le=1200)
    multiplier: Multiplier


class PolicyDocument(BaseModel):
    """What a steward publishes. Every kind, level and impact rating needs a value."""

    model_config = ConfigDict(extra="forbid")

    base_points: dict[Kind, Points]
    level_multipliers: dict[int, Multiplier]
    impact_multipliers: dict[int, Multiplier]
    points_per_hour: Annotated[Decimal, Field(ge=0, le=1000, decimal_places=2)]
    hours_cap: Annotated[Decimal, Field(ge=0, le=1000, decimal_places=2)]
    tenure: list[TenureStep] = Field(min_length=1, max_length=100)
    member_cap_per_period: Points | None = None

    @field_validator("base_points")
    @classmethod
    def _every_kind(cls, value: dict[Kind, Decimal]) -> dict[Kind, Decimal]:
        missing = [k.value for k in Kind if k not in value]
        if missing:
            raise ValueError(f"base points missing for: {', '.join(missing)}")
        return value

    @field_validator("level_multipliers", "impact_multipliers")
    @classmethod
    def _one_to_five(cls, value: dict[int, Decimal]) -> dict[int, Decimal]:
        if set(value) != set(LEVELS):
            raise ValueError("give a multiplier for each of 1, 2, 3, 4 and 5")
        return value

    @model_validator(mode="after")
    def _tenure_from_zero(self) -> "PolicyDocument":
        months = [s.min_months for s in self.tenure]
        if months[0] != 0 or months != sorted(set(months)):
            raise ValueError("tenure steps start at 0 months and increase")
        return self

    def to_domain(self, version: int) -> AttributionPolicy:
        return policy_from_document(self.as_json(), version)

    def as_json(self) -> dict[str, Any]:
        """JSON-safe, with decimals as strings so nothing passes through a float."""
        data: dict[str, Any] = self.model_dump(mode="json")
        return data


def parse_policy(document: Any) -> PolicyDocument:
    """Validate a policy document; every problem is reported in one InvalidInput."""
    try:
        return PolicyDocument.model_validate(document)
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:ERRORS_SHOWN]:
            where = ".".join(str(p) for p in err["loc"])
            problems.append(f"{where}: {err['msg']}" if where else err["msg"])
        raise InvalidInput("The policy is not valid: " + "; ".join(problems)) from exc
