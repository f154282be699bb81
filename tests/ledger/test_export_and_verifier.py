"""The export, the standalone verifier and receipts, checked outside the application."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.test import Client

import accord
from accord.benefits.models import Statement
from accord.benefits.schemas import CommitIn
from accord.benefits.services import commit_distribution
from accord.domain import merkle
from accord.ledger import keys, queries
from accord.ledger.services import Record, append_many, sign_head
from tests.benefits import conftest as benefits_fixtures
from tests.benefits.conftest import Community, make_pool
from tests.conftest import run_python

SITE_PACKAGES = Path(__import__("cryptography").__file__).parent.parent
ACCORD_SRC = Path(accord.__file__).parent


@pytest.fixture
def only_stdlib_and_cryptography(tmp_path: Path) -> Path:
    """A path with nothing but accord's own source and cryptography (and what it loads)."""
    path = tmp_path / "isolated"
    path.mkdir()
    (path / "accord").symlink_to(ACCORD_SRC)
    for name in (
        "cryptography",
        "cffi",
        "_cffi_backend.cpython-313-x86_64-linux-gnu.so",
        "pycparser",
    ):
        if (SITE_PACKAGES / name).exists():
            (path / name).symlink_to(SITE_PACKAGES / name)
    for found in SITE_PACKAGES.glob("_cffi_backend*.so"):
        if not (path / found.name).exists():
            (path / found.name).symlink_to(found)
    return path


community = benefits_fixtures.community


def run_verifier(isolated: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # -S: no site-packages, so Django and the rest of the app's dependencies are absent.
    env = {"PYTHONPATH": str(isolated), "PATH": os.environ.get("PATH", "")}
    return run_python("-S", "-m", "accord.verifier", *args, env=env, timeout=60)


@pytest.fixture
def exported(db: None, tmp_path: Path) -> tuple[Path, Path]:
    append_many(
        [
            Record("test.event", "system", f"m-{i:016x}", {"amount": i, "note": "café"})
            for i in range(700)
        ]
    )
    sign_head()
    append_many([Record("test.event", "system", "m-x", {"i": i}) for i in range(33)])
    sign_head()
    export = tmp_path / "ledger.jsonl"
    export.write_text("\n".join(queries.export_lines()) + "\n", encoding="utf-8")
    key = tmp_path / "key.pem"
    key.write_bytes(keys.public_pem())
    return export, key


def test_the_verifier_needs_only_the_standard_library_and_cryptography(
    only_stdlib_and_cryptography: Path, tmp_path: Path
) -> None:
    probe = run_python(
        "-S", "-c", "import django", env={"PYTHONPATH": str(only_stdlib_and_cryptography)}
    )

    assert probe.returncode != 0  # the isolated path really lacks Django


def test_an_export_verifies_offline(
    exported: tuple[Path, Path], only_stdlib_and_cryptography: Path
) -> None:
    export, key = exported

    result = run_verifier(only_stdlib_and_cryptography, str(export), "--key", str(key))

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "OK: 733 entries and 2 signed heads verify"


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (
            lambda lines: [x for x in lines if not x.startswith('{"type": "entry", "seq": 99,')],
            "entry 99 is missing",
        ),
        (
            lambda lines: [line.replace('\\"amount\\":5,', '\\"amount\\":6,') for line in lines],
            "root does not match",
        ),
        (
            lambda lines: [
                x.replace('"root": "', '"root": "00') if '"head"' in x else x for x in lines
            ],
            "malformed head",
        ),
    ],
)
def test_a_tampered_export_fails(
    exported: tuple[Path, Path], only_stdlib_and_cryptography: Path, tamper, reason: str
) -> None:  # type: ignore[no-untyped-def]
    export, key = exported
    lines = export.read_text(encoding="utf-8").splitlines()
    export.write_text("\n".join(tamper(lines)) + "\n", encoding="utf-8")

    result = run_verifier(only_stdlib_and_cryptography, str(export), "--key", str(key))

    assert result.returncode == 1
    assert reason in result.stderr


def test_another_key_fails(
    exported: tuple[Path, Path], only_stdlib_and_cryptography: Path, tmp_path: Path
) -> None:

    export, _ = exported
    other = tmp_path / "other.pem"
    other.write_bytes(
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )

    result = run_verifier(only_stdlib_and_cryptography, str(export), "--key", str(other))

    assert result.returncode == 1
    assert "is not in the key history" in result.stderr


def test_a_members_receipt_verifies_offline_and_a_forged_one_does_not(
    exported: tuple[Path, Path], only_stdlib_and_cryptography: Path, tmp_path: Path
) -> None:
    _, key = exported
    receipt = Client().get("/ledger/entries/512/receipt.json").json()
    good = tmp_path / "receipt.json"
    good.write_text(json.dumps(receipt), encoding="utf-8")
    forged = tmp_path / "forged.json"
    receipt["entry"] = receipt["entry"].replace('"amount":512', '"amount":99999')
    forged.write_text(json.dumps(receipt), encoding="utf-8")

    ok = run_verifier(only_stdlib_and_cryptography, str(good), "--receipt", "--key", str(key))
    bad = run_verifier(only_stdlib_and_cryptography, str(forged), "--receipt", "--key", str(key))

    assert ok.returncode == 0, ok.stderr
    assert "entry 512 is included in the signed head at size 733" in ok.stdout
    assert bad.returncode == 1
    assert "not included" in bad.stderr


def test_the_cli_export_writes_entries_and_heads(exported: tuple[Path, Path]) -> None:
    export, _ = exported
    kinds = [json.loads(line)["type"] for line in export.read_text().splitlines()]

    assert kinds[0] == "ledger"
    assert kinds.count("entry") == 733
    assert kinds.count("head") == 2


def test_the_api_serves_entries_receipts_heads_consistency_and_key(
    exported: tuple[Path, Path],
) -> None:
    client = Client()

    entries = client.get("/api/v1/ledger/entries?limit=5").json()
    receipt = client.get("/api/v1/ledger/entries/3/receipt").json()
    heads = client.get("/api/v1/ledger/heads").json()
    proof = client.get("/api/v1/ledger/consistency?old=700&new=733").json()
    bad = client.get("/api/v1/ledger/consistency?old=701&new=733")
    key = client.get("/api/v1/ledger/key")
    missing = client.get("/api/v1/ledger/entries/99999/receipt")

    assert entries["count"] == 733
    assert [json.loads(e["entry"])["seq"] for e in entries["items"]] == [732, 731, 730, 729, 728]
    assert receipt["head"]["size"] == 733
    assert [h["size"] for h in heads["items"]] == [733, 700]
    roots = {h["size"]: bytes.fromhex(h["root"]) for h in heads["items"]}
    assert merkle.verify_consistency(
        700, 733, roots[700], roots[733], [bytes.fromhex(h) for h in proof["proof"]]
    )
    assert bad.status_code == 404
    assert key.content == keys.public_pem()
    assert missing.status_code == 404
    assert set(missing.json()) == {"detail", "code"}


def test_the_ledger_pages_show_entries_proofs_and_feeds(exported: tuple[Path, Path]) -> None:
    client = Client()

    listing = client.get("/ledger/?kind=test.event").content.decode()
    entry = client.get("/ledger/entries/5/").content.decode()
    atom = client.get("/ledger/heads.atom")
    bad_date = client.get("/ledger/?since=yesterday")

    assert "733 entries" in listing
    assert "Inclusion proof" in entry
    assert atom["Content-Type"].startswith("application/atom+xml")
    assert b"Tree head at size 733" in atom.content
    assert bad_date.status_code == 400
    assert "YYYY-MM-DD" in bad_date.content.decode()


def test_a_members_bundle_and_the_auditor_export_verify_offline_with_the_standard_library(
    community: Community, only_stdlib_and_cryptography: Path, tmp_path: Path
) -> None:
    """Both re-derive statements on a path without numpy, Django or the app's packages."""
    pool = make_pool(community.cast, community.policy, name="Offline", amount=77_777)
    commit_distribution(community.cast.treasurer, pool.slug, CommitIn(key="offline-1"))
    key = tmp_path / "key.pem"
    key.write_bytes(keys.public_pem())
    bundle = tmp_path / "bundle.json"
    bundle.write_text(json.dumps(queries.receipt_bundle(community.members[2].pk)), "utf-8")
    auditor = tmp_path / "auditor.jsonl"
    auditor.write_text("\n".join(queries.auditor_export_lines()) + "\n", encoding="utf-8")
    no_numpy = run_python(
        "-S", "-c", "import numpy", env={"PYTHONPATH": str(only_stdlib_and_cryptography)}
    )

    member = run_verifier(
        only_stdlib_and_cryptography, str(bundle), "--receipt", "--key", str(key)
    )
    audit = run_verifier(
        only_stdlib_and_cryptography, str(auditor), "--auditor", "--key", str(key)
    )

    assert no_numpy.returncode != 0
    assert member.returncode == 0, member.stderr
    assert "1 statements re-derive" in member.stdout
    assert audit.returncode == 0, audit.stderr
    assert f"{Statement.objects.count()} statements re-derive" in audit.stdout
