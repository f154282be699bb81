"""The demo community: a fictional association, seeded deterministically.

The same seed gives the same members, groups, roles and consents. Later capabilities add
their own seeding steps to `seed_demo`.
"""

import random
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from rich.console import Console

from accord.demo.benefits import seed_benefits
from accord.demo.calendar import (
    seed_calendar,
)
from accord.demo.documents import (
    seed_documents,
)
from accord.demo.escalations import (
    seed_escalations,
)
from accord.demo.governance import seed_decisions
from accord.demo.partnerships import seed_partnerships
from accord.demo.people import (
    DEMO_LOGINS,
    DEMO_PASSWORD,
    DEMO_TOTP_KEY,
    seed_people,
    verify_demo_addresses,
)
from accord.demo.succession import seed_succession
from accord.ledger.services import sign_head
from accord.people.models import Member

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "DEMO_TOTP_KEY", "demo_code", "seed_demo"]


def demo_code(at: float | None = None) -> str:
    """The code an authenticator app with the demo's key shows now (or at time `at`)."""
    counter = int(time.time() if at is None else at) // 30
    return str(format_hotp_value(hotp_value(DEMO_TOTP_KEY, counter)))


def seed_demo(*, members: int = 500, seed: int = 2026, console: Console | None = None) -> bool:
    """Seed the demo once. Returns False when the database already holds a community."""
    if Member.objects.exists():
        verify_demo_addresses()  # a demo seeded before verification was required
        return False
    console = console or Console(quiet=True)
    people, roles = seed_people(members=members, seed=seed, console=console)
    seed_benefits(
        people=people,
        steward=roles["steward"],
        treasurer=roles["treasurer"],
        demo_member=roles["member"],
        rng=random.Random(seed + 1),
        today=timezone.localdate(),
        console=console,
    )
    with console.status("Partnerships"):
        seed_partnerships(
            people=people,
            steward=roles["steward"],
            evaluators=[roles["steward"], roles["auditor"], roles["treasurer"]],
            rng=random.Random(seed + 2),
            today=timezone.localdate(),
            treasurer=roles["treasurer"],
            auditor=roles["auditor"],
        )
    with console.status("Decisions"):
        seed_decisions(
            people=people,
            steward=roles["steward"],
            proposer=roles["member"],
            rng=random.Random(seed + 3),
        )
    with console.status("Concerns"):
        seed_escalations(
            people=people,
            steward=roles["steward"],
            auditor=roles["auditor"],
            raiser=roles["member"],
            rng=random.Random(seed + 4),
        )
    with console.status("Positions and succession"):
        seed_succession(
            people=people,
            steward=roles["steward"],
            rng=random.Random(seed + 5),
            today=timezone.localdate(),
        )
    seed_calendar(steward=roles["steward"], today=timezone.localdate())
    with console.status("Documents"):
        seed_documents(
            people=people,
            steward=roles["steward"],
            proposer=roles["member"],
            rng=random.Random(seed + 6),
        )
    sign_head()
    return True
