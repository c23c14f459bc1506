"""Account selections of statement rows: "3510", "4000-7999", "3611,3612,3700-3799"; objects as "6:ENTER"."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART = re.compile(r"^(\d{1,10})(?:-(\d{1,10}))?$")
_OBJECT = re.compile(r"^([^:\s]+):(.+)$")


class SpecError(ValueError):
    def __init__(self, value: str, expected: str) -> None:
        super().__init__(f"{value!r}: {expected}")
        self.value = value
        self.expected = expected


@dataclass(frozen=True)
class AccountRange:
    low: int
    high: int

    def __contains__(self, account: object) -> bool:
        return isinstance(account, int) and self.low <= account <= self.high


def parse_accounts(text: str) -> tuple[AccountRange, ...]:
    ranges = []
    for raw in text.split(","):
        part = raw.strip()
        match = _PART.match(part)
        if not match:
            raise SpecError(
                part, "ett kontonummer, ett intervall som 4000-7999 eller en kommaseparerad lista av dem"
            )
        low = int(match.group(1))
        high = int(match.group(2) or low)
        if high < low:
            raise SpecError(part, "ett intervall där första kontot inte är större än det andra")
        ranges.append(AccountRange(low, high))
    return tuple(ranges)


def parse_object(text: str) -> tuple[str, str]:
    match = _OBJECT.match(text.strip())
    if not match:
        raise SpecError(text, "dimension och objekt som DIM:OBJEKT, till exempel 6:ENTER")
    return match.group(1), match.group(2)


# BAS: classes 1 (assets) and 2 (equity and liabilities) carry balances; the others make the result. An
# account's class is its first digit, whatever its length (some ledgers use five- or six-digit accounts).
BALANCE_CLASSES = "12"
MAX_ACCOUNT_DIGITS = 10
# 8999 "Årets resultat": the closing entry that moves the year's result to equity (2099). It is no income or
# cost, so the statements leave it out and take the result from the result accounts themselves.
RESULT_CLOSING_ACCOUNT = 8999


def is_balance_account(account: int) -> bool:
    return str(account)[0] in BALANCE_CLASSES


def balance_account_ranges() -> list[tuple[int, int]]:
    """The balance accounts as integer ranges (low, high exclusive), one per length of account number."""
    return [(10 ** (n - 1), 3 * 10 ** (n - 1)) for n in range(1, MAX_ACCOUNT_DIGITS + 1)]


# Where a voucher row goes whose account in the file is no number (SoftOne writes FEL for an account it could
# not map): no statement row takes it, so it shows in "Ej fördelat på rad" and the statements still reconcile.
NOT_A_NUMBER_ACCOUNT = 0
