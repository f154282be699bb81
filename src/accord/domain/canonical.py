"""Canonical JSON: the one byte encoding of a value that the ledger hashes.

Sorted keys, UTF-8, no insignificant whitespace, no floats (money and points are integers
or decimal strings), so the same value always gives the same bytes.
"""

import json
from typing import Any


def check(value: Any, path: str = "$") -> None:
    """Raise ValueError, naming the path, if `value` has no canonical JSON form."""
    _check(value, path)


def _check(value: Any, path: str) -> None:
    if isinstance(value, bool) or value is None or isinstance(value, int | str):
        return
    if isinstance(value, float):
        raise ValueError(f"{path}: floats have no canonical form; use an integer or a string")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: object keys must be strings")
            _check(item, f"{path}.{key}")
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check(item, f"{path}[{i}]")
        return
    raise ValueError(f"{path}: {type(value).__name__} is not a JSON value")


def canonical_json(value: Any) -> bytes:
    """Encode `value` canonically; refuses floats and non-JSON types with the path."""
    _check(value, "$")
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")
