"""Records from the fields of a line: each label's fields typed and checked, and its record made.

A field that is missing or does not read as what its place expects raises :class:`BadField`, which the
reader reports with the line, the column and what was expected.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

from .model import (
    Account,
    AccountKind,
    AccountType,
    AccountUnit,
    Address,
    Balance,
    BalanceKind,
    ChartType,
    Checksum,
    Comment,
    CompanyId,
    CompanyName,
    CompanyType,
    Coverage,
    Currency,
    Dimension,
    FiscalYear,
    Flag,
    Format,
    Generated,
    IndustryCode,
    ObjectDef,
    ObjectList,
    OrgNumber,
    Program,
    Record,
    RowKind,
    SieType,
    SruCode,
    TaxYear,
    Transaction,
    Voucher,
)
from .tokens import Item

# An amount: what Decimal reads among digits, a minus and a point, with at most two decimals and at most 19
# characters (so that the sum of a voucher's rows is exact in the default precision of 28 digits).
AMOUNT_SYNTAX = r"-?(?:[0-9]+(?:\.[0-9]{0,2})?|\.[0-9]{1,2})"
_AMOUNT = re.compile(rf"(?=.{{1,19}}\Z){AMOUNT_SYNTAX}").fullmatch
_QUANTITY = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
_INTEGER = re.compile(r"-?[0-9]+").fullmatch
_DIGITS = re.compile(r"[0-9]+").fullmatch

_T = TypeVar("_T")
Parsed = Record | Transaction


class Usage(Protocol):
    """What a reading keeps that the fields add to: the dates it has read, the accounts and objects used."""

    accounts_used: set[str]
    objects_used: set[tuple[int, str]]

    def date(self, value: str) -> dt.date | None: ...


def to_date(value: str) -> dt.date | None:
    if len(value) != 8 or not _DIGITS(value):
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


class BadField(Exception):
    def __init__(self, index: int, expected: str, missing: bool = False) -> None:
        super().__init__(index, expected)
        self.index = index
        self.expected = expected
        self.missing = missing


class Fields:
    """Typed access to the fields of one line; a bad field raises :class:`BadField`."""

    __slots__ = ("items", "line", "parser")

    def __init__(self, parser: Usage, line: int, items: Sequence[Item]) -> None:
        self.parser = parser
        self.line = line
        self.items = items

    def _string(self, index: int, expected: str) -> str:
        if index >= len(self.items):
            raise BadField(index, expected, missing=True)
        value = self.items[index]
        if not isinstance(value, str):
            raise BadField(index, expected)
        return value

    def _has(self, index: int) -> bool:
        return index < len(self.items) and self.items[index] != ""

    def text(self, index: int) -> str:
        return self._string(index, "text")

    def opt_text(self, index: int) -> str:
        return self._string(index, "text") if index < len(self.items) else ""

    def date(self, index: int, expected: str = "date") -> dt.date:
        value = self.parser.date(self._string(index, expected))
        if value is None:
            raise BadField(index, expected)
        return value

    def opt_date(self, index: int) -> dt.date | None:
        return self.date(index, "optional_date") if self._has(index) else None

    def integer(self, index: int, expected: str = "integer") -> int:
        value = self._string(index, expected)
        if not _INTEGER(value):
            raise BadField(index, expected)
        return int(value)

    def opt_integer(self, index: int) -> int | None:
        return self.integer(index) if self._has(index) else None

    def year(self, index: int) -> int:
        value = self.integer(index, "year")
        if value > 0:
            raise BadField(index, "year")
        return value

    def period(self, index: int) -> int:
        value = self._string(index, "period")
        if len(value) != 6 or not _DIGITS(value) or not 1 <= int(value[4:]) <= 12:
            raise BadField(index, "period")
        return int(value)

    def dimension(self, index: int) -> int:
        value = self._string(index, "dimension")
        if not _DIGITS(value):
            raise BadField(index, "dimension")
        return int(value)

    def object_code(self, index: int) -> str:
        value = self._string(index, "object_code")
        if not value:
            raise BadField(index, "object_code")
        return value

    def account(self, index: int) -> str:
        value = self._string(index, "account")
        if not _DIGITS(value):
            raise BadField(index, "account")
        return value

    def used_account(self, index: int) -> str:
        value = self.account(index)
        self.parser.accounts_used.add(value)
        return value

    def row_account(self, index: int) -> str:
        """A voucher row's account: digits, or a word that some exporters write for an account they could
        not map (SoftOne writes FEL); what such a row means is for the caller to decide."""
        value = self._string(index, "account")
        if not value:
            raise BadField(index, "account")
        self.parser.accounts_used.add(value)
        return value

    def objects(self, index: int) -> ObjectList:
        if index >= len(self.items):
            raise BadField(index, "object_list", missing=True)
        value = self.items[index]
        objects = object_list(value) if isinstance(value, tuple) else None
        if objects is None:
            raise BadField(index, "object_list")
        self.parser.objects_used.update(objects)
        return objects

    def amount(self, index: int) -> Decimal:
        value = self._string(index, "amount")
        if not _AMOUNT(value):
            raise BadField(index, "amount")
        return Decimal(value)

    def opt_quantity(self, index: int) -> Decimal | None:
        if not self._has(index):
            return None
        value = self._string(index, "quantity")
        if not _QUANTITY(value):
            raise BadField(index, "quantity")
        return Decimal(value)

    def choice(self, index: int, choices: dict[str, _T], expected: str) -> _T:
        value = choices.get(self._string(index, expected))
        if value is None:
            raise BadField(index, expected)
        return value


def object_list(items: tuple[str, ...]) -> ObjectList | None:
    if len(items) % 2:
        return None
    pairs = []
    for position in range(0, len(items), 2):
        dimension, code = items[position], items[position + 1]
        if not _DIGITS(dimension) or not code:
            return None
        pairs.append((int(dimension), code))
    return tuple(pairs)


def _balance(kind: BalanceKind) -> Callable[[Fields], Parsed]:
    def parse(f: Fields) -> Parsed:
        year = f.year(1)
        if kind in (BalanceKind.IB, BalanceKind.UB, BalanceKind.RES):
            account = f.used_account(2)
            return Balance(f.line, kind, year, None, account, (), f.amount(3), f.opt_quantity(4))
        if kind in (BalanceKind.OIB, BalanceKind.OUB):
            account = f.used_account(2)
            return Balance(f.line, kind, year, None, account, f.objects(3), f.amount(4), f.opt_quantity(5))
        period, account = f.period(2), f.used_account(3)
        return Balance(f.line, kind, year, period, account, f.objects(4), f.amount(5), f.opt_quantity(6))

    return parse


def _row(kind: RowKind) -> Callable[[Fields], Parsed]:
    def parse(f: Fields) -> Parsed:
        account, objects, amount = f.row_account(1), f.objects(2), f.amount(3)
        date, text, quantity = f.opt_date(4), f.opt_text(5), f.opt_quantity(6)
        return Transaction(f.line, kind, account, objects, amount, date, text, quantity, f.opt_text(7))

    return parse


_FLAGS = {"0": 0, "1": 1}
_SIE_TYPES = {"1": 1, "2": 2, "3": 3, "4": 4}
_ACCOUNT_TYPES = {kind.value: kind for kind in AccountType}

HANDLERS: dict[str, Callable[[Fields], Parsed]] = {
    "#FLAGGA": lambda f: Flag(f.line, f.choice(1, _FLAGS, "flag")),
    "#FORMAT": lambda f: Format(f.line, f.text(1)),
    "#SIETYP": lambda f: SieType(f.line, f.choice(1, _SIE_TYPES, "sie_type")),
    "#PROGRAM": lambda f: Program(f.line, f.opt_text(1), f.opt_text(2)),
    "#GEN": lambda f: Generated(f.line, f.date(1), f.opt_text(2)),
    "#ORGNR": lambda f: OrgNumber(f.line, f.opt_text(1)),
    "#FNAMN": lambda f: CompanyName(f.line, f.opt_text(1)),
    "#FNR": lambda f: CompanyId(f.line, f.opt_text(1)),
    "#FTYP": lambda f: CompanyType(f.line, f.opt_text(1)),
    "#ADRESS": lambda f: Address(f.line, f.opt_text(1), f.opt_text(2), f.opt_text(3), f.opt_text(4)),
    "#RAR": lambda f: FiscalYear(f.line, f.year(1), f.date(2), f.date(3)),
    "#TAXAR": lambda f: TaxYear(f.line, f.integer(1, "calendar_year")),
    "#OMFATTN": lambda f: Coverage(f.line, f.date(1)),
    "#KPTYP": lambda f: ChartType(f.line, f.opt_text(1)),
    "#VALUTA": lambda f: Currency(f.line, f.opt_text(1)),
    "#BKOD": lambda f: IndustryCode(f.line, f.opt_text(1)),
    "#PROSA": lambda f: Comment(f.line, f.opt_text(1)),
    "#KONTO": lambda f: Account(f.line, f.account(1), f.opt_text(2)),
    "#KTYP": lambda f: AccountKind(f.line, f.account(1), f.choice(2, _ACCOUNT_TYPES, "account_type")),
    "#ENHET": lambda f: AccountUnit(f.line, f.account(1), f.opt_text(2)),
    "#SRU": lambda f: SruCode(f.line, f.account(1), f.text(2)),
    "#DIM": lambda f: Dimension(f.line, f.dimension(1), f.opt_text(2)),
    "#UNDERDIM": lambda f: Dimension(f.line, f.dimension(1), f.opt_text(2), f.dimension(3)),
    "#OBJEKT": lambda f: ObjectDef(f.line, f.dimension(1), f.object_code(2), f.opt_text(3)),
    "#VER": lambda f: Voucher(
        f.line, f.text(1), f.text(2), f.date(3), f.opt_text(4), f.opt_date(5), f.opt_text(6), []
    ),
    "#KSUMMA": lambda f: Checksum(f.line, f.opt_integer(1)),
    **{kind.value: _balance(kind) for kind in BalanceKind},
    **{kind.value: _row(kind) for kind in RowKind},
}
