"""Keys for HTML kept by what it shows.

A list's rows are rendered once per process and kept in the `rendered` cache under a digest
of exactly the values the rows show (`shown_key`): the same values can only render the same
HTML, so a kept fragment is never stale and never shows one reader what another may see.
Who may see which rows, and under what name, is decided before the key is made; the key
only spares rendering the same rows again."""

import hashlib
import json
from collections.abc import Iterable, Sequence


def shown_key(rows: Iterable[Sequence[object]]) -> str:
    """One digest of every value the rows show, in order (dates and other values by their
    text)."""
    text = json.dumps([list(row) for row in rows], default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
