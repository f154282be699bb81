"""Work that falls due with time: run by the task worker every minute, or by `accord tick`
from cron. Each job runs on its own; one that fails is reported and the others still run.

Later capabilities add their deadline-driven jobs (escalations, reminders) to `JOBS`.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.tasks import TaskResultStatus, task
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accord.benefits.services import settle_expired
from accord.governance.services import close_due_decisions, escalate_overdue_concerns

logger = logging.getLogger(__name__)

TICK_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Job:
    name: str
    run: Callable[[], int]  # returns how many things it did


JOBS: tuple[Job, ...] = (
    Job("settle statements past their choice deadline", settle_expired),
    Job("escalate concerns past their deadline", escalate_overdue_concerns),
    Job("close decisions past their closing time", close_due_decisions),
)


@dataclass(frozen=True)
class Outcome:
    job: str
    done: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


def run_due(jobs: tuple[Job, ...] = JOBS) -> list[Outcome]:
    """Run every job once, each on its own."""
    outcomes = []
    for job in jobs:
        try:
            outcomes.append(Outcome(job.name, job.run()))
        except Exception as exc:
            logger.exception("job %r failed", job.name)
            outcomes.append(Outcome(job.name, 0, str(exc) or type(exc).__name__))
    return outcomes


@task()
def tick() -> list[dict[str, object]]:
    """The jobs, then the next tick: the worker keeps one tick waiting at all times."""
    try:
        return [{"job": o.job, "done": o.done, "error": o.error} for o in run_due()]
    finally:
        schedule_tick(after=TICK_EVERY)


def schedule_tick(*, after: timedelta = timedelta(0)) -> bool:
    """Queue a tick unless one is already waiting; True if this call queued it."""
    if DBTaskResult.objects.filter(
        task_path=tick.module_path, status=TaskResultStatus.READY
    ).exists():
        return False
    tick.using(run_after=timezone.now() + after).enqueue()
    return True
