"""Upgrading a v1 ledger (entries that named members in the clear) to the current form."""

import base64
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone

from accord.benefits import planning
from accord.benefits import services as benefits
from accord.benefits.schemas import FundIn
from accord.contributions import services as contributions
from accord.contributions.models import Contribution, PolicyVersion
from accord.contributions.queries import tenure_of
from accord.domain import distribution as dist
from accord.domain import merkle
from accord.domain.treehead import TreeHead, signed_bytes
from accord.ledger import keys, queries, upgrade
from accord.ledger.models import (
    ArchivedEntry,
    ArchivedHead,
    Entry,
    Head,
    Node,
    Note,
    Opening,
    State,
)
from accord.ledger.services import SYSTEM, Record, append_many, sign_head
from accord.ledger.verify import verify_ledger
from accord.people import services as people
from accord.people.models import ConsentSource, Member, Purpose
from accord.people.schemas import ConsentIn, ErasureIn
from accord.verifier.__main__ import main as verifier
from tests.benefits.conftest import make_pool
from tests.conftest import Cast, ledger_triggers
from tests.factories import (
    add_to_group,
    contribution_in,
    make_member,
    make_policy,
    verified_contribution,
)

TODAY = timezone.localdate()
GONE = "m-00c0ffee00c0ffee"  # a member v1 erasure deleted: no row names them any more
REJECTION = "Mo's evidence link is broken"
DISPUTE = "The link works from the library computers"
POLICY_REASON = "Agreed at the spring assembly"
SOURCE = "Northbridge University"


@dataclass
class V1:
    """A v1 ledger and what it must no longer show publicly once upgraded."""

    size: int
    root: bytes
    plain: list[Member]  # members who never acted in office
    lead: Member
    secrets: list[str]  # every text that must leave the public record


def _wipe_ledger() -> None:
    ledger_triggers("drop")
    for model in (Entry, Node, Head, Opening, Note):
        model.objects.all().delete()
    State.objects.update_or_create(
        pk=1, defaults={"size": 0, "peaks": b"", "at_us": 0, "monotonic_from": 0}
    )
    ledger_triggers("create")


def _contribution_records(c: Contribution, steward: Member) -> list[Record]:
    """A contribution as v1 recorded it: its number as subject, the member by handle."""
    facts = {**contributions.facts(c), "member": c.member.pseudonym}
    subject = f"contribution:{c.pk}"
    out = [Record("contribution.recorded", c.member.pseudonym, subject, facts)]
    if c.impact:
        verified = {**facts, "impact": c.impact, "tenure_months": tenure_of(c)}
        out.append(Record("contribution.verified", steward.pseudonym, subject, verified))
    return out


def _distribution_records(cast: Cast, pool: Any, policy: PolicyVersion) -> list[Record]:
    """A committed round as v1 wrote it: planned with the members' handles as keys (so
    its rounding broke ties by handle), statements naming them, the handles in order."""
    inputs = planning.gather(pool)
    handles = dict(Member.objects.values_list("pk", "pseudonym"))
    keys = [handles[pk] for pk in inputs.member_ids]
    plan = dist.plan_distribution(
        pool=inputs.total,
        method=dist.Method(pool.method),
        keys=keys,
        weights=inputs.weights,
        cap=pool.member_cap,
        seed=inputs.seed,
    )
    key = "spring-round-1"
    committed = {
        "distribution": key,
        "pool": pool.slug,
        "round": inputs.round,
        "unit": pool.unit,
        "method": pool.method,
        "seed": inputs.seed,
        "total": inputs.total,
        "unallocated": plan.unallocated,
        "policy": policy.version,
        "policy_sha256": policy.digest,
        "as_of": inputs.as_of.isoformat(),
        "period": [pool.period_start.isoformat(), pool.period_end.isoformat()],
        "half_life_days": pool.half_life_days,
        "member_cap": pool.member_cap,
        "minimum_payout": pool.minimum_payout,
        "members": len(keys),
        "keys_in_order": keys,
    }
    out = [
        Record("distribution.committed", cast.steward.pseudonym, f"pool:{pool.slug}", committed)
    ]
    for i, a in enumerate(plan.allocations):
        if not (a.payout or a.carried_in or a.carried_out or a.weight):
            continue
        statement = {
            "distribution": key,
            "pool": pool.slug,
            "round": inputs.round,
            "member": keys[i],
            "points_cp": inputs.points_cp[i],
            "weight": str(a.weight),
            "lifetime_cp": inputs.lifetime_cp[i],
            "received_before": inputs.received[i],
            "carried_in": a.carried_in,
            "payout": a.payout,
            "carried_out": a.carried_out,
            "contributions": inputs.contributions.get(inputs.member_ids[i], []),
        }
        out.append(Record("distribution.statement", cast.steward.pseudonym, keys[i], statement))
    return out


@pytest.fixture
def v1(cast: Cast) -> V1:
    """A real v1 ledger over a community with contributions, a policy and a funded pool
    whose round splits 100,000 three ways (so its rounding had to break a tie)."""
    policy = make_policy(
        cast.steward, effective_from=TODAY - timedelta(days=400), reason=POLICY_REASON
    )
    third = make_member(name="Tess Third")
    lead = make_member(name="Lee Lead")
    add_to_group(third, cast.group)
    add_to_group(lead, cast.group)
    plain = [cast.member, cast.other, third]
    for m in plain:
        verified_contribution(m, cast.steward, level=3, impact=3, hours_h100=200, days_ago=10)
    rejected = contributions.record_contribution(
        cast.member,
        contribution_in(
            kind="mentoring", title="Mentoring", date=TODAY - timedelta(days=3), level=2
        ),
    )
    pool = make_pool(cast, policy, amount=100_000)
    _wipe_ledger()

    steward, member, other = cast.steward, cast.member, cast.other
    consent = {"purpose": "public_recognition", "granted": True, "source": "web"}
    records = [
        Record("role.changed", SYSTEM, steward.pseudonym, {"role": "steward", "previous": None}),
        Record(
            "role.changed", SYSTEM, cast.auditor.pseudonym, {"role": "auditor", "previous": None}
        ),
        Record("consent.changed", member.pseudonym, member.pseudonym, consent),
        # An older form: the member by id.
        Record(
            "consent.changed",
            f"member:{other.pk}",
            f"member:{other.pk}",
            {**consent, "member": other.pk},
        ),
        Record("consent.changed", GONE, GONE, consent),
        Record(
            "group_role.changed",
            steward.pseudonym,
            lead.pseudonym,
            {"group": cast.group.slug, "role": "lead", "previous": "member"},
        ),
        Record(
            "group_role.changed",
            steward.pseudonym,
            third.pseudonym,
            {"group": cast.group.slug, "role": "shadow", "previous": "member"},
        ),
        Record(
            "policy.published",
            steward.pseudonym,
            f"policy:{policy.version}",
            {
                "version": policy.version,
                "effective_from": policy.effective_from.isoformat(),
                "sha256": policy.digest,
                "reason": POLICY_REASON,
            },
        ),
    ]
    for c in Contribution.objects.select_related("member").order_by("pk"):
        records += _contribution_records(c, steward)
    records += [
        Record(
            "contribution.rejected",
            steward.pseudonym,
            f"contribution:{rejected.pk}",
            {"contribution": rejected.pk, "reason": REJECTION},
        ),
        Record(
            "contribution.disputed",
            member.pseudonym,
            f"contribution:{rejected.pk}",
            {"contribution": rejected.pk, "reason": DISPUTE},
        ),
        Record("member.erased", GONE, GONE, {}),
    ]
    records += [
        Record(
            "pool.created",
            steward.pseudonym,
            f"pool:{pool.slug}",
            {"unit": pool.unit, "method": pool.method, "policy": policy.version},
        ),
        Record(
            "pool.funded",
            steward.pseudonym,
            f"pool:{pool.slug}",
            {"amount": 100_000, "unit": pool.unit, "source": SOURCE, "key": "fund-1"},
        ),
    ]
    append_many(records)
    sign_head()
    distribution = _distribution_records(cast, pool, policy)
    choice = {"distribution": "spring-round-1", "choice": "take", "format": "standard"}
    paid = {"distribution": "spring-round-1", "unit": pool.unit, "format": "standard"}
    mine = next(r for r in distribution if r.subject == member.pseudonym)
    amount = mine.payload["payout"]
    append_many(
        [
            *distribution,
            Record(
                "statement.choice",
                member.pseudonym,
                member.pseudonym,
                {**choice, "amount": amount},
            ),
            Record("payout.paid", steward.pseudonym, member.pseudonym, {**paid, "amount": amount}),
        ]
    )
    sign_head()
    # Written after the code upgrade but before the migration: already in the new form.
    people.set_consent(
        member, Purpose.MEMBER_DIRECTORY, ConsentIn(granted=True), source=ConsentSource.WEB
    )

    leaves = [bytes(h) for h in Entry.objects.order_by("seq").values_list("leaf_hash", flat=True)]
    emails = [m.user.email for m in plain if m.user]
    ids = [f"member:{m.pk}" for m in plain]
    handles = [m.pseudonym for m in plain]
    texts = [REJECTION, DISPUTE, POLICY_REASON, SOURCE, GONE, "fund-1"]
    return V1(len(leaves), merkle.root(leaves), plain, lead, [*handles, *emails, *ids, *texts])


def _entries() -> list[dict[str, Any]]:
    return [queries.parsed(e) for e in Entry.objects.order_by("seq")]


def _export(path: Path, lines: Any) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_it_finds_a_v1_ledger(v1: V1) -> None:
    assert upgrade.needs_upgrade()


def test_the_genesis_commits_to_the_old_logs_final_signed_head(v1: V1) -> None:
    assert Head.objects.order_by("-size").first().size < v1.size  # the last head is behind

    head = upgrade.upgrade_v1(apps)

    genesis = _entries()[0]
    assert head is not None
    assert (genesis["seq"], genesis["kind"], genesis["actor"]) == (0, "ledger.genesis", SYSTEM)
    previous = genesis["payload"]["previous"]
    assert previous["size"] == v1.size
    assert previous["root"] == v1.root.hex()
    assert previous["key_id"] == keys.key_id()
    signed = signed_bytes(TreeHead(v1.size, v1.root, previous["timestamp_ms"]))
    keys.public_from_pem(keys.public_pem()).verify(base64.b64decode(previous["signature"]), signed)
    old_final = ArchivedHead.objects.get(size=v1.size)
    assert bytes(old_final.signature) == base64.b64decode(previous["signature"])


def test_no_member_handle_email_id_or_free_text_stays_public(v1: V1) -> None:
    upgrade.upgrade_v1(apps)

    public = "\n".join(queries.export_lines())
    leaked = [text for text in v1.secrets if text in public]
    assert leaked == []
    assert v1.lead.pseudonym in public  # appointing a lead is an act of office
    assert "keys_in_order" not in public
    about_members = [e for e in _entries() if e["kind"] in upgrade.ABOUT_MEMBER]
    assert about_members
    assert all(e["subject"].startswith("b-") for e in about_members)
    assert all("commitment" in e["payload"] for e in about_members)


def test_the_old_log_moves_to_the_auditors_archive(v1: V1, cast: Cast) -> None:
    upgrade.upgrade_v1(apps)

    archived = ArchivedEntry.objects.order_by("seq")
    assert [a.seq for a in archived] == list(range(v1.size))
    assert merkle.root([bytes(a.leaf_hash) for a in archived]) == v1.root
    assert REJECTION.encode() in bytes(archived.get(kind="contribution.rejected").data)
    assert archived.filter(owner=cast.member.pk).count() > 0
    lines = [json.loads(line) for line in queries.auditor_export_lines()]
    assert sum(line["type"] == "archived-entry" for line in lines) == v1.size
    assert "archived-entry" not in "\n".join(queries.export_lines())


def test_old_entries_are_re_recorded_in_order_as_the_services_write_them(
    v1: V1, cast: Cast
) -> None:
    old = [
        json.loads(bytes(d)) for d in Entry.objects.order_by("seq").values_list("data", flat=True)
    ]

    upgrade.upgrade_v1(apps)

    new = _entries()
    assert [e["kind"] for e in new[1:]] == [e["kind"] for e in old]
    assert [e["at"] for e in new[1:]] == [e["at"] for e in old]
    rejected = next(e for e in new if e["kind"] == "contribution.rejected")
    opening = Opening.objects.get(seq=rejected["seq"])
    assert opening.owner == cast.member.pk
    note = Note.objects.get(digest=json.loads(opening.value)["reason_sha256"])
    assert (note.text, note.owner) == (REJECTION, cast.member.pk)
    funded = next(e for e in new if e["kind"] == "pool.funded")
    assert Note.objects.get(digest=funded["payload"]["source_sha256"]).text == SOURCE
    actors = {e["kind"]: e["actor"] for e in new}
    assert actors["consent.changed"] == "member"
    assert actors["contribution.verified"] == cast.steward.pseudonym
    assert actors["statement.choice"] == "member"
    gone = [e for e in new if e["kind"] == "member.erased"]
    assert len(gone) == 1
    assert not Opening.objects.filter(seq=gone[0]["seq"]).exists()
    # The entry written in the new form keeps its opening, one seq further on.
    directory = Opening.objects.get(seq=len(old))
    assert json.loads(directory.value)["purpose"] == "member_directory"


def test_the_upgraded_ledger_verifies(v1: V1, tmp_path: Path) -> None:
    upgrade.upgrade_v1(apps)

    report = verify_ledger()
    assert report.ok, report.problems
    key = tmp_path / "key.pem"
    key.write_bytes(keys.public_pem())
    public = _export(tmp_path / "ledger.jsonl", queries.export_lines())
    auditor = _export(tmp_path / "auditor.jsonl", queries.auditor_export_lines())
    assert verifier([str(public), "--key", str(key)]) == 0
    # Every statement re-derives, its rounding included: the new subjects break ties as
    # the old handles did.
    assert verifier([str(auditor), "--key", str(key), "--auditor"]) == 0


def test_a_second_run_changes_nothing(v1: V1) -> None:
    upgrade.upgrade_v1(apps)
    before = _entries()

    again = upgrade.upgrade_v1(apps)

    assert again is None
    assert not upgrade.needs_upgrade()
    assert _entries() == before


def test_erasing_a_member_blanks_their_archived_entries(v1: V1, cast: Cast) -> None:
    upgrade.upgrade_v1(apps)

    people.erase_member(cast.member, cast.member.pseudonym, ErasureIn())

    theirs = ArchivedEntry.objects.filter(owner=cast.member.pk)
    assert theirs.exists()
    assert all(bytes(a.data) == b"" and a.subject == "" for a in theirs)
    report = verify_ledger()
    assert report.ok, report.problems


def test_a_current_ledger_is_left_untouched(cast: Cast) -> None:
    policy = make_policy(cast.steward, effective_from=TODAY - timedelta(days=400))
    verified_contribution(cast.member, cast.steward)
    benefits.fund_pool(
        cast.treasurer,
        make_pool(cast, policy, amount=0).slug,
        FundIn(amount=500, source=SOURCE, key="k"),
    )
    people.set_consent(
        cast.member, Purpose.MEMBER_DIRECTORY, ConsentIn(granted=True), source=ConsentSource.WEB
    )
    before = _entries()

    assert not upgrade.needs_upgrade()
    assert upgrade.upgrade_v1(apps) is None
    assert _entries() == before
    assert not ArchivedEntry.objects.exists()


def test_an_empty_ledger_is_left_empty(db: None) -> None:
    assert upgrade.upgrade_v1(apps) is None

    assert not Entry.objects.exists()
    assert not Head.objects.exists()
