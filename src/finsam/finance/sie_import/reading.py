"""Reading an SIE file for the import: one pass that stores the vouchers' rows and gathers everything else.

The file is streamed: voucher rows go to the database in batches as they are read (inside the import's
transaction, so a rejected file leaves none), and what the checks and the decision need afterwards (years,
balances, accounts, the first and last voucher dates, problems found on the way) is gathered in a
:class:`Reading`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from finsam.core.formatting import kronor, number
from finsam.core.imports import Problem, is_number
from finsam.core.money import from_ore, ore_of
from finsam.finance.accounts_spec import NOT_A_NUMBER_ACCOUNT
from finsam.finance.models import LedgerImport, LedgerRow
from finsam.finance.sie_import.rows import Row, RowWriter, Totals
from finsam.sie import (
    Account,
    Balance,
    BalanceKind,
    CompanyName,
    FiscalYear,
    Generated,
    ObjectList,
    OrgNumber,
    Program,
    SieType,
    Voucher,
    iter_records,
)

MAX_ORE = 2**63 - 1  # amounts are stored as öre in a 64-bit integer
MAX_ACCOUNT_DIGITS = 9  # account numbers are stored in a 32-bit integer; charts of accounts use 4–6 digits
# The texts matched on, by their columns' widths: a row's objects as stored ("1:10|6:ENTER"), and a voucher's
# "series number".
OBJECTS = (LedgerRow._meta.get_field("object_key").max_length or 0, "objekt")
VOUCHER = (LedgerRow._meta.get_field("voucher").max_length or 0, "en serie och ett nummer")
MAX_LISTED = 50  # problems of one kind named one by one (vouchers outside the year); the rest are counted
Progress = Callable[[int, int], None]


def objects_key(objects: ObjectList) -> str:
    """Objects of a row as stored and matched: "1:10|6:ENTER", sorted by dimension."""
    return "|".join(f"{dim}:{code}" for dim, code in sorted(objects))


def file_hash(path: Path) -> tuple[str, int, int | None]:
    """The file's SHA-256 (hex), its size in bytes and where its first NUL byte is (None without one)."""
    digest = hashlib.sha256()
    size = 0
    nul: int | None = None
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            if nul is None and (at := chunk.find(b"\0")) >= 0:
                nul = size + at
            size += len(chunk)
    return digest.hexdigest(), size, nul


def nul_problem(path: Path, offset: int) -> Problem:
    """The line and column of the NUL byte at ``offset``: no text the books keep may hold one (PostgreSQL
    stores none, and no exporter writes one into a text)."""
    line, line_start, read = 1, 0, 0
    with path.open("rb") as handle:
        while read < offset and (chunk := handle.read(min(1 << 20, offset - read))):
            line += chunk.count(b"\n")
            if (last := chunk.rfind(b"\n")) >= 0:
                line_start = read + last + 1
            read += len(chunk)
    message = "tecknet NUL (byte 0), som ingen text i bokföringen får innehålla"
    return Problem(line, str(offset - line_start + 1), None, "", message)


@dataclass
class Reading:
    """What the import gathers while it streams the file."""

    years: dict[int, FiscalYear] = field(default_factory=dict)
    program: str = ""
    generated: dt.date | None = None
    generated_line: int | None = None
    sie_type: int | None = None
    org_number: OrgNumber | None = None
    company_name: str = ""
    accounts: dict[int, str] = field(default_factory=dict)
    balances: list[Balance] = field(default_factory=list)
    period_balances: list[Balance] = field(default_factory=list)
    results: list[Balance] = field(default_factory=list)
    vouchers: int = 0
    rows: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    first_line: int | None = None  # the #VER line of the voucher with the first date, and of the last
    last_line: int | None = None
    outside: list[tuple[int, str, dt.date]] = field(default_factory=list)  # line, voucher, date (capped)
    outside_count: int = 0
    late_year: bool = False  # #RAR 0 came after vouchers, which were therefore not checked one by one
    # Numbered vouchers ("A 16") that stored rows → their #VER line, kept while the file is not known to be a
    # full export: a file that adds vouchers must not add one already in force.
    numbered: dict[str, int] = field(default_factory=dict)
    unnumbered: set[str] = field(default_factory=set)  # and the names of those without a number ("A")
    problems: list[Problem] = field(default_factory=list)
    unbalanced: list[tuple[int, str, Decimal]] = field(default_factory=list)  # line, voucher, sum of rows
    # Rows on an account that is no number (line, account as written), stored on NOT_A_NUMBER_ACCOUNT.
    not_numbers: list[tuple[int, str]] = field(default_factory=list)
    notes: list[str] = field(
        default_factory=list
    )  # what the import did with the file's quirks, for the summary
    totals: Totals = field(default_factory=Totals)  # the ledger rows stored, summed

    @property
    def named_vouchers(self) -> int:
        """Vouchers with a name (series, number) that stored rows, each name once, in a file that adds."""
        return len(self.numbered) + len(self.unnumbered - self.numbered.keys())

    @property
    def full_export(self) -> bool:
        return bool(self.balances or self.period_balances)


def read_file(path: Path, source: LedgerImport, size: int, on_progress: Progress | None) -> Reading:
    """Stream the file: store its voucher rows under ``source`` and gather the rest.

    Raises :class:`finsam.sie.SieErrors` at the end when the reader found bad lines."""
    reading = Reading()
    with path.open("rb") as binary, RowWriter(source, reading.totals) as writer:
        rows = _VoucherRows(reading, writer)
        for count, item in enumerate(iter_records(binary, keep_unbalanced=True), 1):
            kind = type(item)
            if kind is Voucher:
                assert isinstance(item, Voucher)
                rows.add(item)
            elif kind is Balance:
                assert isinstance(item, Balance)
                if _storable(item.amount, item.line, item.kind.value, reading) is None:
                    continue
                if not _account_fits(item.account, item.line, item.kind.value, reading):
                    continue
                if item.kind is BalanceKind.PSALDO and not _fits(
                    objects_key(item.objects), OBJECTS, item.line, item.kind.value, reading
                ):
                    continue
                if item.kind in (BalanceKind.IB, BalanceKind.UB) and not item.objects:
                    reading.balances.append(item)
                elif item.kind is BalanceKind.PSALDO:
                    reading.period_balances.append(item)
                elif item.kind is BalanceKind.RES and not item.objects:
                    reading.results.append(item)
            elif kind is FiscalYear:
                assert isinstance(item, FiscalYear)
                reading.years[item.index] = item
                if item.index == 0 and reading.vouchers:
                    # #RAR after vouchers (the standard puts it first): the year is checked at the end.
                    reading.late_year = True
            elif kind is Account:
                assert isinstance(item, Account)
                if is_number(item.number) and _account_fits(item.number, item.line, "#KONTO", reading):
                    reading.accounts[int(item.number)] = item.name
            elif kind is Program:
                assert isinstance(item, Program)
                reading.program = f"{item.name} {item.version}".strip()
            elif kind is Generated:
                assert isinstance(item, Generated)
                reading.generated = item.date
                reading.generated_line = item.line
            elif kind is SieType:
                assert isinstance(item, SieType)
                reading.sie_type = item.value
            elif kind is OrgNumber:
                assert isinstance(item, OrgNumber)
                reading.org_number = item
            elif kind is CompanyName:
                assert isinstance(item, CompanyName)
                reading.company_name = item.name
            if on_progress and not count % 20000:
                on_progress(binary.tell(), size)
    if reading.not_numbers:
        reading.accounts[NOT_A_NUMBER_ACCOUNT] = "Konto som inte är ett kontonummer i SIE-filen"
    if on_progress:
        on_progress(size, size)
    return reading


class _VoucherRows:
    """Turns the vouchers' counted rows into ledger rows for the writer, noting on the way what the checks
    need. An account number or an object list seen before is looked up, not worked out again."""

    def __init__(self, reading: Reading, writer: RowWriter) -> None:
        self.reading = reading
        self.writer = writer
        self.accounts: dict[str, int] = {}  # account as written → as stored, for the numbers that fit
        self.objects: dict[ObjectList, str] = {}
        self.days: dict[dt.date, str] = {}  # a day → as stored, ISO

    def add(self, voucher: Voucher) -> None:
        reading = self.reading
        reading.vouchers += 1
        name = f"{voucher.series} {voucher.number}".strip()
        rows = voucher.counted()
        total = sum((row.amount for row in rows), Decimal(0))
        if total:
            reading.unbalanced.append((voucher.line, f"{voucher.series} {voucher.number}", total))
        year = None if reading.late_year else reading.years.get(0)
        outside: dt.date | None = None
        if not _fits(name, VOUCHER, voucher.line, "#VER", reading):
            return
        stored: list[Row] = []
        days = self.days
        voucher_day = days.get(voucher.date) or days.setdefault(voucher.date, voucher.date.isoformat())
        for row in rows:
            day = row.date or voucher.date
            if reading.first_date is None or day < reading.first_date:
                reading.first_date, reading.first_line = day, voucher.line
            if reading.last_date is None or day > reading.last_date:
                reading.last_date, reading.last_line = day, voucher.line
            if year is not None and outside is None and not year.start <= day <= year.end:
                outside = day
            account = self.accounts.get(row.account)
            if account is None:
                account = self._account(row.account, row.line)
                if account is None:
                    continue
            ore = _storable(row.amount, row.line, "#TRANS", reading)
            if ore is None:
                continue
            objects = self.objects.get(row.objects)
            if objects is None:
                objects = self.objects[row.objects] = objects_key(row.objects)
            if len(objects) > OBJECTS[0] and not _fits(objects, OBJECTS, row.line, "#TRANS", reading):
                continue
            text = (row.text or voucher.text)[:200]
            iso = days.get(day)
            if iso is None:
                iso = days[day] = day.isoformat()
            stored.append((iso, account, objects, ore, name, text, voucher_day))
        self.writer.add(stored)
        if stored and name and not reading.full_export:
            if voucher.number.strip():
                reading.numbered.setdefault(name, voucher.line)
            else:
                reading.unnumbered.add(name)
        if outside is not None:
            reading.outside_count += 1
            if len(reading.outside) <= MAX_LISTED:  # one beyond the cap: the line the rest start from
                reading.outside.append((voucher.line, name, outside))

    def _account(self, number: str, line: int) -> int | None:
        """The account a row is stored on, or None (and a problem) when it cannot be stored. A number that
        is no number goes to NOT_A_NUMBER_ACCOUNT, noted row by row."""
        if not _account_fits(number, line, "#TRANS", self.reading):
            return None
        if not is_number(number):
            self.reading.not_numbers.append((line, number))
            return NOT_A_NUMBER_ACCOUNT
        self.accounts[number] = int(number)
        return self.accounts[number]


def _account_fits(number: str, line: int, record: str, reading: Reading) -> bool:
    """Whether an account number (a non-numeric one goes to the unmapped row) can be stored; a problem names
    the line when it cannot."""
    if not is_number(number) or len(number.lstrip("0")) <= MAX_ACCOUNT_DIGITS:
        return True
    expected = f"ett kontonummer med högst {MAX_ACCOUNT_DIGITS} siffror"
    reading.problems.append(Problem(line, record, number, expected))
    return False


def _fits(text: str, column: tuple[int, str], line: int, record: str, reading: Reading) -> bool:
    """Whether a text that the import matches on fits its column, (width, what it holds); a problem names the
    line when it does not (PostgreSQL would refuse it, and cut it could become another: two objects or two
    vouchers one)."""
    width, what = column
    if len(text) <= width:
        return True
    expected = f"{what} som tillsammans har högst {width} tecken"
    reading.problems.append(Problem(line, record, text[:40] + "…", expected))
    return False


def _storable(amount: Decimal, line: int, record: str, reading: Reading) -> int | None:
    """The amount in öre, or None (and a problem) when it is too large to store."""
    ore = ore_of(amount)
    if abs(ore) > MAX_ORE:
        limit = kronor(from_ore(MAX_ORE))
        reading.problems.append(Problem(line, record, f"{amount:f}", f"ett belopp under {limit} kronor"))
        return None
    return ore


def fiscal_year(reading: Reading) -> tuple[dt.date, dt.date] | None:
    """The fiscal year the file gives: its #RAR 0, else the calendar year of its vouchers (or, without
    vouchers, of its period balances); None if neither."""
    if 0 in reading.years:
        return reading.years[0].start, reading.years[0].end
    if reading.first_date and reading.last_date:
        first, last = reading.first_date.year, reading.last_date.year
    else:
        periods = {b.period // 100 for b in reading.period_balances if b.year == 0 and b.period is not None}
        first, last = min(periods, default=0), max(periods, default=-1)
    if first != last:
        return None
    # A file without #RAR 0 (an import file, 4I, often names none): the calendar year, which is the fiscal
    # year of a samordningsförbund by law.
    return dt.date(first, 1, 1), dt.date(first, 12, 31)


EARLIEST_YEAR = 1900  # no association's books are older: a year index beyond it is a broken file


def take_calendar_years(reading: Reading, start: dt.date) -> None:
    """Give every year index the file uses without its #RAR the calendar year it stands for, counted from the
    fiscal year starting ``start`` (index 0), and say so in the summary."""
    records = (*reading.balances, *reading.period_balances, *reading.results)
    used = {0} | {b.year for b in records}
    missing = sorted(used - set(reading.years))
    earliest = EARLIEST_YEAR - start.year  # the oldest index a year of books can have
    for index in [i for i in missing if i < earliest]:
        first = min((b for b in records if b.year == index), key=lambda b: b.line)
        reading.problems.append(
            Problem(
                first.line, first.kind.value, index, f"ett årsindex från {number(Decimal(earliest))} till 0"
            )
        )
    missing = [i for i in missing if i >= earliest]
    for index in missing:
        year = start.year + index
        reading.years[index] = FiscalYear(0, index, dt.date(year, 1, 1), dt.date(year, 12, 31))
    if missing:
        reading.notes.append(
            "filen anger inte räkenskapsår för "
            + ", ".join(f"#RAR {index} ({start.year + index})" for index in missing)
            + "; kalenderåret används, som är förbundets räkenskapsår enligt lag"
        )
