"""Autonomy invariant: consent settings and leaving groups never change a computed share."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accord.benefits import planning
from accord.people import services as people
from accord.people.models import OFFERED_PURPOSES, ConsentSource, Membership
from accord.people.schemas import ConsentIn
from tests.benefits.conftest import Community

ACTIONS = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=5),  # which member
        st.sampled_from(["consent_on", "consent_off", "leave"]),
        st.sampled_from(list(OFFERED_PURPOSES)),
    ),
    min_size=1,
    max_size=12,
)


@pytest.mark.parametrize("method", ["immediate", "recent", "balanced"])
def test_no_consent_or_leaving_changes_anyones_share(community: Community, method: str) -> None:
    community.pool.method = method
    community.pool.eligible_groups.set([community.cast.group])
    community.pool.save()
    before = planning.preview(community.pool).plan

    @settings(
        max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(actions=ACTIONS)
    def check(actions: list[tuple[int, str, str]]) -> None:
        # A savepoint, not an atomic block: the services' own blocks are durable, which
        # only the test's outer transaction (Django's, made for tests) may enclose.
        undo = transaction.savepoint_create()
        try:
            for who, action, purpose in actions:
                member = community.members[who]
                if action == "leave":
                    active = Membership.objects.filter(member=member, left_at__isnull=True)
                    for m in active:
                        people.leave_group(member, m.group.slug)
                else:
                    people.set_consent(
                        member,
                        purpose,
                        ConsentIn(granted=action == "consent_on"),
                        source=ConsentSource.WEB,
                    )
            after = planning.preview(community.pool).plan
            assert after == before
        finally:
            transaction.savepoint_rollback(undo)

    check()
