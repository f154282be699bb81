"""Canonical JSON: one byte encoding per value, and a refusal that says where."""

import enum
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.canonical import canonical_json

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(JSON)
def test_the_encoding_round_trips_and_is_sorted_and_compact(value: Any) -> None:
    encoded = canonical_json(value)

    assert json.loads(encoded) == value
    assert (
        encoded
        == json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    )


class Kind(enum.StrEnum):
    CODE = "code"


def test_string_and_integer_subclasses_are_their_plain_values() -> None:
    assert canonical_json({"kind": Kind.CODE, "ok": True}) == b'{"kind":"code","ok":true}'


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"a": [1, {"b": 1.5}]}, "$.a[1].b: floats have no canonical form"),
        ({"a": {1: 2}}, "$.a: object keys must be strings"),
        ([1, object()], "$[1]: object is not a JSON value"),
        ({"x": {"y": [{"z": float("nan")}]}}, "$.x.y[0].z: floats"),
    ],
)
def test_a_value_without_a_canonical_form_is_refused_with_its_path(
    value: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("$", r"\$").replace("[", r"\[")):
        canonical_json(value)
