"""Three versions of the demo's attribution policy, as a community might publish them."""

from typing import Any

BASE = {
    "content": "8",
    "event_organisation": "12",
    "advisory": "10",
    "mentoring": "10",
    "moderation": "6",
    "answering": "4",
    "research": "12",
    "code": "10",
    "other": "5",
}
LEVELS = {"1": "0.5", "2": "0.75", "3": "1", "4": "1.5", "5": "2"}
IMPACT = {"1": "0.5", "2": "0.8", "3": "1", "4": "1.25", "5": "1.5"}


def version(n: int) -> dict[str, Any]:
    """Policy document n (1, 2 or 3); each changes something members can see."""
    doc: dict[str, Any] = {
        "base_points": dict(BASE),
        "level_multipliers": dict(LEVELS),
        "impact_multipliers": dict(IMPACT),
        "points_per_hour": "1",
        "hours_cap": "20",
        "tenure": [{"min_months": 0, "multiplier": "1"}],
        "member_cap_per_period": None,
    }
    if n >= 2:  # value care work more; recognise long involvement
        doc["base_points"] = {**BASE, "mentoring": "14", "moderation": "9"}
        doc["tenure"] = [
            {"min_months": 0, "multiplier": "1"},
            {"min_months": 24, "multiplier": "1.1"},
        ]
    if n >= 3:  # fewer points for raw hours, a cap so no one dominates a pool
        doc["points_per_hour"] = "0.75"
        doc["member_cap_per_period"] = "400"
    return doc


REASONS = {
    1: "First published criteria, agreed at the annual meeting.",
    2: "Members asked that mentoring and moderation count more, and that long involvement "
    "be recognised.",
    3: "A per-member cap per period so that no one dominates a pool; hours count a little less.",
}
