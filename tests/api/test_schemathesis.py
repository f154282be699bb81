"""No input makes a 500: schemathesis drives every operation of /api/v1/openapi.json in
process (WSGI, the test database), with data that fits the schema and data that does not,
then along the links it infers between operations (a created pool's slug to its funding, a
contribution's id to its review). No response may be a server error, and each must match
the schema.

A steward calls with a bearer token holding every scope (the token routes, which take a
signed-in session only, with a session and its CSRF token), over a small seeded community.
The run is derandomized, so CI tries the same cases every time; set ACCORD_FUZZ_EXAMPLES
to search harder locally.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from accord.contributions.schemas import PolicyIn
from accord.demo import policies
from accord.people.schemas import TokenIn
from accord.people.services import create_token
from tests.conftest import Cast
from tests.factories import (
    add_to_group,
    funded_pool,
    grant,
    make_member,
    publish,
    verified_contribution,
)

pytestmark = pytest.mark.slow

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
# Every call is signed as the steward (or, for the routes that move money, the treasurer)
# below, so no case makes up its own credentials.
schema.config.generation.update(
    modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
    deterministic=True,
    with_security_parameters=False,
)

CHECKS = [not_a_server_error, response_schema_conformance]
CSRF = "schemathesis0csrf0secret00000000"  # an unmasked CSRF secret: 32 letters and digits
EXAMPLES = int(os.environ.get("ACCORD_FUZZ_EXAMPLES", "10"))
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _one_connection() -> Iterator[None]:
    """Keep the test's transaction open across requests, as Django's test client does: the
    WSGI handler would otherwise close the connection as each request starts and ends."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# The operations that need a token with the treasury scope, which only a treasurer holds.
MONEY = {
    "fund_pool",
    "close_pool",
    "commit_distribution",
    "list_pending_payouts",
    "mark_payout_paid",
}


@pytest.fixture
def steward(cast: Cast) -> dict[str, Any]:
    """A seeded community (groups, partners, a policy, verified work, a funded pool) and
    how its steward signs requests (a read and write token, and a session) and its
    treasurer signs the routes that move money (a token with every scope)."""
    grant(cast.member, "expert_directory", "share_profile_with_partners")
    for i in range(3):
        add_to_group(make_member(name=f"Member {i}"), cast.group)
    policy = publish(
        cast.steward,
        PolicyIn(document=policies.version(1), effective_from=timezone.localdate(), reason="r"),
    )
    for member in (cast.member, cast.other):
        verified_contribution(member, cast.steward, days_ago=0)
    funded_pool(cast.steward, policy, days=0, treasurer=cast.treasurer)
    token = create_token(cast.steward, TokenIn(name="schemathesis", scopes=["read", "write"]))
    purse = create_token(
        cast.treasurer, TokenIn(name="schemathesis", scopes=["read", "write", "treasury"])
    )
    client = Client()
    client.force_login(cast.steward.user)
    return {
        "token": token.secret,
        "treasury": purse.secret,
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": CSRF},
    }


def signed(case: Case, steward: dict[str, Any]) -> dict[str, Any]:
    """How a call is signed: the steward's session for the token routes, the treasurer's
    token for the routes that move money, the steward's token elsewhere."""
    if case.operation.path.startswith("/api/v1/tokens"):
        return {"headers": {"X-CSRFToken": CSRF}, "cookies": steward["cookies"]}
    if case.operation.definition.raw.get("operationId") in MONEY:
        return {"headers": {"Authorization": f"Bearer {steward['treasury']}"}}
    return {"headers": {"Authorization": f"Bearer {steward['token']}"}}


@schema.parametrize()
@FUZZ
def test_no_input_makes_a_server_error(case: Case, steward: dict[str, Any]) -> None:
    case.call_and_validate(**signed(case, steward), checks=CHECKS)


class StewardWorkflow(schema.as_state_machine()):  # type: ignore[misc]
    """Each scenario starts from the seeded community (a savepoint rolled back after it), so
    that what the links carry from one call to the next is the same when Hypothesis replays
    a scenario."""

    steward: dict[str, Any] = {}

    def setup(self) -> None:
        super().setup()
        self.savepoint = transaction.savepoint_create()

    def teardown(self) -> None:
        transaction.savepoint_rollback(self.savepoint)
        super().teardown()

    def get_call_kwargs(self, case: Case) -> dict[str, Any]:
        return signed(case, self.steward)

    def validate_response(self, response: Any, case: Case, **kwargs: Any) -> None:
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)


def test_no_sequence_of_calls_makes_a_server_error(steward: dict[str, Any]) -> None:
    StewardWorkflow.steward = steward
    StewardWorkflow.run(settings=settings(FUZZ, stateful_step_count=8))
