"""The key history's rules, with a stand-in signature (a hash of key and message): a chain
holds only in order, with both signatures, and heads follow their keys' turns."""

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from accord.domain.keyhistory import (
    KeyHistoryError,
    KeyRecord,
    check_head_keys,
    check_history,
    key_id,
    rotation_bytes,
    trusted,
)


def sign(public: bytes, message: bytes) -> bytes:
    return hashlib.sha256(public + message).digest()


def verify(public: bytes, signature: bytes, message: bytes) -> bool:
    return signature == sign(public, message)


def chain(starts: list[int]) -> list[KeyRecord]:
    records: list[KeyRecord] = []
    for i, start in enumerate(starts):
        public = bytes([i + 1]) * 32
        kid = key_id(public)
        if not records:
            records.append(KeyRecord(kid, public, start))
            continue
        before = records[-1]
        message = rotation_bytes(before.key_id, kid, start)
        records.append(
            KeyRecord(
                kid,
                public,
                start,
                previous=before.key_id,
                endorsement=sign(before.public_raw, message),
                acceptance=sign(public, message),
            )
        )
    return records


starts = st.lists(st.integers(0, 10**6), min_size=1, max_size=6).map(sorted)


@given(starts)
def test_a_chain_in_order_holds_from_any_of_its_keys(values: list[int]) -> None:
    records = chain(values)

    for record in records:
        assert trusted(records, record.key_id, verify) == {
            r.key_id: i for i, r in enumerate(records)
        }


@given(starts.filter(lambda v: len(v) >= 2), st.data())
def test_a_chain_out_of_order_or_missing_a_signature_fails(
    values: list[int], data: st.DataObject
) -> None:
    records = chain(values)
    i = data.draw(st.integers(1, len(records) - 1))
    broken = [
        records[::-1],
        [*records[:i], records[i].__class__(**{**_fields(records[i]), "endorsement": b"x"})],
        [*records[:i], records[i].__class__(**{**_fields(records[i]), "acceptance": b""})],
        records[i:],  # starts with a key that names a predecessor
    ]

    for history in broken:
        with pytest.raises(KeyHistoryError):
            check_history(history, verify)


def test_heads_follow_their_keys_turns() -> None:
    records = chain([100, 200])
    places = {r.key_id: i for i, r in enumerate(records)}
    old, new = records[0].key_id, records[1].key_id

    check_head_keys([(1, 150, old), (2, 250, new)], records, places)
    for heads, problem in [
        ([(1, 250, old)], "retired key"),
        ([(1, 50, old)], "predates"),
        ([(1, 250, new), (2, 260, old)], "retired key"),
        ([(1, 250, "f" * 64)], "not in the history"),
    ]:
        with pytest.raises(KeyHistoryError, match=problem):
            check_head_keys(heads, records, places)


def test_a_key_outside_the_history_is_not_trusted() -> None:
    with pytest.raises(KeyHistoryError, match="not in the key history"):
        trusted(chain([1, 2]), "0" * 64, verify)


def _fields(record: KeyRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in KeyRecord.__slots__}
