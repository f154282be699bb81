import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.domain.money import MINOR_UNITS, Money, format_amount, minor_units, parse_amount

UNITS = ["EUR", "USD", "JPY", "BHD", "training_credit"]


def test_it_knows_the_minor_units_of_common_currencies() -> None:
    assert minor_units("EUR") == 2
    assert minor_units("USD") == 2
    assert minor_units("GBP") == 2
    assert minor_units("CHF") == 2
    assert minor_units("SEK") == 2
    assert minor_units("JPY") == 0
    assert minor_units("KWD") == 3
    assert all(len(code) == 3 and code.isupper() for code in MINOR_UNITS)


def test_it_counts_non_currency_units_whole() -> None:
    assert minor_units("training_credit") == 0
    assert minor_units("featured_spot") == 0


@pytest.mark.parametrize(
    ("text", "unit", "minor"),
    [
        ("12.34", "EUR", 1234),
        ("12", "EUR", 1200),
        ("0.5", "EUR", 50),
        ("0.05", "USD", 5),
        (" 7.10 ", "GBP", 710),
        ("1000", "JPY", 1000),
        ("1.234", "BHD", 1234),
        ("3", "training_credit", 3),
        ("0", "EUR", 0),
        ("123456789012345678901234567890.12", "EUR", 12345678901234567890123456789012),
    ],
)
def test_it_parses_exact_decimals(text: str, unit: str, minor: int) -> None:
    assert parse_amount(text, unit) == minor


@pytest.mark.parametrize(
    ("text", "unit", "message"),
    [
        ("12.345", "EUR", "at most 2 decimal places"),
        ("12.5", "JPY", "no decimals"),
        ("1.5", "training_credit", "no decimals"),
        ("-1.00", "EUR", "cannot be negative"),
        ("", "EUR", "Enter an amount"),
        ("   ", "EUR", "Enter an amount"),
        ("1e3", "EUR", "not an amount"),
        ("1,000", "EUR", "not an amount"),
        ("1_000", "EUR", "not an amount"),
        (".5", "EUR", "not an amount"),
        ("5.", "EUR", "not an amount"),
        ("+5", "EUR", "not an amount"),
        ("١٢", "EUR", "not an amount"),
        ("nan", "EUR", "not an amount"),
        ("1" * 41, "EUR", "too long"),
    ],
)
def test_it_rejects_what_is_not_an_exact_amount(text: str, unit: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_amount(text, unit)


def test_it_parses_negatives_only_when_allowed() -> None:
    assert parse_amount("-1.05", "EUR", allow_negative=True) == -105
    assert parse_amount("-0", "EUR", allow_negative=True) == 0


@pytest.mark.parametrize(
    ("minor", "unit", "text"),
    [
        (1234, "EUR", "12.34 EUR"),
        (5, "EUR", "0.05 EUR"),
        (-105, "USD", "-1.05 USD"),
        (1000, "JPY", "1000 JPY"),
        (3, "training_credit", "3 training_credit"),
        (1, "KWD", "0.001 KWD"),
    ],
)
def test_it_formats_all_decimals_of_the_unit(minor: int, unit: str, text: str) -> None:
    assert format_amount(minor, unit) == text


def test_money_reads_as_its_formatted_amount() -> None:
    assert str(Money(minor=1234, unit="EUR")) == "12.34 EUR"


@settings(deadline=None)
@given(st.integers(-(10**30), 10**30), st.sampled_from(UNITS))
def test_format_and_parse_round_trip(minor: int, unit: str) -> None:
    number, _, shown_unit = format_amount(minor, unit).partition(" ")

    assert shown_unit == unit
    assert parse_amount(number, unit, allow_negative=True) == minor
