"""The template filters that format money and points."""

from fractions import Fraction

from accord.web.templatetags.accord_format import fraction, money, points


def test_money_uses_the_units_decimals() -> None:
    assert money(5366, "EUR") == "53.66 EUR"
    assert money(1, "JPY") == "1 JPY"
    assert money(3, "training_credit") == "3 training_credit"
    assert money(None, "EUR") == "—"


def test_points_show_hundredths() -> None:
    assert points(12400) == "124.00"
    assert points(-1205) == "-12.05"
    assert points(123456789) == "1,234,567.89"
    assert points(None) == "—"


def test_fractions_show_two_decimals_rounded_half_up() -> None:
    assert fraction(Fraction(29, 10)) == "2.90"
    assert fraction(Fraction(7, 2)) == "3.50"
    assert fraction(Fraction(1, 3)) == "0.33"
    assert fraction(Fraction(1, 200)) == "0.01"
    assert fraction(None) == "—"
