"""A strict, streaming reader of SIE files (types 1 to 4, export 4E and import 4I).

The file is read line by line and never held in memory. It is decoded as UTF-8 when the whole file is valid
UTF-8 (a first pass checks that, keeping nothing) and as CP437 (``#FORMAT PC8``) otherwise, since many
programs declare PC8 and write UTF-8. A UTF-8 byte order mark is skipped; lines end in LF or CRLF.

Strictness follows the standard where it is clear: syntax, dates, amounts (a decimal point, at most two
decimals and 19 characters), account numbers, object lists, every voucher balancing exactly, and an #RTRANS
repeated by the #TRANS after it. What real exporters write is accepted: tabs, quoted labels and values,
``""`` for an omitted field, extra fields at the end of a record (the standard keeps them for later
versions), accounts and objects used without being declared (reported in :class:`SieFile`), a voucher row on
an account that is not a number (SoftOne writes ``FEL`` for an account it could not map), unknown labels
(counted, then ignored), and a bare quote inside a text where a letter could not be encoded (see
:func:`finsam.sie.tokens.tokenize`). Fields are separated by spaces and tabs (and the other ASCII whitespace
controls).

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

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Context, Decimal, InvalidOperation, getcontext

from .decoding import Source, open_source
from .fields import AMOUNT_SYNTAX, HANDLERS, BadField, Fields, object_list, to_date
from .fields import Parsed as _Parsed
from .model import (
    Account,
    AccountKind,
    AccountUnit,
    Address,
    Balance,
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
from .tokens import Item, tokenize

ProgressCallback = Callable[[int, int], None]
"""Called with (bytes read, file size in bytes) now and then, and once at the end."""

MAX_ERRORS = 100

_PROGRESS_EVERY = 1 << 12  # records (vouchers count as one)
_CACHE_LIMIT = 1 << 14  # entries per cache, so that a hostile file cannot grow them without bound
_ZERO = Decimal(0)

# What str.split() and str.strip() treat as whitespace within ASCII, so that the fast paths (which use them on
# ASCII text only) and the tokenizer agree on every line.
_WHITESPACE = " \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f"
_SPACE_TAB = (" ", "\t")

# Summing a voucher's rows exactly: amounts have at most 19 characters (fields.AMOUNT_SYNTAX).
_MIN_PRECISION = 28

# A #TRANS line in its most common forms, split at its first "}": the fast path of the voucher loop.
# Separators here are spaces and tabs only, a subset of what the tokenizer accepts, and the object list is
# parsed by the tokenizer (once per distinct text), so a line matched here reads as the tokenizer reads it.
# Optional parts are written as alternatives with an empty one, "(?:…|)", which the re module runs faster than
# the same "(?:…)?".
_FAST_HEAD = re.compile(r"[ \t]*#TRANS[ \t]+([0-9]+)[ \t]+(\{[^{}]*)").fullmatch
_FAST_TAIL = re.compile(
    rf"[ \t]*((?=[-.0-9]{{1,19}}(?![-.0-9])){AMOUNT_SYNTAX})"
    r'(?:[ \t]+([0-9]{8})(?:[ \t]+"([^"\\]*)"|)|)[ \t\r\n]*'
).fullmatch
# An amount alone is checked with string methods before the expression is tried: stripped of the minus signs
# and digits it starts with, what is left must be one of these (a point and at most two decimals), and Decimal
# must read it (which it does not for "1-2", "--1", "." or ""). Together that is what AMOUNT_SYNTAX says.
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

_ROW_KINDS = {kind.value: kind for kind in RowKind}


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
    with open_source(source) as opened:
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
    with open_source(source) as opened:
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
# Splitting lines into fields: the fast way (the general one is tokens.tokenize)


def _quick_fields(text: str) -> list[str] | None:
    """The fields of a line without braces or backslashes, fast; None when :func:`tokenize` is needed.

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
            date = to_date(value)
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
                items, columns = tokenize(text, line)
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
        handler = HANDLERS.get(label)
        if handler is None:
            self.unknown_labels[label] = self.unknown_labels.get(label, 0) + 1
            return label, UnknownRecord(line, label, tuple(items[1:]))
        try:
            return label, handler(Fields(self, line, items))
        except BadField as bad:
            if columns is None:
                columns = tokenize(text, line)[1]
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
                items = tokenize(match[2] + "}", 0)[0]
            except SieSyntaxError:
                items = []
            objects = object_list(items[0]) if len(items) == 1 and isinstance(items[0], tuple) else None
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
