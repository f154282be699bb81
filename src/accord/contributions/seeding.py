"""Seeding only: history written as it would have been, for the demo and test fixtures.

Not a door. No page, API route or command calls this module, and none may: a steward's
`services.publish_policy` refuses a version that takes effect in the past ("policies
cannot act on the past"). A seeded community, though, needs the versions that were in
force before today, so that its pools and past rounds have one to use. Everything else is
the service's: the permission, the validated document, strictly increasing effective
dates and the `policy.published` ledger entry.
"""

from accord.contributions import services
from accord.contributions.models import PolicyVersion
from accord.contributions.schemas import PolicyIn
from accord.people.models import Member


def seed_policy_history(steward: Member, data: PolicyIn) -> PolicyVersion:
    """Record a policy version that took effect on `data.effective_from`, even a past day."""
    return services._publish(steward, data, earliest=None)
