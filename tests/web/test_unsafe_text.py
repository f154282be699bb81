"""A NUL character in a page's search or filter finds nothing instead of failing (PostgreSQL
cannot compare text with one): the reads treat text that could never be stored as
matching nothing."""

import pytest

from tests.conftest import Cast, client_for


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/members/?q=Mo%00", 200),
        ("/members/Mo%00/", 404),
        ("/ledger/?kind=consent.changed%00", 200),
        ("/me/receipts/?kind=%00", 200),
    ],
)
def test_a_nul_in_a_filter_or_a_handle_finds_nothing(cast: Cast, path: str, status: int) -> None:
    assert client_for(cast.steward).get(path).status_code == status
