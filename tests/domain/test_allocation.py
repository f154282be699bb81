import hashlib
from collections.abc import Sequence
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.allocation import (
    apportion,
    fill_to_cap,
    largest_remainder,
    level_down,
    tiebreak_key,
)

KEYS = st.lists(st.text(min_size=1, max_size=4), min_size=1, max_size=12, unique=True)


def published_rule(
    total: int, weights: Sequence[int], keys: Sequence[str], seed: str
) -> list[int]:
    # The rule as a statement reader would apply it, written out naively.
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    pairs = [divmod(total * w, whole) for w in weights]
    amounts = [q for q, _ in pairs]
    order = sorted(
        range(len(weights)), key=lambda i: (-pairs[i][1], tiebreak_key(seed, keys[i]), keys[i])
    )
    for i in order[: total - sum(amounts)]:
        amounts[i] += 1
    return amounts


@st.composite
def splits(draw: st.DrawFn, max_weight: int = 30) -> tuple[int, list[int], list[str]]:
    keys = draw(KEYS)
    weights = draw(st.lists(st.integers(0, max_weight), min_size=len(keys), max_size=len(keys)))
    return draw(st.integers(0, 10**6)), weights, keys


def test_tiebreak_key_is_the_sha256_of_seed_colon_key() -> None:
    assert tiebreak_key("s", "a") == hashlib.sha256(b"s:a").hexdigest()
    assert tiebreak_key("s", "a").startswith("d4315d83")


def test_it_gives_leftover_units_to_the_largest_remainders() -> None:
    assert largest_remainder(100, [3, 3, 1], ["a", "b", "c"], seed="s") == [43, 43, 14]


def test_it_breaks_equal_remainders_by_the_published_key() -> None:
    # sha256("s:c") = 97a9... < sha256("s:b") = d30e... < sha256("s:a") = d431...
    assert largest_remainder(10, [1, 1, 1], ["a", "b", "c"], seed="s") == [3, 3, 4]
    assert largest_remainder(11, [1, 1, 1], ["a", "b", "c"], seed="s") == [3, 4, 4]


def test_it_leaves_everything_unallocated_without_weights() -> None:
    assert largest_remainder(100, [0, 0], ["a", "b"], seed="s") == [0, 0]
    assert largest_remainder(100, [], [], seed="s") == []


@pytest.mark.parametrize(
    ("total", "weights", "keys", "message"),
    [
        (-1, [1], ["a"], "total cannot be negative"),
        (1, [1, -1], ["a", "b"], "cannot be negative"),
        (1, [1, 1], ["a", "a"], "unique"),
        (1, [1, 1], ["a"], "Expected 2 keys"),
    ],
)
def test_it_rejects_bad_input(
    total: int, weights: list[int], keys: list[str], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        largest_remainder(total, weights, keys, seed="s")


def test_it_refuses_floats_as_weights() -> None:
    with pytest.raises(TypeError):
        largest_remainder(1, [0.5], ["a"], seed="s")  # type: ignore[list-item]


@settings(deadline=None)
@given(splits(), st.text(max_size=3))
def test_it_follows_the_published_rule(split: tuple[int, list[int], list[str]], seed: str) -> None:
    total, weights, keys = split

    assert largest_remainder(total, weights, keys, seed=seed) == published_rule(
        total, weights, keys, seed
    )


@settings(deadline=None)
@given(splits(max_weight=10**40), st.text(max_size=3))
def test_it_follows_the_published_rule_with_huge_weights(
    split: tuple[int, list[int], list[str]], seed: str
) -> None:
    total, weights, keys = split
    total *= 10**25

    assert largest_remainder(total, weights, keys, seed=seed) == published_rule(
        total, weights, keys, seed
    )


@settings(deadline=None)
@given(splits())
def test_shares_sum_to_the_total_and_round_the_exact_share(
    split: tuple[int, list[int], list[str]],
) -> None:
    total, weights, keys = split

    amounts = largest_remainder(total, weights, keys, seed="run-1")

    if sum(weights) == 0:
        assert amounts == [0] * len(weights)
        return
    assert sum(amounts) == total
    for amount, weight in zip(amounts, weights, strict=True):
        exact = Fraction(total * weight, sum(weights))
        assert amount - exact.__floor__() in (0, 1)
        assert amount <= exact.__ceil__()


@settings(deadline=None)
@given(splits(), st.data())
def test_reordering_members_reorders_their_shares(
    split: tuple[int, list[int], list[str]], data: st.DataObject
) -> None:
    total, weights, keys = split
    order = data.draw(st.permutations(range(len(keys))))

    amounts = largest_remainder(total, weights, keys, seed="s")
    shuffled = largest_remainder(
        total, [weights[i] for i in order], [keys[i] for i in order], seed="s"
    )

    assert shuffled == [amounts[i] for i in order]


def test_it_orders_ties_by_key_bytes_when_digest_prefixes_clash(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Force every digest to share its first 8 bytes, so the exact fallback decides the order.
    real = hashlib.sha256

    class Clashing:
        def __init__(self, data: bytes) -> None:
            self._digest = bytes(8) + real(data).digest()[8:]

        def digest(self) -> bytes:
            return self._digest

    monkeypatch.setattr(hashlib, "sha256", Clashing)
    keys = ["a", "b", "c", "d"]
    expected = sorted(range(4), key=lambda i: Clashing(f"s:{keys[i]}".encode()).digest())

    amounts = largest_remainder(6, [1, 1, 1, 1], keys, seed="s")

    assert [amounts[i] for i in expected] == [2, 2, 1, 1]


def test_apportion_rounds_exact_fractions_to_their_whole_total() -> None:
    assert apportion([5, 5, 2], 4, ["a", "b", "c"], seed="s") == [1, 1, 1]

    with pytest.raises(ValueError, match="whole number"):
        apportion([1, 1], 3, ["a", "b"], seed="s")


def paid(needs: list[int], amount: int) -> list[Fraction]:
    numerators, k = level_down(needs, amount)
    return [Fraction(n, k) for n in numerators]


def test_level_down_pays_the_largest_needs_first() -> None:
    # Needs 75 and 25 with 60 to give: both end at level 20, so 55 and 5.
    assert paid([75, 25], 60) == [55, 5]
    assert paid([75, 25], 30) == [30, 0]
    assert paid([75, 25], 100) == [75, 25]
    assert paid([10, 10, 1], 5) == [Fraction(5, 2), Fraction(5, 2), 0]
    assert paid([0, 0], 0) == [0, 0]

    with pytest.raises(ValueError, match="between 0 and the sum"):
        level_down([1, 2], 4)


@settings(deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=12), st.data())
def test_level_down_reaches_one_level_with_the_exact_amount(
    needs: list[int], data: st.DataObject
) -> None:
    amount = data.draw(st.integers(0, sum(needs)))

    numerators, k = level_down(needs, amount)

    assert sum(numerators) == amount * k
    paid = [Fraction(n, k) for n in numerators]
    assert all(0 <= p <= need for p, need in zip(paid, needs, strict=True))
    levels = {need - p for p, need in zip(paid, needs, strict=True) if p > 0}
    assert len(levels) <= 1
    for level in levels:
        assert all(need <= level for p, need in zip(paid, needs, strict=True) if p == 0)


def test_fill_to_cap_redistributes_by_weight_until_nothing_is_over() -> None:
    amounts, left = fill_to_cap([600, 300, 100], [6, 3, 1], ["a", "b", "c"], cap=400, seed="s")

    assert (amounts, left) == ([400, 400, 200], 0)


def test_fill_to_cap_keeps_what_nobody_can_take() -> None:
    assert fill_to_cap([50, 50], [1, 1], ["a", "b"], cap=30, seed="s") == ([30, 30], 40)


@settings(deadline=None)
@given(splits(), st.integers(0, 10**6))
def test_fill_to_cap_conserves_and_respects_the_cap(
    split: tuple[int, list[int], list[str]], cap: int
) -> None:
    total, weights, keys = split
    shares = largest_remainder(total, weights, keys, seed="s")

    amounts, left = fill_to_cap(shares, weights, keys, cap=cap, seed="s")

    assert sum(amounts) + left == sum(shares)
    assert all(0 <= a <= max(cap, s) for a, s in zip(amounts, shares, strict=True))
    assert all(a <= cap for a in amounts)
    if left:
        assert all(a == cap for a, w in zip(amounts, weights, strict=True) if w > 0)


def test_apportion_needs_a_positive_denominator() -> None:
    with pytest.raises(ValueError, match="positive"):
        apportion([0], 0, ["a"], seed="s")
