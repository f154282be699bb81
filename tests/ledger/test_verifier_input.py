"""The standalone verifier names what is wrong with a malformed file, never crashes: two
inputs that once raised past it (a head time out of range, a receipt whose entry is not
JSON). Random malformed bundles and exports: tests/benefits/test_rederive.py."""

import json
from pathlib import Path

import pytest

from accord.domain.treehead import TreeHead, signed_bytes
from accord.ledger import keys
from accord.ledger import queries as ledger_queries
from accord.ledger.services import Record, append_many, sign_head
from accord.verifier.check import VerificationError, check_export, check_receipt


@pytest.fixture
def signed(db: None) -> None:
    append_many([Record("test.event", "system", f"s-{i}", {"i": i}) for i in range(20)])
    sign_head()


def test_a_head_time_out_of_range_is_named(signed: None, tmp_path: Path) -> None:
    lines = [json.loads(line) for line in ledger_queries.export_lines()]
    for item in lines:
        if item["type"] == "head":
            item["timestamp_ms"] = -1
    path = tmp_path / "ledger.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in lines) + "\n")

    with pytest.raises(VerificationError, match="malformed head"):
        check_export(str(path), keys.public_from_pem(keys.public_pem()))


def test_a_receipt_whose_entry_is_not_json_is_named(signed: None, tmp_path: Path) -> None:
    receipt = ledger_queries.receipt(3)
    assert receipt is not None
    data = receipt.as_json() | {"entry": "ff"}
    path = tmp_path / "receipt.json"
    path.write_text(json.dumps(data))

    with pytest.raises(VerificationError, match="not JSON"):
        check_receipt(str(path), keys.public_from_pem(keys.public_pem()))


@pytest.mark.parametrize(("size", "time"), [(-1, 0), (0, -1), (1 << 64, 0), (0, 1 << 64)])
def test_a_tree_head_out_of_range_has_no_signed_form(size: int, time: int) -> None:
    with pytest.raises(ValueError, match="unsigned 64-bit"):
        signed_bytes(TreeHead(size, b"\0" * 32, time))
