"""Swedish number and date formats for what people read: "2 238 400", "−504 695" (a true minus, U+2212),
"30 augusti 2024", "75 %"; in messages "−12 771,00" and "2024-02-10 14:05" in local time. Machine formats
(report JSON, SIE, XLSX cells) never go through here: they keep plain numbers and the ASCII minus."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

NBSP = "\u00a0"
MINUS = "\u2212"
MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)


def _group(digits: str) -> str:
    parts: list[str] = []
    while len(digits) > 3:
        parts.insert(0, digits[-3:])
        digits = digits[:-3]
    parts.insert(0, digits)
    return NBSP.join(parts)


def number(value: Decimal | int, decimals: int = 0) -> str:
    """Group thousands with a no-break space, a decimal comma and the minus sign U+2212, as print sets it."""
    exponent = Decimal(1).scaleb(-decimals)
    rounded = Decimal(value).quantize(exponent, rounding=ROUND_HALF_UP)
    sign = MINUS if rounded < 0 else ""
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    text = _group(whole)
    if decimals:
        text += "," + fraction.ljust(decimals, "0")
    return sign + text


def kronor(value: Decimal | int) -> str:
    return number(value, 0)


def amount_text(value: Decimal | int, decimals: int = 2) -> str:
    """An amount in a sentence, to the öre unless told: "−12 771,00"."""
    return number(value, decimals)


def percent(value: Decimal | float | int, decimals: int = 0) -> str:
    """A share (0.75) as "75 %"."""
    return f"{number(Decimal(str(value)) * 100, decimals)}{NBSP}%"


def long_date(value: dt.date) -> str:
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def join_words(items: list[str]) -> str:
    """ "A, B och C", as Swedish lists are written."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} och {items[-1]}"


def local_time(value: dt.datetime) -> str:
    """A moment as "2024-02-10 14:05" in the installation's time zone (the database keeps UTC)."""
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"
