"""Names in the upgrade: the members old entries named, and the subjects new ones get."""

import secrets
from dataclasses import dataclass

from django.apps.registry import Apps

from accord.domain.allocation import tiebreak_key
from accord.domain.commitments import BLIND_PREFIX
from accord.ledger.upgrade.old import BATCH


@dataclass(frozen=True)
class MemberRef:
    """A member an old entry names; `secret` is None once they are erased."""

    pk: int
    handle: str
    secret: bytes | None


class Members:
    """Every member by id and by handle, read once (erased ones without their secret)."""

    def __init__(self, apps: Apps) -> None:
        model = apps.get_model("people", "Member")
        self.by_pk: dict[int, MemberRef] = {}
        self.by_handle: dict[str, MemberRef] = {}
        rows = model._default_manager.values_list("pk", "pseudonym", "ledger_secret", "erased_at")
        for pk, handle, secret, erased_at in rows.iterator(BATCH):
            alive = secret is not None and erased_at is None
            ref = MemberRef(pk, handle, bytes(secret) if alive and secret is not None else None)
            self.by_pk[pk] = self.by_handle[handle] = ref

    def find(self, value: object) -> MemberRef | None:
        """The member a value names: a handle, `member:<id>` or (in a payload) an id."""
        if isinstance(value, int) and not isinstance(value, bool):
            return self.by_pk.get(value)
        if isinstance(value, str) and value.startswith("member:") and value[7:].isdigit():
            return self.by_pk.get(int(value[7:]))
        return self.by_handle.get(value) if isinstance(value, str) else None


@dataclass(frozen=True)
class About:
    """Who an old entry is about: the member if still known, and how the entry named them."""

    ref: MemberRef | None
    named: str


def subjects_in_tie_order(seed: str, old_keys: list[str]) -> list[str]:
    """Fresh blinded subjects, one per old statement key (a member's handle), that the
    published tie-break (`allocation.tiebreak_key`) orders as it ordered the old keys, so
    the round re-run from the new rows rounds every amount exactly as it was paid."""

    def tie_order(key: str) -> tuple[str, str]:
        return tiebreak_key(seed, key), key

    fresh = sorted((BLIND_PREFIX + secrets.token_hex(16) for _ in old_keys), key=tie_order)
    ranks = sorted(range(len(old_keys)), key=lambda i: tie_order(old_keys[i]))
    subjects = [""] * len(old_keys)
    for rank, i in enumerate(ranks):
        subjects[i] = fresh[rank]
    return subjects
