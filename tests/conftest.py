"""The shared role cast (a member, another member, a steward, a partner rep, an auditor),
and what tests need to run Accord in child processes."""

import contextlib
import importlib
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import psycopg
import pytest
from django.db import connection, transaction
from django.test import Client

from accord.partners.models import Partner
from accord.people.models import Group, GroupRole, Member, SiteRole
from tests.factories import add_to_group, make_group, make_member, make_partner, make_partner_rep


@dataclass
class Cast:
    member: Member
    other: Member
    group_lead: Member
    steward: Member
    treasurer: Member
    partner_rep: Member
    auditor: Member
    group: Group
    partner: Partner
    other_partner: Partner

    def by_role(self, role: str) -> Member | None:
        return None if role == "anonymous" else getattr(self, role)


@pytest.fixture
def cast(db: None) -> Cast:
    partner = make_partner(name="Northbridge University")
    group = make_group(name="North Chapter")
    member = make_member(name="Mo Member")
    other = make_member(name="Olu Other")
    add_to_group(member, group)
    add_to_group(other, group)
    group_lead = make_member(name="Lee Lead")
    add_to_group(group_lead, group, role=GroupRole.LEAD)
    return Cast(
        member=member,
        other=other,
        group_lead=group_lead,
        steward=make_member(name="Sam Steward", role=SiteRole.STEWARD),
        treasurer=make_member(name="Tia Treasurer", role=SiteRole.TREASURER),
        partner_rep=make_partner_rep(partner),
        auditor=make_member(name="Avery Auditor", role=SiteRole.AUDITOR),
        group=group,
        partner=partner,
        other_partner=make_partner(name="Lumen Software"),
    )


def ledger_triggers(action: str) -> None:
    """Drop or create the ledger's append-only triggers (tests of tampering and cleanup)."""

    migration = importlib.import_module("accord.ledger.migrations.0002_append_only")
    create, drop = migration.trigger_sql(connection.vendor)
    with connection.cursor() as cursor:
        for statement in create if action == "create" else drop:
            cursor.execute(statement)


def wipe_ledger() -> None:
    """Remove ledger rows past the append-only triggers (tests that commit data only)."""

    with transaction.atomic():
        ledger_triggers("drop")
        with connection.cursor() as cursor:
            for table in ("ledger_entry", "ledger_node", "ledger_head", "ledger_state"):
                cursor.execute(f"DELETE FROM {table}")
        ledger_triggers("create")


@pytest.fixture(autouse=True)
def _ledger_wiped_after_committing_tests(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests whose data is committed leave the ledger empty for the next test."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    wipe_ledger()


def client_for(member: Member | None) -> Client:
    client = Client()
    if member is not None:
        client.force_login(member.user)
    return client


@pytest.fixture
def member_client(cast: Cast) -> Client:
    return client_for(cast.member)


def subprocess_env(data_dir: object, database_url: str | None = None) -> dict[str, str]:
    """The environment for running Accord in a child process against its own database."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "accord.settings",
            "DEBUG": "1",
            "ACCORD_DATA_DIR": str(data_dir),
        }
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run_python(
    *args: str, env: dict[str, str], input: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run this interpreter with `args` in a child process; its output is captured as text."""
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        input=input,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@contextlib.contextmanager
def scratch_database() -> Iterator[str]:
    """Create a throw-away PostgreSQL database, yield its URL, and drop it afterwards.

    PostgreSQL is part of the test setup (README): when it cannot be reached the test
    fails, saying so, rather than skip."""
    base = os.environ.get("ACCORD_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432/postgres")
    try:
        admin = psycopg.connect(base, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at {base} (start it, or set ACCORD_TEST_POSTGRES "
            f"to a server where databases can be created): {exc}"
        )
    name = f"accord_scratch_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def scratch_postgres() -> Iterator[str]:
    """A throw-away PostgreSQL database for tests that run several processes."""
    with scratch_database() as url:
        yield url
