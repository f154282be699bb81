"""Documents attached to an agreement: stewards attach files of a checked type and size;
office holders and the partner's own representatives read them; refusals change nothing."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from typer.testing import CliRunner

from accord.cli.app import app
from accord.domain.documents import DOCUMENT_MAX_BYTES, check_document
from accord.domain.errors import Forbidden, InvalidInput
from accord.ledger.models import Entry
from accord.partners import queries, services
from accord.partners.models import Agreement, Document
from accord.partners.schemas import AgreementIn, DocumentIn
from tests.conftest import Cast, client_for
from tests.factories import make_partner_rep

PDF = b"%PDF-1.7\n" + b"0" * 100


def _agreement(cast: Cast) -> Agreement:
    return services.create_agreement(
        cast.steward,
        AgreementIn(partner=cast.partner.slug, title="T", purpose="P", reasons=["networks"]),
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("terms.pdf", b"", "empty"),
        ("terms.pdf", b"%PDF" + b"0" * DOCUMENT_MAX_BYTES, "at most"),
        ("terms.exe", b"MZ...", "one of these types"),
        ("terms.pdf", b"<html>not a pdf</html>", "not a .pdf"),
        ("terms.txt", b"\x00\x01binary", "not a .txt"),
        ("terms.png", PDF, "not a .png"),
        ("", PDF, "plain name"),
        ("../../etc/passwd.txt", b"x", "plain name"),
        ("x" * 157 + ".pdf", PDF, "plain name"),
    ],
)
def test_files_of_the_wrong_type_or_size_are_refused(
    name: str, content: bytes, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        check_document(name, content)


def test_accepted_files_are_typed_by_their_content() -> None:
    assert check_document("terms.PDF", PDF) == "application/pdf"
    assert check_document("notes.md", "Résumé".encode()) == "text/plain; charset=utf-8"


def test_a_steward_attaches_a_document_and_the_partner_reads_it(cast: Cast) -> None:
    agreement = _agreement(cast)

    upload = client_for(cast.steward).post(
        f"/api/v1/agreements/{agreement.pk}/documents",
        {"file": SimpleUploadedFile("terms.pdf", PDF, content_type="text/html")},
    )
    doc = Document.objects.get()
    by_partner = client_for(cast.partner_rep).get(f"/api/v1/agreements/documents/{doc.pk}")
    by_other = client_for(make_partner_rep(cast.other_partner)).get(
        f"/api/v1/agreements/documents/{doc.pk}"
    )
    by_member = client_for(cast.member).get(f"/api/v1/agreements/{agreement.pk}/body").json()

    assert upload.status_code == 201
    assert upload.json()["content_type"] == "application/pdf"  # from the content, not the client
    assert by_partner.status_code == 200
    assert by_partner.content == PDF
    assert by_partner["Content-Disposition"].startswith("attachment")
    assert by_other.status_code == 403
    assert by_member["documents"] == []
    entry = json.loads(bytes(Entry.objects.get(kind="agreement.document").data))["payload"]
    assert entry["size"] == len(PDF)
    assert "terms" not in json.dumps(entry)
    html = render_to_string(
        "partners/_agreement_body.html",
        {"body": queries.agreement_body(agreement, cast.partner_rep)},
    )
    assert "terms.pdf" in html


def test_refused_attachments_change_nothing(cast: Cast) -> None:
    agreement = _agreement(cast)
    entries = Entry.objects.count()

    with pytest.raises(Forbidden):
        services.attach_document(
            cast.partner_rep, agreement.pk, DocumentIn(name="ours.pdf", content=PDF)
        )
    with pytest.raises(InvalidInput):
        services.attach_document(
            cast.steward, agreement.pk, DocumentIn(name="ours.pdf", content=b"nope")
        )
    bad = client_for(cast.steward).post(
        f"/api/v1/agreements/{agreement.pk}/documents",
        {"file": SimpleUploadedFile("big.txt", b"x" * (DOCUMENT_MAX_BYTES + 1))},
    )

    assert bad.status_code == 422
    assert "at most" in bad.json()["detail"]
    assert not Document.objects.exists()
    assert Entry.objects.count() == entries


def test_the_command_line_attaches_reviews_amends_and_sets_roles(
    cast: Cast, tmp_path: Path
) -> None:
    agreement = _agreement(cast)
    steward = ["--as", cast.steward.user.email]
    good, bad = tmp_path / "terms.pdf", tmp_path / "fake.pdf"
    good.write_bytes(PDF)
    bad.write_bytes(b"not a pdf")
    run = CliRunner().invoke
    pk = str(agreement.pk)

    attached = run(app, ["partner", "attach", pk, str(good), *steward])
    refused = run(app, ["partner", "attach", pk, str(bad), *steward])
    review = run(app, ["partner", "review", pk, "--every", "12", *steward])
    amend = run(app, ["partner", "amend", pk, "Sharper purpose", "--purpose", "New.", *steward])
    role = run(
        app,
        ["partner", "role", pk, "Budget", "--party", "community", "--leads", "Treasurer",
         "--decides", "Members' vote", *steward],
    )  # fmt: skip
    forbidden = run(app, ["partner", "review", pk, "--every", "3", "--as", cast.member.user.email])

    assert [attached.exit_code, review.exit_code, amend.exit_code, role.exit_code] == [0] * 4
    assert "version 2" in amend.stdout
    assert refused.exit_code == forbidden.exit_code == 1
    assert "not a .pdf" in refused.stderr
    assert Document.objects.count() == 1
    agreement.refresh_from_db()
    assert (agreement.review_every_months, agreement.purpose) == (12, "New.")
