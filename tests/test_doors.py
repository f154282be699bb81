"""Every action is one service, and the README's table says which doors call it: this test
holds the table to the code both ways.

- Every public service function that takes an `actor` is in the table (a new action cannot
  ship without its doors being decided and documented).
- Every door the table names exists: the page and API route names resolve, the command is
  one of `accord`'s.
"""

import importlib
import inspect
import re
from pathlib import Path

import pytest
import typer
from django.urls import NoReverseMatch, get_resolver

from accord.cli.app import app

ROOT = Path(__file__).resolve().parents[1]
APPS = ("people", "contributions", "benefits", "partners", "governance", "ledger")
# Services an actor calls that are not actions of their own: helpers the doors share.
NOT_ACTIONS = {"people.services.ensure_member", "people.services.assign_role"}


def _table() -> list[dict[str, str]]:
    text = (ROOT / "README.md").read_text()
    section = text.split("### Every action and its doors", 1)[1].split("\n#", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|") and ".services." in line]
    out = []
    for line in rows:
        cells = [c.replace("`", "").strip() for c in line.strip("|").split("|")]
        out.append(dict(zip(("service", "page", "api", "command"), cells[1:5], strict=True)))
    return out


def _services_with_an_actor() -> set[str]:
    found = set()
    for app_name in APPS:
        module = importlib.import_module(f"accord.{app_name}.services")
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if not fn.__module__.startswith(module.__name__) or name.startswith("_"):
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:1] == ["actor"] and f"{app_name}.services.{name}" not in NOT_ACTIONS:
                found.add(f"{app_name}.services.{name}")
    return found


def _commands() -> set[str]:
    names: set[str] = set()

    def walk(t: typer.Typer, prefix: str) -> None:
        for c in t.registered_commands:
            names.add(f"{prefix} {c.name or c.callback.__name__.replace('_', '-')}".strip())
        for group in t.registered_groups:
            walk(group.typer_instance, f"{prefix} {group.name}")

    walk(app, "accord")
    return names


def test_every_service_an_actor_calls_is_in_the_table() -> None:
    listed = {row["service"] for row in _table()}

    assert _services_with_an_actor() - listed == set(), "services without documented doors"
    assert listed - _services_with_an_actor() == set(), "documented services that do not exist"


@pytest.mark.parametrize("row", _table(), ids=lambda r: r["service"])
def test_each_door_the_table_names_exists(row: dict[str, str]) -> None:
    names = set()

    def walk(resolver, namespace: str | None) -> None:  # type: ignore[no-untyped-def]
        for p in resolver.url_patterns:
            if hasattr(p, "url_patterns"):
                walk(p, p.namespace or namespace)
            elif p.name:
                names.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver(), None)
    for door in ("page", "api"):
        for name in filter(None, re.split(r",\s*", row[door].replace("—", ""))):
            if name not in names:
                raise NoReverseMatch(f"{row['service']}: no route named {name!r}")
    for command in filter(None, re.split(r",\s*", row["command"].replace("—", ""))):
        assert command in _commands(), f"{row['service']}: no command {command!r}"
