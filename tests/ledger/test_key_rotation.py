"""The ledger's key can rotate: both keys sign the rotation, every head names its key, the
history is public, and every reader checks each head under the key it names, trusting any
one key of the history. Production has no key unless one is configured."""

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.test import Client
from typer.testing import CliRunner

from accord.cli.app import app
from accord.domain.treehead import TreeHead, signed_bytes
from accord.ledger import keys
from accord.ledger import queries as ledger_queries
from accord.ledger.models import Entry, Head, LedgerKey
from accord.ledger.services import Record, append_many, rotate_key, sign_head
from accord.ledger.verify import verify_ledger
from accord.verifier.check import VerificationError, check_export, check_receipt
from tests.conftest import ledger_triggers


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A key file of this test's own (other tests share the data folder's)."""
    path = tmp_path / "ledger.pem"
    monkeypatch.setenv("ACCORD_LEDGER_KEY_FILE", str(path))
    keys.forget_cached_key()
    return path


@pytest.fixture
def signed(db: None, key_file: Path) -> None:
    append_many([Record("test.event", "system", f"s-{i}", {"i": i}) for i in range(40)])
    sign_head()


def _public(path: Path) -> object:
    return keys.load_private(path.read_bytes(), str(path)).public_key()


def _export(tmp_path: Path) -> Path:
    path = tmp_path / "ledger.jsonl"
    path.write_text("\n".join(ledger_queries.export_lines()) + "\n", encoding="utf-8")
    return path


def _pem_file(tmp_path: Path, name: str, public: object) -> Path:
    path = tmp_path / name
    path.write_bytes(keys.pem(public))  # type: ignore[arg-type]
    return path


def test_the_first_signature_records_the_first_key(signed: None, key_file: Path) -> None:
    [first] = LedgerKey.objects.all()

    assert first.key_id == keys.key_id_of(_public(key_file))  # type: ignore[arg-type]
    assert first.previous == ""
    assert set(Head.objects.values_list("key_id", flat=True)) == {first.key_id}


def test_a_rotation_is_signed_by_both_keys_and_the_ledger_still_verifies(
    signed: None, key_file: Path
) -> None:
    old_id = keys.key_id()

    rotation = rotate_key()
    append_many([Record("test.event", "system", "after", {"i": 1})])
    sign_head()

    new_id = keys.key_id_of(_public(key_file))  # type: ignore[arg-type]
    assert (rotation.previous, rotation.key.key_id) == (old_id, new_id)
    assert list(LedgerKey.objects.values_list("key_id", "previous")) == [
        (old_id, ""),
        (new_id, old_id),
    ]
    assert (key_file.parent / f"ledger.pem.{old_id[:12]}.retired").exists()
    assert rotation.head is not None
    assert rotation.head.key_id == new_id
    assert Entry.objects.filter(kind="ledger.key_rotated").count() == 1
    assert list(Head.objects.order_by("size").values_list("key_id", flat=True)) == [
        old_id,
        new_id,
        new_id,
    ]
    report = verify_ledger()
    assert report.ok, report.problems


def test_a_host_with_the_retired_key_refuses_to_sign(
    signed: None, key_file: Path, tmp_path: Path
) -> None:
    old_pem = key_file.read_bytes()
    rotate_key()
    heads = Head.objects.count()
    key_file.unlink()
    key_file.write_bytes(old_pem)  # a host that was not given the new key
    keys.forget_cached_key()
    append_many([Record("test.event", "system", "late", {"i": 2})])

    with pytest.raises(ImproperlyConfigured, match="current key"), transaction.atomic():
        sign_head()
    assert Head.objects.count() == heads


def test_rotating_to_a_given_key_leaves_the_key_file_for_the_operator(
    signed: None, key_file: Path, tmp_path: Path
) -> None:
    given = tmp_path / "next.pem"
    new = keys.write_new_key(given)
    before = key_file.read_bytes()

    rotation = rotate_key(new)

    assert key_file.read_bytes() == before
    assert rotation.key.key_id == keys.key_id_of(new.public_key())
    append_many([Record("test.event", "system", "later", {"i": 3})])
    with pytest.raises(ImproperlyConfigured), transaction.atomic():
        sign_head()  # this host still holds the retired key


@pytest.mark.parametrize("trust", ["old", "new"])
def test_the_standalone_verifier_follows_the_chain_from_either_key(
    signed: None, key_file: Path, tmp_path: Path, trust: str
) -> None:
    old = _public(key_file)
    rotate_key()
    new = _public(key_file)
    append_many([Record("test.event", "system", "after", {"i": 1})])
    sign_head()
    anchor = _pem_file(tmp_path, "trusted.pem", old if trust == "old" else new)

    message = check_export(str(_export(tmp_path)), keys.public_from_pem(anchor.read_bytes()))

    assert f"{Head.objects.count()} signed heads verify" in message


def test_a_forged_key_history_fails(signed: None, key_file: Path, tmp_path: Path) -> None:
    old = _public(key_file)
    rotate_key()
    lines = _export(tmp_path).read_text().splitlines()
    forged = Ed25519PrivateKey.generate().public_key()
    for i, line in enumerate(lines):
        item = json.loads(line)
        if item.get("type") == "key" and item["previous"]:
            item["public_key"] = keys.pem(forged).decode()
            item["key_id"] = keys.key_id_of(forged)
            lines[i] = json.dumps(item)
    path = tmp_path / "forged.jsonl"
    path.write_text("\n".join(lines) + "\n")

    with pytest.raises(VerificationError):
        check_export(str(path), old)  # type: ignore[arg-type]


def test_a_key_the_history_does_not_hold_is_not_trusted(
    signed: None, key_file: Path, tmp_path: Path
) -> None:
    stranger = Ed25519PrivateKey.generate().public_key()

    with pytest.raises(VerificationError, match="not in the key history"):
        check_export(str(_export(tmp_path)), stranger)


def test_a_head_going_back_to_a_retired_key_is_found(signed: None, key_file: Path) -> None:
    old_key = keys.load_private(key_file.read_bytes(), str(key_file))
    old_id = keys.key_id_of(old_key.public_key())
    rotate_key()
    last = Head.objects.order_by("-size").first()
    assert last is not None
    resigned = old_key.sign(signed_bytes(TreeHead(last.size, bytes(last.root), last.timestamp_ms)))
    ledger_triggers("drop")  # DDL is transactional: restored when the test rolls back
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_head SET key_id = %s, signature = %s WHERE size = %s",
            [old_id, resigned, last.size],
        )

    report = verify_ledger()

    assert not report.ok
    assert any("retired key" in p for p in report.problems)


def test_a_members_receipt_carries_the_history(
    signed: None, key_file: Path, tmp_path: Path
) -> None:
    old = _public(key_file)
    rotate_key()
    receipt = ledger_queries.receipt(3)
    assert receipt is not None
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(receipt.as_json()))

    verified = check_receipt(str(path), old)  # type: ignore[arg-type]

    assert len(receipt.as_json()["keys"]) == 2
    assert verified.message.startswith("entry 3 is included")


def test_the_heads_page_and_json_publish_the_history(signed: None, key_file: Path) -> None:
    rotate_key()

    page = Client().get("/ledger/heads/")
    data = Client().get("/ledger/heads.json").json()

    assert [k["key_id"] for k in data["keys"]] == list(
        LedgerKey.objects.values_list("key_id", flat=True)
    )
    for kid in data["keys"]:
        assert kid["key_id"].encode() in page.content


def test_production_has_no_key_unless_one_is_configured(
    db: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACCORD_LEDGER_KEY_FILE", str(tmp_path / "missing.pem"))
    monkeypatch.setenv("ACCORD_LEDGER_KEY_GENERATE", "")
    keys.forget_cached_key()

    with pytest.raises(ImproperlyConfigured, match="ACCORD_LEDGER_KEY_FILE"):
        keys.signing_key()
    served = CliRunner().invoke(app, ["serve"])

    assert served.exit_code == 1
    assert served.stderr.startswith("accord: error: No ledger signing key at")
    assert not (tmp_path / "missing.pem").exists()


def test_the_commands_make_a_key_and_rotate_to_it(
    signed: None, key_file: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    target = tmp_path / "next.pem"

    made = runner.invoke(app, ["ledger", "new-key", "--out", str(target)])
    again = runner.invoke(app, ["ledger", "new-key", "--out", str(target)])
    rotated = runner.invoke(app, ["ledger", "rotate-key", "--new-key", str(target)])
    bad = runner.invoke(app, ["ledger", "rotate-key", "--new-key", str(key_file.parent)])

    assert made.exit_code == 0, made.stderr
    assert again.exit_code == 1
    assert "never overwritten" in again.stderr
    assert rotated.exit_code == 0, rotated.stderr
    assert "Give every app host" in rotated.stdout
    public = serialization.load_pem_private_key(target.read_bytes(), None).public_key()
    assert keys.current() is not None
    assert keys.current().key_id == keys.key_id_of(public)  # type: ignore[union-attr, arg-type]
    assert bad.exit_code == 1
    assert len(bad.stderr.strip().splitlines()) == 1
