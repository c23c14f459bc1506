"""A strict, streaming reader of SIE files (types 1 to 4, export 4E and import 4I).

The file is read line by line and never held in memory. It is decoded as UTF-8 when the whole file is valid
UTF-8 (a first pass checks that, keeping nothing) and as CP437 (``#FORMAT PC8``) otherwise, since many
programs declare PC8 and write UTF-8. A UTF-8 byte order mark is skipped; lines end in LF or CRLF.

Strictness follows the standard where it is clear: syntax, dates, amounts (a decimal point, at most two
decimals and 19 characters), account numbers, object lists, every voucher balancing exactly, and an #RTRANS
repeated by the #TRANS after it. What real exporters write is accepted: tabs, quoted labels and values,
``""`` for an omitted field, extra fields at the end of a record (the standard keeps them for later
versions), accounts and objects used without being declared (reported in :class:`SieFile`), unknown labels
(counted, then ignored), and a bare quote inside a text where a letter could not be encoded (see
:func:`_tokenize`). Fields are separated by spaces and tabs (and the other ASCII whitespace controls).

Every error of a file is collected, up to ``max_errors``, and raised at the end as one :class:`SieErrors`.
:func:`iter_records` hands out records as it goes, so a caller that imports them must do so in a
transaction and roll back on :class:`SieErrors`; a voucher is handed out only once it is known to balance.

Most of the time goes to splitting lines and making objects, so plain #TRANS and #VER lines take fast paths:
the text before a row's ``}`` is parsed once per distinct text, an amount alone after it is checked with
string methods, other row tails and #VER lines are matched by one expression each, and their records are made
without the dataclasses' ``__init__``. Each fast path reads a line exactly as the general tokenizer does or
leaves it to it, which the tests check. (Matching many lines at once with one expression was measured slower:
the re module costs more per character than the str methods that split lines and fields.)
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation, getcontext
from pathlib import Path
from typing import IO, TypeVar

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
    SieBalanceError,
    SieError,
    SieErrors,
    SieFile,
    SieStructureError,
    SieSyntaxError,
    SieType,
    SieValueError,
    SruCode,
    TaxYear,
    Transaction,
    UnknownRecord,
    Voucher,
)

Source = str | os.PathLike[str] | IO[bytes]
"""A path, or a binary stream (seekable or not) positioned at the start of the file."""

ProgressCallback = Callable[[int, int], None]
"""Called with (bytes read, file size in bytes) now and then, and once at the end."""

MAX_ERRORS = 100

_CHUNK = 1 << 16  # bytes per read when checking the encoding or spooling
_PROGRESS_EVERY = 1 << 12  # records (vouchers count as one)
_CACHE_LIMIT = 1 << 14  # entries per cache, so that a hostile file cannot grow them without bound
_ZERO = Decimal(0)

# What str.split() and str.strip() treat as whitespace within ASCII, so that the fast paths (which use them on
# ASCII text only) and the tokenizer agree on every line.
_WHITESPACE = " \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f"
_SPACE_TAB = (" ", "\t")

_SEPARATOR = re.compile(r"[ \t\r\n\x0b\x0c\x1c-\x1f]+")
# A bare field may hold quotes after its first character: some exporters write "ö" as a quote.
_BARE = re.compile(r'[^ \t\r\n\x0b\x0c\x1c-\x1f"{}][^ \t\r\n\x0b\x0c\x1c-\x1f{}]*')
_TO_QUOTE = re.compile(r'(?:[^"\\]|\\.)*"')  # up to the next quote that is not escaped
_ANY_ESCAPE = re.compile(r"\\.")
_ESCAPE = re.compile(r'\\(["\\])')
_AFTER_QUOTE = frozenset(" \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f}")
# An amount: what Decimal reads among digits, a minus and a point, with at most two decimals and at most 19
# characters (so that the sum of a voucher's rows is exact in the default precision of 28 digits).
_AMOUNT_SYNTAX = r"-?(?:[0-9]+(?:\.[0-9]{0,2})?|\.[0-9]{1,2})"
_MIN_PRECISION = 28

# A #TRANS line in its most common forms, split at its first "}": the fast path of the voucher loop.
# Separators here are spaces and tabs only, a subset of what the tokenizer accepts, and the object list is
# parsed by the tokenizer (once per distinct text), so a line matched here reads as the tokenizer reads it.
# Optional parts are written as alternatives with an empty one, "(?:…|)", which the re module runs faster than
# the same "(?:…)?".
_FAST_HEAD = re.compile(r"[ \t]*#TRANS[ \t]+([0-9]+)[ \t]+(\{[^{}]*)").fullmatch
_FAST_TAIL = re.compile(
    rf"[ \t]*((?=[-.0-9]{{1,19}}(?![-.0-9])){_AMOUNT_SYNTAX})"
    r'(?:[ \t]+([0-9]{8})(?:[ \t]+"([^"\\]*)"|)|)[ \t\r\n]*'
).fullmatch
# An amount alone is checked with string methods before the expression is tried: stripped of the minus signs
# and digits it starts with, what is left must be one of these (a point and at most two decimals), and Decimal
# must read it (which it does not for "1-2", "--1", "." or ""). Together that is what _AMOUNT_SYNTAX says.
_INTEGER_CHARS = "-0123456789"
_FRACTIONS = frozenset(
    ["", "."] + [f".{tenths}" for tenths in range(10)] + [f".{cents:02}" for cents in range(100)]
)
# Makes the Decimal of such an amount, and raises InvalidOperation where Decimal cannot read it (such as "-",
# "1-2" or ""), whatever the caller's context traps. Exact: an amount has at most 19 digits.
_STRICT_DECIMAL = Context(prec=_MIN_PRECISION, traps=[InvalidOperation]).create_decimal
# A #VER line (stripped) whose fields are quoted without escapes, or bare: series, number, date, text,
# registration date, signature. Again a subset of what the tokenizer reads, read the same.
_FIELD = r'("[^"\\]*"|[^ \t\r\n\x0b\x0c\x1c-\x1f"{}]+)'
_FAST_VOUCHER = re.compile(
    rf"#VER[ \t]+{_FIELD}[ \t]+{_FIELD}[ \t]+([0-9]{{8}})"
    rf'(?:[ \t]+{_FIELD}(?:[ \t]+([0-9]{{8}}|"")(?:[ \t]+{_FIELD}|)|)|)'
).fullmatch
_AMOUNT = re.compile(rf"(?=.{{1,19}}\Z){_AMOUNT_SYNTAX}").fullmatch
_QUANTITY = re.compile(r"-?[0-9]+(?:\.[0-9]+)?").fullmatch
_INTEGER = re.compile(r"-?[0-9]+").fullmatch
_DIGITS = re.compile(r"[0-9]+").fullmatch

_ROW_KINDS = {kind.value: kind for kind in RowKind}

Item = str | tuple[str, ...]
"""A field as split from a line: a string, or the raw items of an object list."""

_T = TypeVar("_T")
_Parsed = Record | Transaction


# ---------------------------------------------------------------------------------------------------------
# Public API


def iter_records(
    source: Source, *, max_errors: int = MAX_ERRORS, keep_unbalanced: bool = False
) -> Iterator[Record]:
    """Yield the records of an SIE file in file order; raise :class:`SieErrors` at the end if any were bad.

    Vouchers come whole, with their rows, once they are known to balance; bad records are left out. With
    ``keep_unbalanced`` a voucher whose rows do not sum to zero is handed out too instead of being an error:
    for a caller that can check it against the file's own closing balances (an exporter's books may hold one).
    """
    with _opened(source) as opened:
        parser = _Parser(max_errors, keep_unbalanced)
        yield from parser.records(opened.lines)
    parser.raise_errors()


def read_sie(
    source: Source,
    *,
    on_voucher: Callable[[Voucher], None] | None = None,
    on_balance: Callable[[Balance], None] | None = None,
    on_progress: ProgressCallback | None = None,
    max_errors: int = MAX_ERRORS,
) -> SieFile:
    """Read a whole SIE file: metadata, chart of accounts, dimensions and objects, balances and vouchers.

    Vouchers and balances are kept in the result unless callbacks take them, which keeps memory flat for
    files of any size. Raises :class:`SieErrors` listing every bad line once the whole file has been read.
    """
    with _opened(source) as opened:
        parser = _Parser(max_errors)
        sie = SieFile(encoding=opened.encoding)
        keep_voucher = sie.vouchers.append if on_voucher is None else on_voucher
        keep_balance = sie.balances.append if on_balance is None else on_balance
        for count, record in enumerate(parser.records(opened.lines), 1):
            if type(record) is Voucher:
                keep_voucher(record)
            elif type(record) is Balance:
                keep_balance(record)
            else:
                _collect(sie, record)
            if on_progress is not None and not count % _PROGRESS_EVERY:
                on_progress(opened.position(), opened.size)
        if on_progress is not None:
            on_progress(opened.position(), opened.size)
    parser.raise_errors()
    sie.voucher_count = parser.voucher_count
    sie.row_count = parser.row_count
    sie.unknown_labels = parser.unknown_labels
    sie.undeclared_accounts = parser.accounts_used - sie.accounts.keys()
    sie.undeclared_objects = parser.objects_used - sie.objects.keys()
    return sie


def _collect(sie: SieFile, record: Record) -> None:
    match record:
        case Account():
            sie.accounts[record.number] = record
        case AccountKind():
            sie.account_types[record.account] = record.type
        case SruCode():
            sie.sru_codes[record.account] = record.code
        case AccountUnit():
            sie.account_units[record.account] = record.unit
        case ObjectDef():
            sie.objects[record.dimension, record.code] = record
        case Dimension():
            sie.dimensions[record.number] = record
        case FiscalYear():
            sie.fiscal_years[record.index] = record
        case Flag():
            sie.flag = record.value
        case Format():
            sie.format = record.value
        case SieType():
            sie.sie_type = record.value
        case Program():
            sie.program = record
        case Generated():
            sie.generated = record
        case OrgNumber():
            sie.org_number = record.number
        case CompanyName():
            sie.company_name = record.name
        case CompanyId():
            sie.company_id = record.value
        case CompanyType():
            sie.company_type = record.value
        case Address():
            sie.address = record
        case TaxYear():
            sie.tax_year = record.year
        case Coverage():
            sie.coverage = record.date
        case ChartType():
            sie.chart_type = record.value
        case Currency():
            sie.currency = record.code
        case IndustryCode():
            sie.industry_code = record.code
        case Comment():
            sie.comments.append(record.text)
        case Checksum():
            if record.value is not None:
                sie.checksum = record.value
        case UnknownRecord():
            pass  # counted by the parser


# ---------------------------------------------------------------------------------------------------------
# Input: encoding and lines


@dataclass
class _Opened:
    lines: Iterator[str]
    encoding: str
    size: int
    binary: IO[bytes]
    start: int

    def position(self) -> int:
        return self.binary.tell() - self.start


@contextmanager
def _opened(source: Source) -> Iterator[_Opened]:
    if isinstance(source, str | os.PathLike):
        with Path(source).open("rb") as binary:
            yield from _decoded(binary)
    elif source.seekable():
        yield from _decoded(source)
    else:
        # Both passes need to rewind: a pipe or a network stream is spooled to disk, never to memory.
        with tempfile.TemporaryFile() as spool:
            shutil.copyfileobj(source, spool, _CHUNK)
            spool.seek(0)
            yield from _decoded(spool)


def _decoded(binary: IO[bytes]) -> Iterator[_Opened]:
    start = binary.tell()
    encoding = _detect_encoding(binary)
    size = binary.seek(0, io.SEEK_END) - start
    binary.seek(start)
    if binary.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
        binary.seek(start)
    # newline="\n": split on LF only and leave a CR to be stripped, so that a stray CR inside a line
    # does not start a new one.
    text = io.TextIOWrapper(binary, encoding=encoding, newline="\n")
    try:
        yield _Opened(text, encoding, size, binary, start)
    finally:
        text.detach()  # the caller's stream stays open


def _detect_encoding(binary: IO[bytes]) -> str:
    """Read to the end, or to the first byte that cannot be UTF-8; keep nothing."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        while chunk := binary.read(_CHUNK):
            # An ASCII chunk is valid UTF-8 unless it follows an incomplete sequence.
            if not chunk.isascii() or decoder.getstate()[0]:
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp437"
    return "utf-8"


# ---------------------------------------------------------------------------------------------------------
# Splitting lines into fields


def _tokenize(text: str, line: int) -> tuple[list[Item], list[int]]:
    """Split a stripped line into fields and their 1-based columns.

    A quote inside a quoted text ends it only if a separator, ``}`` or the end of the line follows and
    the rest of the line holds an even number of quotes; otherwise it is part of the text. Standard lines
    (inner quotes escaped as ``\\"``) read the same either way; exporters that write a bare quote for a
    letter they cannot encode (SoftOne writes ``"F"rskott till Lind" Park"``) read as they meant.
    """
    items: list[Item] = []
    columns: list[int] = []
    group: list[str] | None = None
    group_column = 0
    position = 0
    while position < len(text):
        char = text[position]
        column = position + 1
        if char == '"':
            value, position = _quoted(text, position, line)
        elif char == "{":
            if group is not None:
                raise SieSyntaxError("nested_brace", line, column=column, value="{")
            group, group_column, position = [], column, position + 1
            continue
        elif char == "}":
            if group is None:
                raise SieSyntaxError("stray_brace", line, column=column, value="}")
            items.append(tuple(group))
            columns.append(group_column)
            group, position = None, position + 1
            continue
        else:
            separator = _SEPARATOR.match(text, position)
            if separator is not None:
                position = separator.end()
                continue
            bare = _BARE.match(text, position)
            if bare is None:  # every other character starts a bare field
                raise AssertionError(text)
            value, position = bare.group(), bare.end()
        if group is None:
            items.append(value)
            columns.append(column)
        else:
            group.append(value)
    if group is not None:
        raise SieSyntaxError("unclosed_object_list", line, column=group_column, value="{" + " ".join(group))
    return items, columns


def _quoted(text: str, start: int, line: int) -> tuple[str, int]:
    """The text of the quoted field opening at ``start``, and the position after its closing quote."""
    search = start + 1
    while (match := _TO_QUOTE.match(text, search)) is not None:
        close = match.end()
        following = text[close : close + 1]
        if not following or (
            following in _AFTER_QUOTE and not _ANY_ESCAPE.sub("", text[close:]).count('"') % 2
        ):
            value = text[start + 1 : close - 1]
            return (_ESCAPE.sub(r"\1", value) if "\\" in value else value), close
        search = close
    raise SieSyntaxError("unclosed_quote", line, column=start + 1, value=text[start:])


def _quick_fields(text: str) -> list[str] | None:
    """The fields of a line without braces or backslashes, fast; None when :func:`_tokenize` is needed.

    Only ASCII stretches are split with str.split, whose whitespace is then exactly the tokenizer's.
    """
    if "{" in text or "}" in text or "\\" in text:
        return None
    if '"' not in text:
        return text.split() if text.isascii() else None
    parts = text.split('"')
    last = len(parts) - 1
    if last % 2:
        return None
    fields: list[str] = []
    for index in range(0, last + 1, 2):
        bare = parts[index]
        if not bare.isascii():
            return None
        if index and bare and bare[0] not in _SPACE_TAB:
            return None  # text glued to a closing quote
        if index < last:
            if index and not bare.endswith(_SPACE_TAB):
                return None  # an opening quote glued to what precedes it
            if not index and bare and not bare.endswith(_SPACE_TAB):
                return None
            fields.extend(bare.split())
            fields.append(parts[index + 1])
        else:
            fields.extend(bare.split())
    return fields


def _column(text: str) -> int:
    """The 1-based column of the first field of a line."""
    return len(text) - len(text.lstrip(_WHITESPACE)) + 1


def _to_date(value: str) -> dt.date | None:
    if len(value) != 8 or not _DIGITS(value):
        return None
    try:
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:]))
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------------
# Records from fields


class _BadField(Exception):
    def __init__(self, index: int, expected: str, missing: bool = False) -> None:
        super().__init__(index, expected)
        self.index = index
        self.expected = expected
        self.missing = missing


class _Fields:
    """Typed access to the fields of one line; a bad field raises :class:`_BadField`."""

    __slots__ = ("items", "line", "parser")

    def __init__(self, parser: _Parser, line: int, items: Sequence[Item]) -> None:
        self.parser = parser
        self.line = line
        self.items = items

    def _string(self, index: int, expected: str) -> str:
        if index >= len(self.items):
            raise _BadField(index, expected, missing=True)
        value = self.items[index]
        if not isinstance(value, str):
            raise _BadField(index, expected)
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
            raise _BadField(index, expected)
        return value

    def opt_date(self, index: int) -> dt.date | None:
        return self.date(index, "optional_date") if self._has(index) else None

    def integer(self, index: int, expected: str = "integer") -> int:
        value = self._string(index, expected)
        if not _INTEGER(value):
            raise _BadField(index, expected)
        return int(value)

    def opt_integer(self, index: int) -> int | None:
        return self.integer(index) if self._has(index) else None

    def year(self, index: int) -> int:
        value = self.integer(index, "year")
        if value > 0:
            raise _BadField(index, "year")
        return value

    def period(self, index: int) -> int:
        value = self._string(index, "period")
        if len(value) != 6 or not _DIGITS(value) or not 1 <= int(value[4:]) <= 12:
            raise _BadField(index, "period")
        return int(value)

    def dimension(self, index: int) -> int:
        value = self._string(index, "dimension")
        if not _DIGITS(value):
            raise _BadField(index, "dimension")
        return int(value)

    def object_code(self, index: int) -> str:
        value = self._string(index, "object_code")
        if not value:
            raise _BadField(index, "object_code")
        return value

    def account(self, index: int) -> str:
        value = self._string(index, "account")
        if not _DIGITS(value):
            raise _BadField(index, "account")
        return value

    def used_account(self, index: int) -> str:
        value = self.account(index)
        self.parser.accounts_used.add(value)
        return value

    def objects(self, index: int) -> ObjectList:
        if index >= len(self.items):
            raise _BadField(index, "object_list", missing=True)
        value = self.items[index]
        objects = _object_list(value) if isinstance(value, tuple) else None
        if objects is None:
            raise _BadField(index, "object_list")
        self.parser.objects_used.update(objects)
        return objects

    def amount(self, index: int) -> Decimal:
        value = self._string(index, "amount")
        if not _AMOUNT(value):
            raise _BadField(index, "amount")
        return Decimal(value)

    def opt_quantity(self, index: int) -> Decimal | None:
        if not self._has(index):
            return None
        value = self._string(index, "quantity")
        if not _QUANTITY(value):
            raise _BadField(index, "quantity")
        return Decimal(value)

    def choice(self, index: int, choices: dict[str, _T], expected: str) -> _T:
        value = choices.get(self._string(index, expected))
        if value is None:
            raise _BadField(index, expected)
        return value


def _object_list(items: tuple[str, ...]) -> ObjectList | None:
    if len(items) % 2:
        return None
    pairs = []
    for position in range(0, len(items), 2):
        dimension, code = items[position], items[position + 1]
        if not _DIGITS(dimension) or not code:
            return None
        pairs.append((int(dimension), code))
    return tuple(pairs)


def _balance(kind: BalanceKind) -> Callable[[_Fields], _Parsed]:
    def parse(f: _Fields) -> _Parsed:
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


def _row(kind: RowKind) -> Callable[[_Fields], _Parsed]:
    def parse(f: _Fields) -> _Parsed:
        account, objects, amount = f.used_account(1), f.objects(2), f.amount(3)
        date, text, quantity = f.opt_date(4), f.opt_text(5), f.opt_quantity(6)
        return Transaction(f.line, kind, account, objects, amount, date, text, quantity, f.opt_text(7))

    return parse


_FLAGS = {"0": 0, "1": 1}
_SIE_TYPES = {"1": 1, "2": 2, "3": 3, "4": 4}
_ACCOUNT_TYPES = {kind.value: kind for kind in AccountType}

_HANDLERS: dict[str, Callable[[_Fields], _Parsed]] = {
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


# ---------------------------------------------------------------------------------------------------------
# The parser


class _Parser:
    """The state of one reading: errors so far, what was used, and caches of what was already parsed."""

    def __init__(self, max_errors: int, keep_unbalanced: bool = False) -> None:
        self.max_errors = max_errors
        self.keep_unbalanced = keep_unbalanced
        self.errors: list[SieError] = []
        self.unknown_labels: dict[str, int] = {}
        self.accounts_used: set[str] = set()
        self.objects_used: set[tuple[int, str]] = set()
        self.voucher_count = 0
        self.row_count = 0
        self._dates: dict[str, dt.date] = {}
        # The text before the "}" of a #TRANS line → (account, objects), or () if it is no plain #TRANS.
        self._heads: dict[str, tuple[str, ObjectList] | tuple[()]] = {}

    def error(self, error: SieError) -> None:
        self.errors.append(error)
        if len(self.errors) >= self.max_errors:
            raise SieErrors(self.errors, truncated=True)

    def raise_errors(self) -> None:
        if self.errors:
            raise SieErrors(self.errors)

    def date(self, value: str) -> dt.date | None:
        date = self._dates.get(value)
        if date is None:
            date = _to_date(value)
            if date is not None and len(self._dates) < _CACHE_LIMIT:
                self._dates[value] = date
        return date

    def records(self, lines: Iterable[str]) -> Iterator[Record]:
        """The records of a file in order; rows are gathered into their vouchers, which come out whole.

        One loop reads the whole file: a voucher is a state of it (after #VER: ``opening``, after its
        ``{``: ``inside``), so that a line that cannot belong to the voucher is read again as a record.
        """
        if getcontext().prec < _MIN_PRECISION:
            raise ValueError(
                f"summing vouchers exactly needs a decimal precision of {_MIN_PRECISION} or more"
            )
        opening = inside = False
        voucher: Voucher | None = None  # None while reading the rows of a #VER that was bad
        opened = 0  # the line of the #VER
        rows: list[Transaction] = []
        total = _ZERO
        broken = False  # a row was bad (and reported): the voucher is dropped, its balance not checked
        uncounted = 0
        added: Transaction | None = None  # an #RTRANS waiting for the #TRANS that repeats it
        heads = self._heads
        dates = self._dates
        fast_tail = _FAST_TAIL
        integer_chars = _INTEGER_CHARS
        fractions = _FRACTIONS
        to_decimal = _STRICT_DECIMAL
        vouchers = counted_rows = 0
        transaction = Transaction
        new_row = Transaction.__new__
        counted = RowKind.TRANS
        for line, raw in enumerate(lines, 1):
            if inside:
                # The fast path for a plain #TRANS. What precedes its "}" (label, account, object list)
                # repeats from row to row and is parsed once per distinct text. What follows is most often
                # an amount alone, checked with string methods (its characters, at most two decimals and 19
                # characters, see _FRACTIONS) and by Decimal; else an amount, perhaps a date and a text
                # without quotes, matched by one expression. Anything else, or anything doubtful (a new date
                # that does not exist, what Decimal cannot read), goes the general way below.
                head, _, tail = raw.partition("}")
                try:
                    known = heads[head]
                except KeyError:
                    known = self._row_head(head)
                if known:
                    # On ASCII, strip() strips the tokenizer's separators (see _WHITESPACE).
                    plain = tail.strip()
                    amount: str | None = plain
                    date = None
                    row_text = ""
                    if not tail.isascii() or plain.lstrip(integer_chars) not in fractions or len(plain) > 19:
                        match = fast_tail(tail)
                        amount = None
                        if match is not None:
                            amount, day, row_text = match.groups()
                            if day is not None:
                                date = dates.get(day) or self.date(day)
                                if date is None:
                                    amount = None
                    if amount is not None:
                        try:
                            value = to_decimal(amount)
                        except InvalidOperation:
                            pass
                        else:
                            # Made without the dataclass's __init__, which would cost as much again; every
                            # field is set (the tests compare such rows with the general way's).
                            row = new_row(transaction)
                            row.line = line
                            row.kind = counted
                            row.account, row.objects = known
                            row.amount = value
                            row.date = date
                            row.text = row_text or ""
                            row.quantity = None
                            row.signature = ""
                            rows.append(row)
                            total += value
                            if added is not None:
                                broken |= self._check_added(added, row)
                                added = None
                            continue
            text = raw.strip(_WHITESPACE)
            if not text:
                continue
            label: str | None = None
            record: _Parsed | None = None
            if inside:
                if text == "}":
                    inside = False
                    if added is not None:
                        self._check_added(added, None)
                    elif voucher is not None and not broken:
                        if total and not self.keep_unbalanced:
                            self.error(
                                SieBalanceError(
                                    "unbalanced",
                                    opened,
                                    "#VER",
                                    None,
                                    f"{total:f}",
                                    series=voucher.series,
                                    number=voucher.number,
                                )
                            )
                        else:
                            vouchers += 1
                            counted_rows += len(rows) - uncounted
                            yield voucher
                    continue
                if text == "{":
                    self.error(SieStructureError("stray_brace", line, None, _column(raw), text))
                    broken = True
                    continue
                label, record = self.parse_line(line, raw.rstrip(_WHITESPACE))
                if label is None:
                    broken = True
                    continue
                if label in _ROW_KINDS:
                    if not isinstance(record, Transaction):
                        broken = True
                    elif record.kind is counted:
                        rows.append(record)
                        total += record.amount
                        if added is not None:
                            broken |= self._check_added(added, record)
                            added = None
                    else:
                        rows.append(record)
                        uncounted += 1
                        if added is not None:
                            broken |= self._check_added(added, None)
                        added = record if record.kind is RowKind.RTRANS else None
                    continue
                if type(record) is UnknownRecord:
                    continue
                # Any other record ends the voucher, which lacks its "}", and is read below as itself.
                self.error(SieStructureError("record_in_voucher", line, label, opened=opened))
                inside = False
            elif opening:
                opening = False
                if text == "{":
                    inside = True
                    rows = voucher.transactions if voucher is not None else []
                    total, broken, uncounted, added = _ZERO, voucher is None, 0, None
                    continue
                self.error(SieStructureError("missing_voucher_open", line, None, None, text, opened=opened))
            if label is None:
                voucher = self._quick_voucher(line, text)
                if voucher is not None:
                    opening, opened = True, line
                    continue
                if text in ("{", "}"):
                    self.error(SieStructureError("stray_brace", line, None, _column(raw), text))
                    continue
                label, record = self.parse_line(line, raw.rstrip(_WHITESPACE))
                if label is None:
                    continue
            if label == "#VER":
                # A #VER that could not be read still owns the braces and rows after it.
                voucher = record if isinstance(record, Voucher) else None
                opening, opened = True, line
            elif isinstance(record, Transaction):
                self.error(SieStructureError("row_outside_voucher", line, label))
            elif record is not None:
                yield record
        self.voucher_count, self.row_count = vouchers, counted_rows
        if opening or inside:
            self.error(SieStructureError("voucher_not_closed", opened, "#VER", opened=opened))

    def _quick_voucher(self, line: int, text: str) -> Voucher | None:
        """A #VER line (stripped) with plain quoted or bare fields, read without the general machinery; else
        None.

        A date not seen before is checked here; a bad one is left to the general way, which reports it.
        """
        match = _FAST_VOUCHER(text)
        if match is None:
            return None
        series, number, day, title, registered, signature = match.groups()
        dates = self._dates
        date = dates.get(day) or self.date(day)
        registration = None
        if registered is not None and registered != '""':
            registration = dates.get(registered) or self.date(registered)
            if registration is None:
                return None
        if date is None:
            return None
        # A field matched here is either bare (no quotes) or quoted whole (no quotes inside).
        title = title.strip('"') if title else ""
        signature = signature.strip('"') if signature else ""
        voucher = Voucher.__new__(Voucher)  # as for a fast row: every field is set, __init__ not called
        voucher.line = line
        voucher.series = series.strip('"')
        voucher.number = number.strip('"')
        voucher.date = date
        voucher.text = title
        voucher.registered = registration
        voucher.signature = signature
        voucher.transactions = []
        return voucher

    def parse_line(self, line: int, text: str) -> tuple[str | None, _Parsed | None]:
        """Read one line (its line end stripped): (label, record); None for what is bad, and reported."""
        quick = _quick_fields(text)
        items: Sequence[Item]
        columns = None
        if quick is not None:
            items = quick
        else:
            try:
                items, columns = _tokenize(text, line)
            except SieSyntaxError as error:
                # Its label, if it plainly has one, still tells what the line was meant to be: a #VER
                # whose text is broken still owns the rows after it.
                word = text.split(None, 1)[0]
                label = word.upper() if word.startswith("#") and word.isascii() else None
                error.record = label
                self.error(error)
                return label, None
        first = items[0]
        if not isinstance(first, str) or not first.startswith("#"):
            self.error(SieSyntaxError("expected_label", line, column=_column(text), value=text.strip()))
            return None, None
        label = first.upper()
        handler = _HANDLERS.get(label)
        if handler is None:
            self.unknown_labels[label] = self.unknown_labels.get(label, 0) + 1
            return label, UnknownRecord(line, label, tuple(items[1:]))
        try:
            return label, handler(_Fields(self, line, items))
        except _BadField as bad:
            if columns is None:
                columns = _tokenize(text, line)[1]
            if bad.missing:
                self.error(SieValueError("missing_field", line, label, len(text) + 1, None, bad.expected))
            else:
                value = items[bad.index]
                shown = value if isinstance(value, str) else "{" + " ".join(value) + "}"
                self.error(SieValueError("bad_value", line, label, columns[bad.index], shown, bad.expected))
            return label, None

    def _row_head(self, head: str) -> tuple[str, ObjectList] | tuple[()]:
        """Account and objects of the text before the ``}`` of a plain #TRANS line; () if it is not one."""
        known: tuple[str, ObjectList] | tuple[()] = ()
        match = _FAST_HEAD(head)
        if match is not None:
            try:
                items = _tokenize(match[2] + "}", 0)[0]
            except SieSyntaxError:
                items = []
            objects = _object_list(items[0]) if len(items) == 1 and isinstance(items[0], tuple) else None
            if objects is not None:
                known = (match[1], objects)
                self.accounts_used.add(match[1])
                self.objects_used.update(objects)
        if len(self._heads) < _CACHE_LIMIT:
            self._heads[head] = known
        return known

    def _check_added(self, added: Transaction, row: Transaction | None) -> bool:
        """Whether an #RTRANS lacks its repeating #TRANS (``row``, the row after it); records the error."""
        if (
            row is not None
            and row.account == added.account
            and row.objects == added.objects
            and row.amount == added.amount
        ):
            return False
        self.error(SieBalanceError("rtrans_without_trans", added.line, "#RTRANS", None, added.account))
        return True
