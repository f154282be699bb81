"""Exact splitting of an integer total: largest-remainder rounding with a published tie-break.

The published rule, used by every distribution:

1. Each recipient's exact share is a fraction ``n_i / d`` (for a split by weights,
   ``total * w_i / W``). Each first gets the floor of that share.
2. The units left over (fewer than the number of recipients) go one each to the largest
   remainders ``n_i mod d``.
3. Equal remainders are ordered by ``tiebreak_key(seed, key)`` ascending, which is the
   hexadecimal SHA-256 of ``f"{seed}:{key}"`` in UTF-8, and then by the key itself. The seed
   is stated with each run, so anyone can recompute the order, and no recipient is favoured
   by their name or position in a list.

So the amounts sum to the total exactly, each is the floor or the floor plus one of the exact
share, a zero share gets nothing, and reordering the recipients only reorders the result.
"""

import hashlib
import operator
from collections.abc import Sequence

try:  # numpy carries large distributions; the standalone verifier runs without it
    import numpy as np
except ImportError:  # pragma: no cover - the verifier's isolated test runs this path
    np = None  # type: ignore[assignment]

_INT64_MAX = 2**63 - 1


def tiebreak_key(seed: str, key: str) -> str:
    """Return the hex SHA-256 of ``f"{seed}:{key}"``; equal remainders go in ascending order."""
    return hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()


def check_keys(keys: Sequence[str], length: int) -> None:
    """Raise ValueError unless there are `length` keys and no key repeats.

    Unique keys make the tie-break, and so the whole result, independent of input order.
    """
    if len(keys) != length:
        raise ValueError(f"Expected {length} keys, got {len(keys)}.")
    if len(set(keys)) != len(keys):
        raise ValueError("Keys must be unique.")


def non_negative_ints(values: Sequence[int], name: str) -> list[int]:
    """Return `values` as Python ints, raising ValueError if any is negative.

    Integers of any kind (numpy's included) become unbounded Python ints, so later products
    cannot overflow; floats raise TypeError rather than being rounded silently.
    """
    ints = [operator.index(v) for v in values]
    if ints and min(ints) < 0:
        raise ValueError(f"{name} cannot be negative.")
    return ints


def _tie_order(indices: list[int], keys: Sequence[str], seed: str) -> list[int]:
    # Sorts by (tiebreak_key, key): raw digests order like their hex, so numpy sorts on each
    # digest's first 8 bytes, and only a clash there (about 1 in 10**9 for 10**5 ties) falls
    # back to comparing digest + key bytes, which orders as the (hex, str) pair would.
    prefix = f"{seed}:".encode()
    sha256 = hashlib.sha256
    raws = [keys[i].encode() for i in indices]
    digests = [sha256(prefix + raw).digest() for raw in raws]
    if np is None:
        decorated = [d + raw for d, raw in zip(digests, raws, strict=True)]
        return [indices[j] for j in sorted(range(len(indices)), key=decorated.__getitem__)]
    heads = np.frombuffer(b"".join(digests), dtype=">u8")[::4]
    sorting = np.argsort(heads, kind="stable")
    ordered = heads[sorting]
    if not np.any(ordered[1:] == ordered[:-1]):
        order: list[int] = sorting.tolist()
    else:
        decorated = [d + raw for d, raw in zip(digests, raws, strict=True)]
        order = sorted(range(len(indices)), key=decorated.__getitem__)
    return [indices[j] for j in order]


def _round_up_remainders(
    amounts: list[int], remainders: list[int], leftover: int, keys: Sequence[str], seed: str
) -> list[int]:
    # Gives one unit each to the `leftover` largest remainders, ties by the published order.
    threshold = sorted(remainders, reverse=True)[leftover - 1]
    above = [i for i, r in enumerate(remainders) if r > threshold]
    tied = [i for i, r in enumerate(remainders) if r == threshold]
    return _add_units(amounts, above, tied, leftover, keys=keys, seed=seed)


def _add_units(
    amounts: list[int],
    above: list[int],
    tied: list[int],
    leftover: int,
    *,
    keys: Sequence[str],
    seed: str,
) -> list[int]:
    # One unit to each remainder above the threshold, the rest to the first tied ones.
    need = leftover - len(above)
    chosen = tied if need == len(tied) else _tie_order(tied, keys, seed)[:need]
    for i in above + chosen:
        amounts[i] += 1
    return amounts


def apportion_trusted(
    numerators: list[int], denominator: int, keys: Sequence[str], *, seed: str
) -> list[int]:
    """Do what `apportion` does, without its checks, for inputs built by other domain code.

    The caller guarantees Python int numerators >= 0 whose sum is a multiple of the positive
    `denominator`, and unique keys, one per numerator. int64 numpy does the bulk when exact.
    """
    total = sum(numerators) // denominator
    exact_in_int64 = denominator <= _INT64_MAX and max(numerators, default=0) <= _INT64_MAX
    if np is not None and exact_in_int64:
        nums = np.array(numerators, dtype=np.int64)
        floors, rems = np.divmod(nums, denominator)
        amounts: list[int] = floors.tolist()
        leftover = total - sum(amounts)
        if leftover == 0:
            return amounts
        cut = len(rems) - leftover
        threshold = int(np.partition(rems, cut)[cut])
        above: list[int] = np.flatnonzero(rems > threshold).tolist()
        tied: list[int] = np.flatnonzero(rems == threshold).tolist()
        return _add_units(amounts, above, tied, leftover, keys=keys, seed=seed)
    pairs = [divmod(n, denominator) for n in numerators]
    amounts = [q for q, _ in pairs]
    leftover = total - sum(amounts)
    if leftover == 0:
        return amounts
    return _round_up_remainders(amounts, [r for _, r in pairs], leftover, keys, seed)


def apportion(
    numerators: Sequence[int], denominator: int, keys: Sequence[str], *, seed: str
) -> list[int]:
    """Round the exact shares ``numerators[i] / denominator`` to integers with the same sum.

    `sum(numerators)` must be a multiple of `denominator` (the exact shares add up to a whole
    total) and no numerator may be negative. Each result is the floor of its share, plus one
    unit for the largest remainders under the module's published tie-break; a share that is
    already whole is never rounded up, so each result is at most the ceiling of its share.
    """
    if denominator <= 0:
        raise ValueError("The denominator must be positive.")
    ints = non_negative_ints(numerators, "Numerators")
    check_keys(keys, len(ints))
    if sum(ints) % denominator:
        raise ValueError("The exact shares do not add up to a whole number of units.")
    return apportion_trusted(ints, denominator, keys, seed=seed)


def largest_remainder(
    total: int, weights: Sequence[int], keys: Sequence[str], *, seed: str
) -> list[int]:
    """Split `total` in proportion to `weights`, exactly, by the published rule above.

    Result i is ``floor(total * w_i / W)`` or one more; the results sum to `total` whenever
    ``W = sum(weights) > 0``. When every weight is 0 all results are 0 and the caller decides
    what happens to the unallocated total. `keys` name the recipients for the tie-break.
    """
    if operator.index(total) < 0:
        raise ValueError("The total cannot be negative.")
    ints = non_negative_ints(weights, "Weights")
    check_keys(keys, len(ints))
    whole = sum(ints)
    if whole == 0:
        return [0] * len(ints)
    return apportion_trusted([total * w for w in ints], whole, keys, seed=seed)


def level_down(needs: Sequence[int], amount: int) -> tuple[list[int], int]:
    """Lower the largest `needs` to one level L with `amount`, exactly (water-filling).

    Requires ``0 <= amount <= sum(needs)``. Returns ``(numerators, k)`` where member i gets
    ``numerators[i] / k == max(0, needs[i] - L)`` and those pieces sum to `amount`: the
    largest needs shrink first and equal needs are treated alike. `k` is the number of needs
    above L, the smallest k whose level ``(sum of the k largest - amount) / k`` is at least
    the (k+1)-th largest need.
    """
    if not 0 <= amount <= sum(d for d in needs if d > 0):
        raise ValueError("The amount must lie between 0 and the sum of the needs.")
    ordered = sorted((d for d in needs if d > 0), reverse=True)
    ordered.append(0)
    prefix = 0
    k = 0
    while k < len(ordered) - 1:
        prefix += ordered[k]
        k += 1
        if prefix - amount >= k * ordered[k]:
            break
    excess = prefix - amount
    paid = [k * d - excess for d in needs]
    return [x if x > 0 else 0 for x in paid], max(k, 1)


def fill_to_cap(
    shares: Sequence[int], weights: Sequence[int], keys: Sequence[str], *, cap: int, seed: str
) -> tuple[list[int], int]:
    """Cut every share to `cap` and pass the excess to those below it, by weight.

    Gives what repeating "cut to the cap, share the excess among members below the cap in
    proportion to their weights" converges to, computed exactly in one go: each round, the
    members whose room the current rate would fill are filled to the cap; the rest of the
    excess is then split by `largest_remainder`, which cannot push anyone past the cap.
    Returns the new amounts and the excess that no member could take (0 if none remains).
    Amounts plus that excess always sum to ``sum(shares)``.
    """
    amounts = [min(s, cap) for s in shares]
    excess = sum(shares) - sum(amounts)
    open_ = [i for i, a in enumerate(amounts) if a < cap and weights[i] > 0]
    while excess and open_:
        rate_weight = sum(weights[i] for i in open_)
        full = [i for i in open_ if (cap - amounts[i]) * rate_weight <= excess * weights[i]]
        if not full:
            spread = largest_remainder(
                excess, [weights[i] for i in open_], [keys[i] for i in open_], seed=seed
            )
            for i, extra in zip(open_, spread, strict=True):
                amounts[i] += extra
            return amounts, 0
        for i in full:
            excess -= cap - amounts[i]
            amounts[i] = cap
        open_ = [i for i in open_ if amounts[i] < cap]
    return amounts, excess
