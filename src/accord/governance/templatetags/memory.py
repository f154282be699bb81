"""`{% memory_links decision=... %}` / `{% memory_links agreement=... %}`: the institutional
memory entries linked to a decision or partnership, on its page, for readers who may read
the memory (a template tag, so the partners app's page needs no import of governance)."""

from typing import Any

from django import template

from accord.governance.queries import succession
from accord.people.navigation import current_member

register = template.Library()
RECENT = 5


@register.inclusion_tag("governance/_succession_memory_links.html", takes_context=True)
def memory_links(
    context: dict[str, Any], *, decision: int | None = None, agreement: int | None = None
) -> dict[str, Any]:
    viewer = current_member(context["request"])
    return {"memories": succession.memory_for(viewer, decision=decision, agreement=agreement)}


@register.inclusion_tag("governance/_succession_memory_welcome.html", takes_context=True)
def recent_memory(context: dict[str, Any]) -> dict[str, Any]:
    """The latest entries, shown on a member's home so that joiners learn what the
    community has learned."""
    viewer = current_member(context["request"])
    return {"memories": succession.recent_memory(viewer, limit=RECENT)}
