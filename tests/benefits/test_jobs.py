"""Deadline-driven work: the worker settles statements past their deadline, each job on
its own, and the statement page tells the member what happened."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accord import jobs
from accord.benefits import services
from accord.benefits.models import Choice, Statement
from accord.benefits.schemas import ChoiceIn, CommitIn
from accord.domain.errors import Conflict
from tests.benefits.conftest import Community
from tests.conftest import client_for


def _overdue(community: Community) -> Statement:
    d = services.commit_distribution(
        community.cast.treasurer, community.pool.slug, CommitIn(key="r1")
    )
    d.choice_deadline = timezone.localdate() - timedelta(days=1)
    d.save(update_fields=["choice_deadline"])
    return Statement.objects.get(member=community.cast.member)


def test_the_worker_settles_overdue_statements_and_keeps_one_tick_waiting(
    transactional_db: None, community: Community
) -> None:
    # Committed data: the worker closes database connections between tasks, as it should.
    st = _overdue(community)
    pending = Statement.objects.filter(choice=Choice.PENDING, payout__gt=0).count()

    assert jobs.schedule_tick() is True
    assert jobs.schedule_tick() is False  # one waits at a time, however many workers start
    call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    st.refresh_from_db()
    assert st.choice == Choice.TAKE
    assert Statement.objects.filter(choice=Choice.TAKE).count() == pending
    ran = DBTaskResult.objects.get(status=TaskResultStatus.SUCCESSFUL)
    assert ran.return_value == [
        {"job": jobs.JOBS[0].name, "done": pending, "error": ""},
        *({"job": job.name, "done": 0, "error": ""} for job in jobs.JOBS[1:]),
    ]
    waiting = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert waiting.run_after > timezone.now()  # the next tick, a minute on


def test_one_failing_job_does_not_stop_the_others(community: Community) -> None:
    _overdue(community)

    def broken() -> int:
        raise RuntimeError("the mail server is down")

    outcomes = jobs.run_due((jobs.Job("broken", broken), *jobs.JOBS))

    assert [o.ok for o in outcomes] == [False, *(True for _ in jobs.JOBS)]
    assert outcomes[0].error == "the mail server is down"
    assert outcomes[1].done > 0


def test_one_statement_that_fails_does_not_stop_the_others(community: Community) -> None:
    st = _overdue(community)
    real = services._settle

    def settle(statement: Statement, *args: object) -> None:
        if statement.pk == st.pk:
            raise RuntimeError("disk full")
        real(statement, *args)  # type: ignore[arg-type]

    with (
        mock.patch.object(services, "_settle", settle),
        pytest.raises(services.SettlementFailed) as failed,
    ):
        services.settle_expired()

    st.refresh_from_db()
    assert st.choice == Choice.PENDING
    assert failed.value.failed == [st.pk]
    assert failed.value.settled == Statement.objects.filter(choice=Choice.TAKE).count() > 0


def test_the_statement_page_tells_what_happened(community: Community) -> None:
    st = _overdue(community)
    client = client_for(community.cast.member)

    before = client.get(f"/benefits/statements/{st.pk}/").content.decode()
    with pytest.raises(Conflict, match="being taken"):
        services.choose(community.cast.member, st.pk, ChoiceIn(choice=Choice.DONATE))
    services.settle_expired()
    after = client.get(f"/benefits/statements/{st.pk}/").content.decode()

    assert "has passed: it is being taken as" in before
    assert "Nobody chose before the deadline" in after
    assert "it was taken as “standard”" in after
