"""Money is Decimal in öre; rounding happens only where a rule or the display asks for it."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ORE = Decimal("0.01")
KRONA = Decimal("1")


def to_ore(value: Decimal | int | str) -> Decimal:
    return Decimal(value).quantize(ORE, rounding=ROUND_HALF_UP)


def round_to(value: Decimal, step: Decimal) -> Decimal:
    """Round half up to a multiple of step (100 for whole hundreds of kronor)."""
    return (value / step).quantize(KRONA, rounding=ROUND_HALF_UP) * step


def from_ore(ore: int) -> Decimal:
    return Decimal(ore).scaleb(-2)


def ore_of(amount: Decimal) -> int:
    """Whole öre of an amount that has at most two decimals (anything finer is an error, not rounded away)."""
    ore = amount.scaleb(2)
    if ore != ore.to_integral_value():
        raise ValueError(f"{amount} has more than two decimals")
    return int(ore)


def json_amount(value: Decimal) -> str:
    """Amounts in report JSON: a string with exactly two decimals, never a float."""
    return f"{to_ore(value):.2f}"


_GROUPING = re.compile(r"[\s\u00a0\u202f]")
_AMOUNT = re.compile(r"^-?\d+(?:[.,]\d+)?$")


def parse_amount(text: str) -> Decimal:
    """An amount as people write it: "1 234 567,50", "1234567.50", "-504 695" (also with U+2212 minus).

    Spaces (also no-break and narrow no-break) group thousands; a comma or a point separates the decimals.
    Anything else raises ValueError, never a guess.
    """
    cleaned = _GROUPING.sub("", text.strip()).replace("\u2212", "-")
    if not _AMOUNT.match(cleaned):
        raise ValueError(f"{text!r} is not an amount")
    try:
        return Decimal(cleaned.replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
