"""Decisions past their closing time close by themselves on the next tick: the tally is
recorded and the ledger names the system as the closer."""

import json

from accord import jobs
from accord.governance import services
from accord.governance.models import Decision, Status
from accord.ledger.models import Entry
from accord.ledger.services import SYSTEM
from tests.conftest import Cast
from tests.governance.conftest import opened, past_closing, vote


def test_a_tick_closes_decisions_past_their_closing_time_and_no_others(cast: Cast) -> None:
    due = opened(cast, poll="single", options=["Library", "Cafe"])
    vote(cast.member, due, option=1)
    running = opened(cast)
    past_closing(due)

    outcomes = jobs.run_due()

    assert [(o.job, o.done, o.ok) for o in outcomes][-1] == (
        "close decisions past their closing time",
        1,
        True,
    )
    due.refresh_from_db()
    assert due.status == Status.CLOSED
    assert due.tally is not None
    assert (due.tally["cast"], due.tally["winner"]) == (1, 1)
    assert Decision.objects.get(pk=running.pk).status == Status.OPEN
    entry = Entry.objects.get(kind="decision.closed")
    assert (entry.actor, entry.subject) == (SYSTEM, f"decision:{due.pk}")
    assert json.loads(bytes(entry.data))["payload"] == due.tally


def test_a_decision_closed_by_its_steward_is_not_closed_again(cast: Cast) -> None:
    decision = opened(cast)
    past_closing(decision)
    services.close_decision(cast.steward, decision.pk)

    closed = services.close_due_decisions()

    assert closed == 0
    assert Entry.objects.filter(kind="decision.closed").count() == 1
