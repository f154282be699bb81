"""Every CSV export defuses spreadsheet formulas and is never cached."""

import csv
import io

import pytest

from accord.people import services as people
from accord.people.models import ConsentSource, Purpose
from accord.people.schemas import ConsentIn, ProfilePatch
from accord.web.csvfiles import safe_cell
from tests.conftest import Cast, client_for


@pytest.mark.parametrize("text", ["=HYPERLINK(1)", "+1", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_it_quotes_cells_a_spreadsheet_would_run(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Ana", "", 42, -3, "a=b"])
def test_it_leaves_other_cells_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_the_member_export_defuses_a_formula_in_a_name(cast: Cast) -> None:
    people.update_profile(cast.other, ProfilePatch(display_name='=HYPERLINK("http://x","y")'))
    people.set_consent(
        cast.other, Purpose.MEMBER_DIRECTORY, ConsentIn(granted=True), source=ConsentSource.WEB
    )

    response = client_for(cast.member).get("/members/export.csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    names = [row[1] for row in rows[1:]]
    assert '\'=HYPERLINK("http://x","y")' in names
    assert response["Cache-Control"] == "no-store"
