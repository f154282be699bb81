"""The one way Accord writes CSV: cells a spreadsheet would run as a formula are defused.

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is prefixed with
a single quote (OWASP's advice against CSV injection), so a display name like
``=HYPERLINK(...)`` reaches the treasurer's spreadsheet as text. Numbers stay numbers: a
cell is only touched when it is a string.
"""

import csv
from collections.abc import Iterable, Sequence
from typing import Any, Protocol

from django.http import HttpResponse

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def safe_cell(value: object) -> object:
    """`value`, with a leading quote if it is text a spreadsheet would evaluate."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def write_csv(out: _Writable, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows([safe_cell(v) for v in row] for row in rows)


def csv_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]
) -> HttpResponse:
    """A CSV download that no cache keeps (exports hold people's data)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    write_csv(response, header, rows)
    return response
