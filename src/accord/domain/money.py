"""Amounts as integers in a unit's smallest step: cents for EUR, yen for JPY, 1 for credits.

A pool is either money in an ISO 4217 currency or a count of non-monetary units (training
credits, featured spots). Both are held as a Python int of minor units, so sums are exact;
text is converted with string arithmetic only and no float ever touches an amount.
"""

import re
from dataclasses import dataclass

MINOR_UNITS: dict[str, int] = {
    "AED": 2,
    "ARS": 2,
    "AUD": 2,
    "BGN": 2,
    "BHD": 3,
    "BRL": 2,
    "CAD": 2,
    "CHF": 2,
    "CLP": 0,
    "CNY": 2,
    "COP": 2,
    "CZK": 2,
    "DKK": 2,
    "EGP": 2,
    "EUR": 2,
    "GBP": 2,
    "HKD": 2,
    "HUF": 2,
    "IDR": 2,
    "ILS": 2,
    "INR": 2,
    "ISK": 0,
    "JOD": 3,
    "JPY": 0,
    "KES": 2,
    "KRW": 0,
    "KWD": 3,
    "MAD": 2,
    "MXN": 2,
    "MYR": 2,
    "NGN": 2,
    "NOK": 2,
    "NZD": 2,
    "OMR": 3,
    "PHP": 2,
    "PKR": 2,
    "PLN": 2,
    "RON": 2,
    "RSD": 2,
    "SAR": 2,
    "SEK": 2,
    "SGD": 2,
    "THB": 2,
    "TND": 3,
    "TRY": 2,
    "TWD": 2,
    "UAH": 2,
    "USD": 2,
    "VND": 0,
    "XAF": 0,
    "XOF": 0,
    "ZAR": 2,
}
"""Decimal places of the minor unit for common ISO 4217 currencies (ISO 4217 table A.1)."""

MAX_AMOUNT_LENGTH = 40
"""Longest amount text accepted; far beyond any real amount, short enough to parse safely."""

_AMOUNT = re.compile(r"(?P<sign>-?)(?P<whole>[0-9]+)(?:\.(?P<fraction>[0-9]+))?")


@dataclass(frozen=True, slots=True)
class Money:
    """An exact amount: `minor` steps of the smallest unit of `unit` (a currency or a kind)."""

    minor: int
    unit: str

    def __str__(self) -> str:
        return format_amount(self.minor, self.unit)


def minor_units(unit: str) -> int:
    """Return the decimal places of `unit`: ISO 4217's for a known currency, else 0.

    Any unit not in MINOR_UNITS (``training_credit``, ``featured_spot``) counts whole items.
    """
    return MINOR_UNITS.get(unit, 0)


def parse_amount(text: str, unit: str, *, allow_negative: bool = False) -> int:
    """Return the exact minor units written as a plain decimal like ``"12.34"`` or ``"12"``.

    Accepts ASCII digits, an optional single ``.`` followed by at most `minor_units(unit)`
    digits, and a leading ``-`` only when `allow_negative` is true; surrounding spaces are
    ignored. Anything else (exponents, thousands separators, ``.5``, ``5.``, more decimals than
    the unit has) raises ValueError with a message fit to show beside the form field.
    """
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("Enter an amount.")
    if len(cleaned) > MAX_AMOUNT_LENGTH:
        raise ValueError(f"The amount is too long (at most {MAX_AMOUNT_LENGTH} characters).")
    match = _AMOUNT.fullmatch(cleaned)
    if match is None:
        raise ValueError(f"{text!r} is not an amount; write digits with an optional '.'.")
    if match["sign"] and not allow_negative:
        raise ValueError("The amount cannot be negative.")
    places = minor_units(unit)
    fraction = match["fraction"] or ""
    if len(fraction) > places:
        allowed = "no decimals" if places == 0 else f"at most {places} decimal places"
        raise ValueError(f"{unit} amounts take {allowed}; got {cleaned!r}.")
    minor = int(match["whole"] + fraction.ljust(places, "0"))
    return -minor if match["sign"] else minor


def format_amount(minor: int, unit: str) -> str:
    """Return `minor` as ``"12.34 EUR"`` (all of the unit's decimals) or ``"3 training_credit"``.

    The inverse of parse_amount: ``parse_amount(number_part, unit)`` gives `minor` back.
    """
    places = minor_units(unit)
    sign = "-" if minor < 0 else ""
    whole, fraction = divmod(abs(minor), 10**places)
    number = f"{whole}.{fraction:0{places}d}" if places else str(whole)
    return f"{sign}{number} {unit}"
