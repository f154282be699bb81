"""The rules by which the upgrade records an old entry again, by kind:

- entries about a member as contributor, consent giver or beneficiary (`contribution.*`,
  `consent.changed`, `distribution.statement`, `statement.choice`, `payout.paid`, and
  `group_role.changed` between plain roles) are re-recorded by `services.about_member`:
  blinded subject, the old facts (less the member) as a commitment, the opening kept
  privately; a reason becomes a note. A distribution's statements get fresh blinded
  subjects that the published tie-break orders as it ordered the old handles (so every
  amount still re-derives exactly), and its committed entry gets the totals and rows
  digest that the verifier checks, computed from the old statements;
- `policy.published` gets the policy document (from the stored version, checked against
  the published hash) and its reason as a note; `pool.funded` its source as a note;
- `role.changed`, lead appointments and `pool.created` name office holders and stay;
- an entry about a member who is gone (v1 erasure deleted the row) or erased has a
  blinded subject and a commitment with no opening and no notes, as erasure leaves them;
  `member.erased` is always so;
- entries already in the current form (a ledger used after the code upgrade) are copied
  as they were, with their openings;
- any other kind keeps its public part: when it names a member, the rest is committed
  as for an entry about them; otherwise free-text fields become notes.
"""

import hashlib
import secrets
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from django.apps.registry import Apps

from accord.domain import distribution as dist
from accord.domain.canonical import canonical_json
from accord.domain.commitments import (
    BLIND_PREFIX,
    SALT_BYTES,
    rows_digest,
    text_digest,
)
from accord.ledger import services
from accord.ledger.models import SYSTEM, ArchivedEntry, Opening
from accord.ledger.services import MEMBER, Private, Record
from accord.ledger.upgrade.names import About, Members, subjects_in_tie_order
from accord.ledger.upgrade.old import (
    ABOUT_MEMBER,
    BATCH,
    OFFICES,
    OLD_LOG,
    Old,
    old_payload,
)

# What a v1 committed distribution says that the current form says the same way (v1 also
# had `members`, renamed `eligible`, and some versions the members' handles in order).
_COMMITTED_KEPT = (
    *("pool", "round", "unit", "method", "total", "unallocated", "policy", "policy_sha256"),
    *("as_of", "period", "half_life_days", "member_cap", "minimum_payout"),
)
MEMBER_KEYS = ("member", "member_id")
FREE_TEXT = ("reason", "source", "note", "comment", "text", "description", "title")


class UpgradeError(Exception):
    """The old log cannot be re-recorded faithfully; the message says why."""


class Converter:
    """Re-records old entries; remembers which archived entry was about which member."""

    def __init__(self, apps: Apps, openings: dict[int, Opening]) -> None:
        self.members = Members(apps)
        contribution = apps.get_model("contributions", "Contribution")._default_manager
        self.contributors: dict[int, int] = dict(contribution.values_list("pk", "member_id"))
        self.contributions: dict[int, About] = {}  # from old recorded entries
        policy = apps.get_model("contributions", "PolicyVersion")._default_manager
        self.policies: dict[int, Any] = dict(policy.values_list("version", "document"))
        rounds = apps.get_model("benefits", "Distribution")._default_manager
        self.names = {
            k: f"{s}:{r}" for k, s, r in rounds.values_list("key", "pool__slug", "round")
        }
        self.openings = openings
        self.owners: dict[int, list[int]] = {}  # member -> archived seqs about them

    def rerecord(self, olds: Iterator[Old]) -> None:
        """Append the new form of every old entry, a batch of equal times at a time (an
        entry keeps its time unless that is earlier than the one before it)."""
        batch: list[Record] = []
        at: datetime | None = None
        for old, record in self._records(_Lookahead(olds)):
            if batch and (old.at != at or len(batch) >= BATCH):
                services.append_many(batch, at=at)
                batch = []
            at = old.at
            batch.append(record)
        if batch:
            services.append_many(batch, at=at)

    def save_owners(self) -> None:
        """Mark archived entries with the member they were about; blank those of erased
        members at once, as `services.forget` does at erasure."""
        archive = ArchivedEntry.objects.filter(log=OLD_LOG)
        for owner, seqs in self.owners.items():
            for i in range(0, len(seqs), 500):
                archive.filter(seq__in=seqs[i : i + 500]).update(owner=owner)
        for ref in self.members.by_pk.values():
            if ref.secret is None and ref.pk in self.owners:
                services.forget_archived(ref.pk)

    def _records(self, olds: "_Lookahead") -> Iterator[tuple[Old, Record]]:
        for old in olds:
            if old.kind == "distribution.committed" and "rows_sha256" not in old.payload:
                yield from self._distribution(old, olds)
            else:
                yield old, self._convert(old)

    def _convert(self, old: Old) -> Record:
        if _current(old):
            o = self.openings.get(old.seq)
            private = None if o is None else Private(o.owner, bytes(o.salt), o.value)
            return Record(old.kind, old.actor, old.subject, old.payload, private)
        by_kind = {
            "role.changed": self._office,
            "pool.created": self._office,
            "group_role.changed": self._group_role,
            "policy.published": self._policy,
            "pool.funded": self._funded,
            "distribution.statement": self._stray_statement,
        }
        if old.kind in by_kind:
            return by_kind[old.kind](old)
        return self._about_member(old) if old.kind in ABOUT_MEMBER else self._other(old)

    def _office(self, old: Old) -> Record:
        """An act of office, naming the office holder: as it was, handles for ids."""
        return Record(old.kind, self._public(old.actor), self._public(old.subject), old.payload)

    def _group_role(self, old: Old) -> Record:
        p = old.payload
        if {p.get("role"), p.get("previous")} & OFFICES:
            return self._office(old)
        return self._about_member(old)  # plain roles say who is in a group: never public

    def _funded(self, old: Old) -> Record:
        rest = {k: v for k, v in old.payload.items() if k != "key"}
        return Record(old.kind, self._public(old.actor), old.subject, _noted(rest, ("source",)))

    def _stray_statement(self, old: Old) -> Record:
        name = str(old.payload.get("distribution", ""))
        return self._statement(old, self.names.get(name, name))

    def _about_member(self, old: Old) -> Record:
        p, kind = old.payload, old.kind
        about = self._contributor(old) if kind.startswith("contribution.") else self._named(old)
        if kind == "member.erased":  # nothing about an erased member is kept
            actor = self._actor(old.actor, about)
            return self._record(old, kind, actor, About(None, about.named), {})
        facts = {k: v for k, v in p.items() if k not in MEMBER_KEYS}
        if kind in ("statement.choice", "payout.paid"):
            name = str(p.get("distribution", ""))
            facts["distribution"] = self.names.get(name, name)
        if kind in ("consent.changed", "contribution.disputed"):
            actor = MEMBER
        elif kind == "statement.choice":
            actor = SYSTEM if old.actor == SYSTEM else MEMBER
        else:
            actor = self._actor(old.actor, about)
        return self._record(old, kind, actor, about, self._noted(facts, about, ("reason",)))

    def _distribution(self, old: Old, olds: "_Lookahead") -> Iterator[tuple[Old, Record]]:
        """A v1 distribution: its statements (the entries right after it naming it) about
        their members, and its committed entry with the totals the verifier checks."""
        p = old.payload
        key = str(p["distribution"])
        name = f"{p['pool']}:{p['round']}" if "pool" in p and "round" in p else key
        self.names[key] = name
        olds_of: list[Old] = []
        for following in olds:
            if following.kind != "distribution.statement" or (
                following.payload.get("distribution") != key
            ):
                olds.push(following)
                break
            olds_of.append(following)
        seed = str(p.get("seed", name))
        subjects = subjects_in_tie_order(seed, [s.subject for s in olds_of])
        statements = [
            self._statement(s, name, subject) for s, subject in zip(olds_of, subjects, strict=True)
        ]
        rows = [(r.subject, r.payload["weight"], r.payload["amount"]) for r in statements]
        facts = [s.payload for s in olds_of]
        total, unallocated = int(p["total"]), int(p["unallocated"])
        committed = {k: p[k] for k in _COMMITTED_KEPT if k in p}
        committed.update(
            distribution=name,
            seed=seed,
            distributed=total - unallocated,
            carried_in=sum(int(f["carried_in"]) for f in facts),
            carried_out=sum(int(f["carried_out"]) for f in facts),
            eligible=p.get("members", len(rows)),
            statements=len(rows),
            total_weight=str(sum(int(f["weight"]) for f in facts)),
            rows_sha256=rows_digest(rows),
        )
        if "policy_sha256" not in p and int(p["policy"]) in self.policies:
            committed["policy_sha256"] = _sha256(self.policies[int(p["policy"])])
        if p.get("method") == dist.Method.BALANCED.value:
            lifetime = [int(f["lifetime_cp"]) for f in facts]
            received = [int(f["received_before"]) for f in facts]
            level = dist.balanced_level(total, lifetime, received)
            committed["total_received"] = sum(received)
            committed["level"] = f"{level.numerator}/{level.denominator}"
        yield old, Record(old.kind, self._public(old.actor), old.subject, committed)
        yield from zip(olds_of, statements, strict=True)

    def _statement(self, old: Old, name: str, subject: str = "") -> Record:
        p = old.payload
        about = self._named(old)
        amount = int(p["payout"]) + int(p["carried_out"]) - int(p["carried_in"])
        facts = {
            "distribution": name,
            **{k: p[k] for k in ("points_cp", "lifetime_cp", "received_before")},
            **{k: p[k] for k in ("carried_in", "payout", "carried_out", "contributions")},
        }
        public = {"distribution": name, "weight": str(p["weight"]), "amount": amount}
        actor = self._actor(old.actor, about)
        return self._record(old, old.kind, actor, about, facts, public=public, subject=subject)

    def _policy(self, old: Old) -> Record:
        p = dict(old.payload)
        if "document" not in p:
            document = self.policies.get(int(p["version"]))
            if document is None or _sha256(document) != p.get("sha256"):
                raise UpgradeError(
                    f"entry {old.seq}: policy version {p['version']} has no stored document "
                    "with the published hash, so it cannot be published in the new log"
                )
            p["document"] = document
        return Record(old.kind, self._public(old.actor), old.subject, _noted(p, ("reason",)))

    def _other(self, old: Old) -> Record:
        """A kind this upgrade does not know: its public part, the rest committed when it
        names a member, free text as notes."""
        p, subject = old.payload, old.subject
        value = next((p[k] for k in MEMBER_KEYS if k in p), None)
        if value is None and not (subject.startswith("member:") or self.members.find(subject)):
            return Record(old.kind, self._public(old.actor), subject, _noted(p, FREE_TEXT))
        named = subject if value is None else value
        about = About(self.members.find(named), str(named))
        facts = {k: v for k, v in p.items() if k not in MEMBER_KEYS}
        actor = self._actor(old.actor, about)
        return self._record(old, old.kind, actor, about, self._noted(facts, about, FREE_TEXT))

    def _record(
        self,
        old: Old,
        kind: str,
        actor: str,
        about: About,
        facts: dict[str, Any],
        *,
        public: dict[str, Any] | None = None,
        subject: str = "",
    ) -> Record:
        """`services.about_member`, or for a member who is gone or erased the same shape
        with no opening kept."""
        ref = about.ref
        if ref is not None:
            self.owners.setdefault(ref.pk, []).append(old.seq)
        owner = None if ref is None or ref.secret is None else ref.pk
        return services.about_member(kind, actor, owner, facts, public=public, subject=subject)

    def _noted(
        self, facts: dict[str, Any], about: About, fields: tuple[str, ...]
    ) -> dict[str, Any]:
        """Free text about a member as their notes, or dropped if they are gone or erased."""
        ref = about.ref
        if ref is None or ref.secret is None:
            return _noted(facts, fields, owner=None, keep=False)
        return _noted(facts, fields, owner=ref.pk)

    def _named(self, old: Old) -> About:
        value = old.payload.get("member", old.subject)
        return About(self.members.find(value), str(value))

    def _contributor(self, old: Old) -> About:
        """Who a contribution entry is about: named in it (v1 recorded and verified it), or
        found by the contribution's number, from those entries or the contributions."""
        p = old.payload
        subject = old.subject.removeprefix("contribution:")
        number: int = p.get("contribution", int(subject) if subject.isdigit() else -1)
        if "member" in p:
            about = self._named(old)
        elif number in self.contributions:
            about = self.contributions[number]
        else:
            ref = self.members.by_pk.get(self.contributors.get(number, -1), None)
            about = About(ref, ref.handle if ref else "")
        if number != -1:
            self.contributions.setdefault(number, about)
        return about

    def _actor(self, actor: str, about: About) -> str:
        """An office holder by handle; the member acting on themselves as `member`."""
        if actor == SYSTEM:
            return SYSTEM
        acting = self.members.find(actor)
        if actor == about.named or (acting and about.ref and acting.pk == about.ref.pk):
            return MEMBER
        return acting.handle if acting else actor

    def _public(self, name: str) -> str:
        """An office holder's public handle for a name an old entry gave them."""
        ref = self.members.find(name) if name.startswith("member:") else None
        return ref.handle if ref else name


def _current(old: Old) -> bool:
    """Whether an old entry is already in the current form (written after the code upgrade)."""
    p = old.payload
    if old.kind.startswith("ledger.") or (
        "commitment" in p and old.subject.startswith(BLIND_PREFIX)
    ):
        return True
    payload_says = old.kind in ("pool.funded", "policy.published", "distribution.committed")
    return payload_says and not old_payload({"kind": old.kind, "payload": p})


def _sha256(document: Any) -> str:
    return hashlib.sha256(canonical_json(document)).hexdigest()


def _noted(
    facts: dict[str, Any], fields: tuple[str, ...], *, owner: int | None = None, keep: bool = True
) -> dict[str, Any]:
    """`facts` with each text in `fields` replaced by `<field>_sha256`: the salted hash of a
    note (owned by `owner`), or, when not `keep`, of text whose salt is thrown away."""
    out = dict(facts)
    for key in fields:
        text = out.get(key)
        if not isinstance(text, str):
            continue
        del out[key]
        text = text.strip()
        if keep:
            out[f"{key}_sha256"] = services.note(text, owner=owner)
        else:
            out[f"{key}_sha256"] = text_digest(secrets.token_bytes(SALT_BYTES), text)
    return out


class _Lookahead:
    """An iterator that takes back the one item a reader looked at too far."""

    def __init__(self, items: Iterator[Old]) -> None:
        self._items = items
        self._back: list[Old] = []

    def __iter__(self) -> "_Lookahead":
        return self

    def __next__(self) -> Old:
        return self._back.pop() if self._back else next(self._items)

    def push(self, item: Old) -> None:
        self._back.append(item)
