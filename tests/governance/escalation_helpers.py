"""Escalation paths and concerns for tests: built through the services, as a community would.

The cast's ladder: level 1 handled by the group's lead (3 days), level 2 by the auditor
(7 days). The steward sets it up and handles neither level.
"""

from datetime import timedelta
from typing import Any

from django.utils import timezone

from accord.governance import services
from accord.governance.models import Concern, EscalationLevel
from accord.governance.schemas import ConcernIn, LevelIn
from accord.people.models import Member
from tests.conftest import Cast


def ladder(cast: Cast, *, group: bool = False) -> None:
    """The two-level ladder above, for the community (or for the cast's group)."""
    slug = cast.group.slug if group else None
    for rank, name, hours, handler in (
        (1, "Group leads", 72, cast.group_lead),
        (2, "Steering committee", 168, cast.auditor),
    ):
        services.set_escalation_level(
            cast.steward,
            LevelIn(
                group=slug,
                rank=rank,
                name=name,
                response_hours=hours,
                handlers=[handler.pseudonym],
            ),
        )


def concern_in(**overrides: Any) -> ConcernIn:
    fields: dict[str, Any] = {
        "kind": "conduct",
        "summary": "Meetings run late",
        "body": "The chapter meetings keep running past ten.",
    }
    return ConcernIn(**{**fields, **overrides})


def raised(cast: Cast, *, by: Member | None = None, **overrides: Any) -> Concern:
    """A concern raised by `by` (the cast's member), on a ladder that exists."""
    if not EscalationLevel.objects.filter(group__isnull=True).exists():
        ladder(cast)
    return services.raise_concern(by or cast.member, concern_in(**overrides))


def past_deadline(concern: Concern) -> None:
    """Move its deadline into the past, as if the level's days had gone by."""
    Concern.objects.filter(pk=concern.pk).update(deadline=timezone.now() - timedelta(seconds=1))
