"""The `accord document` commands, run in process."""

from pathlib import Path

from typer.testing import CliRunner, Result

from accord.cli.app import app
from accord.governance.models import Document, ProposedChange
from accord.people.models import Member
from tests.conftest import Cast
from tests.governance.documents_setup import CHANGED, FIRST, decided, document, proposal


def _run(member: Member | None, *args: str) -> Result:
    tail = ["--as", member.user.email] if member is not None and member.user else []
    return CliRunner().invoke(app, ["document", *args, *tail])


def test_a_document_from_creation_to_an_accepted_change(cast: Cast, tmp_path: Path) -> None:
    first, changed = tmp_path / "first.txt", tmp_path / "changed.txt"
    first.write_text(FIRST)
    changed.write_text(CHANGED)

    made = _run(cast.steward, "create", "Open plan", "--kind", "plan", "--text", str(first))
    proposed = _run(cast.member, "propose", "open-plan", "--text", str(changed), "--summary", "M")
    pk = ProposedChange.objects.get().pk
    accepted = _run(cast.steward, "accept", "open-plan", str(pk))
    shown = _run(None, "show", "open-plan")
    diff = _run(None, "diff", "open-plan")

    assert (made.exit_code, proposed.exit_code, accepted.exit_code) == (0, 0, 0), made.output
    assert "revision 2 of open-plan" in accepted.output
    assert "Readability" in shown.output
    assert "[-each-]" in diff.output
    assert "{+every+}" in diff.output
    assert Document.objects.get().revisions.count() == 2


def test_a_governed_document_is_not_revised_from_the_command_line(
    cast: Cast, tmp_path: Path
) -> None:
    doc = document(cast)
    text = tmp_path / "t.txt"
    text.write_text(CHANGED)

    result = _run(cast.steward, "revise", doc.slug, "--text", str(text), "--summary", "s")

    assert result.exit_code != 0
    assert result.stderr.startswith("accord: error: This document is governed")
    assert doc.revisions.count() == 1


def test_a_change_is_decided_and_adopted_from_the_command_line(cast: Cast) -> None:
    doc = document(cast)
    change = proposal(cast, doc)

    put = _run(cast.steward, "decide", doc.slug, str(change.pk), "--closes", "2099-01-01T00:00Z")
    change.refresh_from_db()
    early = _run(cast.steward, "adopt", doc.slug, str(change.pk))
    decided(cast, change.decision)  # type: ignore[arg-type]
    adopted = _run(cast.steward, "adopt", doc.slug, str(change.pk))

    assert put.exit_code == 0
    assert f"decision {change.decision_id}" in put.output
    assert early.exit_code != 0
    assert "has not closed yet" in early.stderr
    assert adopted.exit_code == 0
    assert "revision 2" in adopted.output
