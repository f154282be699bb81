"""One size limit for CSV imports (settings.ACCORD_IMPORT_MAX_BYTES), said in the same words
by the page (413), the API (422, or 413 for a body past what Django reads) and the command,
in bytes of UTF-8 whatever door the file comes through; nothing is imported past it."""

import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone
from typer.testing import CliRunner

from accord.cli.app import app
from accord.contributions.models import Contribution
from tests.conftest import Cast, client_for

SMALL = override_settings(ACCORD_IMPORT_MAX_BYTES=1000, DATA_UPLOAD_MAX_MEMORY_SIZE=3000)
REFUSED = "The CSV is 1,001 bytes; an import takes at most 1,000 bytes."


def _csv(cast: Cast, size: int, *, fill: str = "x") -> str:
    """A valid one-row CSV padded (in its description) to `size` bytes, or past it by
    less than a `fill` character."""
    day = (timezone.localdate() - timedelta(days=2)).isoformat()
    head = "source_key,member,kind,title,date,hours,level,description\n"
    row = f"k1,{cast.member.user.email},mentoring,Mentoring,{day},2,3,{{pad}}\n"
    pad = fill * -(-(size - len((head + row.format(pad="")).encode())) // len(fill.encode()))
    return head + row.format(pad=pad)


def _api_import(cast: Cast, text: str) -> tuple[int, dict[str, str]]:
    response = client_for(cast.steward).post(
        "/api/v1/contributions/import",
        json.dumps({"csv": text, "dry_run": False}, ensure_ascii=False),
        content_type="application/json",
    )
    return response.status_code, response.json()


@SMALL
def test_the_page_refuses_a_file_past_the_limit_with_413(cast: Cast) -> None:
    client = client_for(cast.steward)

    def upload(text: str) -> object:
        file = SimpleUploadedFile("c.csv", text.encode(), content_type="text/csv")
        return client.post("/contributions/import/", {"file": file})

    refused = upload(_csv(cast, 1001))
    taken = upload(_csv(cast, 1000))

    assert refused.status_code == 413
    assert REFUSED in refused.content.decode()
    assert taken.status_code == 200
    assert Contribution.objects.count() == 1


@SMALL
def test_the_api_refuses_a_csv_past_the_limit_in_the_same_words(cast: Cast) -> None:
    status, body = _api_import(cast, _csv(cast, 1001))
    taken, _ = _api_import(cast, _csv(cast, 1000))

    assert (status, body) == (422, {"detail": f"csv: {REFUSED}", "code": "invalid"})
    assert taken == 200
    assert Contribution.objects.count() == 1


@SMALL
def test_the_limit_counts_bytes_not_characters(cast: Cast) -> None:
    text = _csv(cast, 1100, fill="é")  # two bytes each

    status, body = _api_import(cast, text)

    assert len(text) < 1000 < len(text.encode())
    assert status == 422
    assert "an import takes at most 1,000 bytes" in body["detail"]


@SMALL
def test_an_api_body_past_what_django_reads_is_a_413(cast: Cast) -> None:
    status, body = _api_import(cast, "x" * 3001)

    assert status == 413
    assert body["code"] == "too_large"
    assert body["detail"] == "The request body is larger than the 3,000 bytes the API takes."


@SMALL
def test_the_command_refuses_a_file_past_the_limit_in_the_same_words(
    cast: Cast, tmp_path: Path
) -> None:
    big, small = tmp_path / "big.csv", tmp_path / "small.csv"
    big.write_text(_csv(cast, 1001))
    small.write_text(_csv(cast, 1000))
    email = cast.steward.user.email

    refused = CliRunner().invoke(app, ["import", "contributions", str(big), "--as", email])
    taken = CliRunner().invoke(app, ["import", "contributions", str(small), "--as", email])

    assert refused.exit_code == 1
    assert f"{big}: {REFUSED}" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert taken.exit_code == 0, taken.output
    assert Contribution.objects.count() == 1


@pytest.mark.slow
def test_a_20_mb_csv_reaches_the_import_as_a_json_string_even_all_escapes(cast: Cast) -> None:
    most = settings.ACCORD_IMPORT_MAX_BYTES
    assert most == 20_000_000

    at_limit, _ = _api_import(cast, "\n" * most)  # each newline is two bytes of JSON
    past, body = _api_import(cast, "\n" * (most + 1))

    assert at_limit == 422  # read and parsed: an empty file has no columns
    assert past == 422
    assert "The CSV is 20.0 MB; an import takes at most 20.0 MB." in body["detail"]
