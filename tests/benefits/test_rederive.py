"""Each audience checks distributions from what it holds: the public export proves each
distribution's conservation, a member's receipt bundle re-derives their own amount, the
auditor export re-derives every statement; every check fails on a changed number."""

import json
import random
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from accord.benefits import queries as benefit_queries
from accord.benefits import services
from accord.benefits.models import Statement
from accord.benefits.schemas import CommitIn, FundIn
from accord.ledger import keys
from accord.ledger import queries as ledger_queries
from accord.verifier.__main__ import main as verifier_main
from accord.verifier.check import VerificationError, check_export, check_receipt
from tests.benefits.conftest import Community, make_pool


def _key():  # type: ignore[no-untyped-def]
    return serialization.load_pem_public_key(keys.public_pem())


def _commit_every_method(community: Community) -> None:
    cast = community.cast
    capped = make_pool(
        cast,
        community.policy,
        name="Capped",
        amount=123_457,
        member_cap=40_000,
        minimum_payout=500,
    )
    services.commit_distribution(cast.treasurer, capped.slug, CommitIn(key="capped-1"))
    for method in ("recent", "balanced"):
        pool = make_pool(cast, community.policy, name=f"P {method}", method=method, amount=99_999)
        services.commit_distribution(cast.treasurer, pool.slug, CommitIn(key=f"{method}-1"))
        services.fund_pool(
            cast.treasurer, pool.slug, FundIn(amount=50_001, source="Lumen", key=f"{method}-f2")
        )
        services.commit_distribution(cast.treasurer, pool.slug, CommitIn(key=f"{method}-2"))


def _write(path: Path, lines: object) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")  # type: ignore[call-overload]
    return path


@pytest.fixture
def committed(community: Community) -> Community:
    _commit_every_method(community)
    return community


def test_the_public_export_proves_every_distribution_conserves(
    committed: Community, tmp_path: Path
) -> None:
    export = _write(tmp_path / "ledger.jsonl", ledger_queries.export_lines())

    message = check_export(str(export), _key())

    assert "5 distributions conserve their totals" in message


def test_the_auditor_export_re_derives_every_statement_without_the_database(
    committed: Community,
    tmp_path: Path,
    django_assert_num_queries,  # type: ignore[no-untyped-def]
) -> None:
    export = _write(tmp_path / "auditor.jsonl", ledger_queries.auditor_export_lines())
    key = _key()

    with django_assert_num_queries(0):
        message = check_export(str(export), key, auditor=True)

    assert f"{Statement.objects.count()} statements re-derive" in message


def test_a_members_bundle_re_derives_their_own_amounts(
    committed: Community, tmp_path: Path
) -> None:
    member = committed.members[3]
    bundle = ledger_queries.receipt_bundle(member.pk)
    path = _write(tmp_path / "bundle.json", [json.dumps(bundle)])

    message = check_receipt(str(path), _key()).message

    mine = Statement.objects.filter(member=member).count()
    assert mine >= 3
    assert f"{mine} statements re-derive" in message
    other_handles = {m.pseudonym for m in committed.members}
    assert not any(h in path.read_text() for h in other_handles)


def test_a_bundle_explains_each_statement_as_the_statement_page_does(
    committed: Community, tmp_path: Path
) -> None:
    member = committed.members[3]
    path = _write(tmp_path / "bundle.json", [json.dumps(ledger_queries.receipt_bundle(member.pk))])

    offline = {e["seed"]: e for e in check_receipt(str(path), _key()).explanations.values()}

    statements = Statement.objects.filter(member=member).select_related("distribution__pool")
    assert {st.distribution.pool.method for st in statements} == {
        "immediate",
        "recent",
        "balanced",
    }
    for st in statements:
        steps = dict(offline[st.distribution.seed])
        assert steps.pop("member") not in {"", member.pseudonym}  # the row's key, unlinkable
        assert steps == benefit_queries.explained(st), st.distribution.pool.method
    assert any("fair_share" in e for e in offline.values())


def test_the_verifier_prints_each_explanation_on_request(
    committed: Community, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    member = committed.members[3]
    path = _write(tmp_path / "bundle.json", [json.dumps(ledger_queries.receipt_bundle(member.pk))])
    key = _write(tmp_path / "key.pem", [keys.public_pem().decode()])

    status = verifier_main([str(path), "--key", str(key), "--receipt", "--explain"])

    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert lines[0].startswith("OK: ")
    steps = [json.loads(line) for line in lines[1:]]
    assert len(steps) == Statement.objects.filter(member=member).count()
    assert all(s["due"] == s["payout"] + s["carried_out"] for s in steps)


def _tampered(bundle: dict, change) -> dict:  # type: ignore[no-untyped-def, type-arg]
    copy = json.loads(json.dumps(bundle))
    change(copy)
    return copy


def _bump_row(bundle: dict) -> None:  # type: ignore[type-arg]
    rows = next(iter(bundle["rows"].values()))
    rows[0][2] += 1


def _open_other_value(bundle: dict) -> None:  # type: ignore[type-arg]
    opened = next(i for i in bundle["entries"] if "opening" in i)
    opened["opening"]["value"]["x"] = 1


def _forge_contribution(bundle: dict) -> None:  # type: ignore[type-arg]
    for item in bundle["entries"]:
        if item.get("opening", {}).get("value", {}).get("impact"):
            item["opening"]["value"]["impact"] = 5 if item["opening"]["value"]["impact"] < 5 else 1
            return


@pytest.mark.parametrize("change", [_bump_row, _open_other_value, _forge_contribution])
def test_a_changed_bundle_fails(committed: Community, tmp_path: Path, change) -> None:  # type: ignore[no-untyped-def]
    bundle = ledger_queries.receipt_bundle(committed.members[3].pk)
    path = _write(tmp_path / "bundle.json", [json.dumps(_tampered(bundle, change))])

    with pytest.raises(VerificationError):
        check_receipt(str(path), _key())


def test_an_auditor_export_with_a_changed_opening_fails(
    committed: Community, tmp_path: Path
) -> None:
    lines = list(ledger_queries.auditor_export_lines())
    n = next(i for i, line in enumerate(lines) if '"points_cp"' in line and '"opening"' in line)
    opening = json.loads(lines[n])
    opening["value"]["points_cp"] += 1
    lines[n] = json.dumps(opening)
    export = _write(tmp_path / "auditor.jsonl", lines)

    with pytest.raises(VerificationError, match="opening does not match"):
        check_export(str(export), _key(), auditor=True)


_ODD_VALUES = [None, 0, -1, 2**70, "x", "", [], {}, 1.5, True, "ff", [1], {"a": 1}]


def _mutated(value: object, rng: random.Random) -> object:
    """`value` with one leaf, somewhere inside, replaced by an odd value or removed."""
    copy = json.loads(json.dumps(value))
    node = copy
    for _ in range(rng.randrange(1, 6)):
        if isinstance(node, dict) and node:
            key = rng.choice(list(node))
            if rng.random() < 0.4 or not isinstance(node[key], dict | list):
                if rng.random() < 0.2:
                    del node[key]
                else:
                    node[key] = rng.choice(_ODD_VALUES)
                return copy
            node = node[key]
        elif isinstance(node, list) and node:
            i = rng.randrange(len(node))
            if rng.random() < 0.4 or not isinstance(node[i], dict | list):
                node[i] = rng.choice(_ODD_VALUES)
                return copy
            node = node[i]
    return rng.choice(_ODD_VALUES) if rng.random() < 0.1 else copy


def test_a_malformed_bundle_or_export_is_named_never_a_crash(
    committed: Community, tmp_path: Path
) -> None:
    rng = random.Random(20261201)
    key = _key()
    bundle = ledger_queries.receipt_bundle(committed.members[3].pk)
    lines = list(ledger_queries.auditor_export_lines())
    path = tmp_path / "input"
    outcomes: set[str] = set()

    for _ in range(150):
        path.write_text(json.dumps(_mutated(bundle, rng)), encoding="utf-8")
        try:
            check_receipt(str(path), key)
            outcomes.add("ok")
        except VerificationError:
            outcomes.add("refused")
    for _ in range(150):
        changed = list(lines)
        i = rng.randrange(len(changed))
        item = json.loads(changed[i])
        if "entry" in item and isinstance(item["entry"], str) and rng.random() < 0.5:
            item["entry"] = json.dumps(_mutated(json.loads(item["entry"]), rng))
        else:
            item = _mutated(item, rng)
        changed[i] = json.dumps(item)
        path.write_text("\n".join(changed) + "\n", encoding="utf-8")
        try:
            check_export(str(path), key, auditor=True)
            outcomes.add("ok")
        except VerificationError:
            outcomes.add("refused")

    assert "refused" in outcomes  # any other exception fails the test
