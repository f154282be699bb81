"""Inputs of the contributions services: the API's bodies, and what the pages' forms and
the commands parse their input into, so every door hands the service the same thing."""

from datetime import date
from typing import Annotated, Any

from django.conf import settings
from ninja import Field
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from accord.web.inputs import KEY_MAX, Id, Input, size_text
from accord.web.paging import PAGE_DEFAULT, PAGE_MAX

IMPORT_REQUIRED = ("source_key", "member", "kind", "title", "date", "hours", "level")
IMPORT_OPTIONAL = ("description", "evidence_url", "group", "impact")


def import_too_large(size: int) -> str | None:
    """Why a CSV of `size` bytes is refused, or None: an import takes at most
    settings.ACCORD_IMPORT_MAX_BYTES, whichever door it comes through."""
    most = settings.ACCORD_IMPORT_MAX_BYTES
    if size <= most:
        return None
    return f"The CSV is {size_text(size)}; an import takes at most {size_text(most)}."


class ContributionIn(Input):
    kind: str = Field(max_length=40, examples=["mentoring"])
    title: str = Field(max_length=200, examples=["Mentored two new volunteers"])
    date: Annotated[date, Field(examples=["2025-03-14"])]
    level: int = Field(ge=1, le=5, examples=[3])
    hours: str = Field(
        "0", max_length=20, description='Decimal hours as a string, e.g. "3.5".', examples=["3.5"]
    )
    description: str = Field("", max_length=5000)
    evidence_url: str = Field("", max_length=500)
    group: str | None = Field(None, max_length=KEY_MAX, description="The group's slug.")
    initiative: str = Field("", max_length=120)
    partnership: Id | None = Field(
        None, description="The id of the partnership agreement this work served."
    )


class VerifyIn(Input):
    impact: int = Field(ge=1, le=5)
    note: str = Field("", max_length=2000)


class ReasonIn(Input):
    reason: str = Field(min_length=1, max_length=2000)


class PolicyIn(Input):
    document: dict[str, Any] = Field(description="The policy document, as /criteria.json has it.")
    effective_from: date
    reason: str = Field(
        min_length=1, max_length=2000, description="Kept off the ledger (a salted hash)."
    )
    decision: Id | None = Field(
        default=None,
        description="The passed decision that adopted exactly this document from this day.",
    )


class ImportIn(Input):
    csv: str = Field(
        max_length=settings.ACCORD_IMPORT_MAX_BYTES,
        description=f"UTF-8 CSV with the columns {', '.join(IMPORT_REQUIRED)} and optionally "
        f"{', '.join(IMPORT_OPTIONAL)}.",
    )
    dry_run: bool = Field(False, description="Check only; import nothing.")

    @field_validator("csv", mode="before")
    @classmethod
    def _within_the_limit(cls, value: object) -> object:
        # Before the length constraint: a text too long in characters is too long in bytes,
        # and every door says so in the same words.
        if isinstance(value, str):
            reason = import_too_large(len(value.encode("utf-8", "surrogatepass")))
            if reason:
                raise PydanticCustomError("too_large", reason)
        return value


class QueueQuery(Input):
    limit: int = Field(
        PAGE_DEFAULT, ge=1, le=PAGE_MAX, description=f"How many, at most {PAGE_MAX}."
    )
