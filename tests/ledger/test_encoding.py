"""The append path's encoder gives exactly the canonical bytes that define an entry."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.canonical import canonical_json
from accord.ledger.services import Record, _canonical, _encode, _validate, entry_bytes

IDENTIFIER = st.text(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters='"\\'),
    min_size=1,
    max_size=40,
)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)  # beyond 64 bits too
    | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(
    seq=st.integers(0, 2**53),
    kind=IDENTIFIER,
    actor=IDENTIFIER,
    subject=IDENTIFIER,
    payload=st.dictionaries(st.text(max_size=8), JSON, max_size=5),
)
def test_the_fast_encoder_gives_the_canonical_bytes(
    seq: int, kind: str, actor: str, subject: str, payload: dict[str, object]
) -> None:
    record = Record(kind, actor, subject, payload)
    _validate(record)
    at = "2026-11-30T12:34:56.123456Z"

    assert _encode(seq, at, record) == entry_bytes(seq, at, record)


@settings(max_examples=400, deadline=None)
@given(facts=st.dictionaries(st.text(max_size=8), JSON, max_size=5))
def test_committed_facts_are_encoded_as_canonical_json(facts: dict[str, object]) -> None:
    assert _canonical(facts) == canonical_json(facts)


def test_a_lone_surrogate_is_refused_by_both() -> None:
    record = Record("test.event", "system", "s-1", {"text": "\ud800"})

    with pytest.raises(ValueError):  # noqa: PT011 - UnicodeEncodeError, whichever path
        _encode(1, "2026-11-30T12:34:56.123456Z", record)
    with pytest.raises(ValueError):  # noqa: PT011
        entry_bytes(1, "2026-11-30T12:34:56.123456Z", record)
