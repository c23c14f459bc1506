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


_AMOUNT = re.compile(
    r"^-?(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:[.,]\d+)?$"
)  # a space (also no-break or narrow no-break) only between groups of three digits


MAX_AMOUNT = Decimal("999999999999.99")  # the largest amount a ledger, budget or contribution field holds


class AmountTooLarge(ValueError):
    """An amount beyond MAX_AMOUNT (in either direction)."""


def parse_amount(text: str) -> Decimal:
    """An amount as people write it: "1 234 567,50", "1234567.50", "-504 695" (also with U+2212 minus).

    A space (also no-break and narrow no-break) separates thousands only between groups of three digits of
    the whole kronor ("1 234", "160 000,00"); "12 34" is refused, not read as 1234. A comma or a point
    separates the decimals. Anything else raises ValueError, never a guess; an amount beyond MAX_AMOUNT
    raises AmountTooLarge (a ValueError), before anything computes with it.
    """
    cleaned = text.strip().replace("\u2212", "-")
    if not _AMOUNT.match(cleaned):
        raise ValueError(f"{text!r} is not an amount")
    try:
        amount = Decimal(re.sub(r"[ \u00a0\u202f]", "", cleaned).replace(",", "."))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount") from None
    if abs(amount) > MAX_AMOUNT:
        raise AmountTooLarge(f"{text!r} is beyond {MAX_AMOUNT}")
    return amount
