"""Canonical JSON: the one byte encoding of a value that the ledger hashes.

Sorted keys, UTF-8, no insignificant whitespace, no floats (money and points are integers
or decimal strings), so the same value always gives the same bytes.
"""

import json
from collections.abc import Iterable
from typing import Any


def check(value: Any, path: str = "$") -> None:
    """Raise ValueError, naming the path, if `value` has no canonical JSON form."""
    try:
        _check(value)
    except _NotCanonical as exc:
        raise ValueError(f"{path}{''.join(reversed(exc.where))}: {exc.problem}") from None


class _NotCanonical(Exception):
    """What is wrong, and where (path segments from the bad value outwards)."""

    def __init__(self, problem: str) -> None:
        self.problem = problem
        self.where: list[str] = []


# Exact types that need no further look (their subclasses, such as a StrEnum, take the
# slower isinstance path below). The path to a bad value is built only when one is found:
# the ledger checks hundreds of thousands of values per distribution.
_PLAIN = frozenset({str, int, bool, type(None)})
_STR = frozenset({str})


def _check(value: Any) -> None:
    kind = type(value)
    if kind in _PLAIN:
        return
    if kind is dict or isinstance(value, dict):
        if not set(map(type, value)) <= _STR and not all(isinstance(k, str) for k in value):
            raise _NotCanonical("object keys must be strings")
        _check_items(value.items(), ".{}")
    elif kind is list or kind is tuple or isinstance(value, list | tuple):
        _check_items(enumerate(value), "[{}]")
    elif isinstance(value, float):
        raise _NotCanonical("floats have no canonical form; use an integer or a string")
    elif not isinstance(value, bool | int | str):
        raise _NotCanonical(f"{type(value).__name__} is not a JSON value")


def _check_items(items: Iterable[tuple[object, Any]], segment: str) -> None:
    for key, item in items:
        if type(item) in _PLAIN:
            continue
        try:
            _check(item)
        except _NotCanonical as exc:
            exc.where.append(segment.format(key))
            raise


def canonical_json(value: Any) -> bytes:
    """Encode `value` canonically; refuses floats and non-JSON types with the path."""
    check(value)
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")
