"""`finsam import sie`: an SIE file into the association's ledger, all or nothing.

A full export (one with opening balances or period balances, as type 4E, 2 and 3 files are) replaces every
earlier import of the same fiscal year in one transaction; an import file without balances (4I) adds its
vouchers. The same file twice changes nothing. Every import is kept in the history with its file hash and a
summary of what it changed. Vouchers define the outcome; a file without vouchers gives it through its period
balances (#PSALDO), dated the last day of each month, so a ledger that exports only balances still gives
statements.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import Sum

from finsam.core.audit import Actor, record
from finsam.core.imports import ImportRejected, ImportResult, Problem
from finsam.core.money import from_ore, ore_of
from finsam.finance.accounts_spec import is_balance_account
from finsam.finance.models import LedgerAccount, LedgerBalance, LedgerImport, LedgerRow
from finsam.organisation.models import Association
from finsam.sie import (
    Account,
    Balance,
    BalanceKind,
    FiscalYear,
    Generated,
    ObjectList,
    OrgNumber,
    Program,
    SieError,
    SieErrors,
    SieType,
    Voucher,
    iter_records,
)

BATCH = 5000
MAX_ORE = 2**63 - 1  # amounts are stored as öre in a 64-bit integer
Progress = Callable[[int, int], None]


def objects_key(objects: ObjectList) -> str:
    """Objects of a row as stored and matched: "1:10|6:ENTER", sorted by dimension."""
    return "|".join(f"{dim}:{code}" for dim, code in sorted(objects))


def month_end(period: int) -> dt.date:
    year, month = divmod(period, 100)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _problem(error: SieError) -> Problem:
    column = error.record if error.column is None else f"{error.record or ''} fält {error.column}".strip()
    return Problem(
        line=error.line,
        column=column,
        value=error.value,
        expected=error.expected or "",
        message=error.message,
    )


def _sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


@dataclass
class _Reading:
    """What the import gathers while it streams the file."""

    years: dict[int, FiscalYear] = field(default_factory=dict)
    program: str = ""
    generated: dt.date | None = None
    sie_type: int | None = None
    org_number: OrgNumber | None = None
    accounts: dict[int, str] = field(default_factory=dict)
    balances: list[Balance] = field(default_factory=list)
    period_balances: list[Balance] = field(default_factory=list)
    results: list[Balance] = field(default_factory=list)
    vouchers: int = 0
    rows: int = 0
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    problems: list[Problem] = field(default_factory=list)
    unbalanced: list[tuple[int, str, Decimal]] = field(default_factory=list)  # line, voucher, sum of rows

    @property
    def full_export(self) -> bool:
        return bool(self.balances or self.period_balances)


def _summary_by_account(source: LedgerImport) -> dict[str, str]:
    totals = source.ledger_rows.values("account").annotate(total=Sum("ore")).order_by("account")
    return {str(t["account"]): f"{from_ore(t['total']):.2f}" for t in totals}


def _period_rows(reading: _Reading, source: LedgerImport) -> list[LedgerRow]:
    """Ledger rows from the current year's #PSALDO, one per account, month and object combination.

    Exporters write period balances in two ways: disjoint slices (each object combination, and {} for what no
    object takes, as Avendo does) or an account total under {} with per-object breakdowns beside it. The
    file's own closing and result balances tell which: the reading that reproduces them is used.
    """
    current = [b for b in reading.period_balances if b.year == 0 and b.period is not None]
    totals_only = [b for b in current if not b.objects]
    reading_used = (
        current
        if _reproduces_file(reading, current) or not _reproduces_file(reading, totals_only)
        else totals_only
    )
    return [
        LedgerRow(
            source=source,
            association_id=source.association_id,
            date=month_end(b.period),
            account=int(b.account),
            object_key=objects_key(b.objects),
            ore=ore_of(b.amount),
            text="Periodsaldo",
        )
        for b in reading_used
        if b.amount and b.period is not None and b.account.isdigit()
    ]


def _reproduces_file(reading: _Reading, balances: list[Balance]) -> bool:
    """Do these period balances add up to the file's own year figures (#UB − #IB, #RES) for every account?"""
    moved: dict[str, int] = defaultdict(int)
    for b in balances:
        moved[b.account] += ore_of(b.amount)
    opening = {
        b.account: ore_of(b.amount) for b in reading.balances if b.year == 0 and b.kind is BalanceKind.IB
    }
    closing = {
        b.account: ore_of(b.amount) for b in reading.balances if b.year == 0 and b.kind is BalanceKind.UB
    }
    results = {b.account: ore_of(b.amount) for b in reading.results if b.year == 0}
    expected = {a: closing.get(a, 0) - opening.get(a, 0) for a in set(opening) | set(closing)} | results
    return all(moved.get(a, 0) == amount for a, amount in expected.items())


def _fiscal_year(reading: _Reading) -> tuple[dt.date, dt.date] | None:
    if 0 in reading.years:
        return reading.years[0].start, reading.years[0].end
    if reading.first_date and reading.last_date and reading.first_date.year == reading.last_date.year:
        # An import file (4I) may name no fiscal year; its vouchers then give the calendar year.
        return dt.date(reading.first_date.year, 1, 1), dt.date(reading.first_date.year, 12, 31)
    return None


def import_file(
    path: Path, association: Association, actor: Actor, *, on_progress: Progress | None = None
) -> ImportResult:
    sha, size = _sha256(path)
    if LedgerImport.objects.filter(association=association, sha256=sha, in_force=True).exists():
        return ImportResult(unchanged=1, details=["filen är redan importerad; inget ändrades"])
    try:
        with transaction.atomic():
            return _import(path, association, actor, sha, size, on_progress)
    except SieErrors as errors:
        problems = [_problem(e) for e in errors.errors]
        if errors.truncated:
            problems.append(Problem(None, None, path.name, "läsningen avbröts efter för många fel"))
        raise ImportRejected(str(path), problems) from None


def _import(
    path: Path, association: Association, actor: Actor, sha: str, size: int, on_progress: Progress | None
) -> ImportResult:
    source = LedgerImport.objects.create(
        association=association,
        actor=actor.label,
        filename=path.name,
        sha256=sha,
        size=size,
        year_start=dt.date(1900, 1, 1),
        year_end=dt.date(1900, 12, 31),
        in_force=False,
    )
    reading = _Reading()
    buffer: list[LedgerRow] = []
    with path.open("rb") as binary:
        for count, item in enumerate(iter_records(binary, keep_unbalanced=True), 1):
            kind = type(item)
            if kind is Voucher:
                assert isinstance(item, Voucher)
                _voucher_rows(item, source, reading, buffer)
                if len(buffer) >= BATCH:
                    LedgerRow.objects.bulk_create(buffer)
                    buffer.clear()
            elif kind is Balance:
                assert isinstance(item, Balance)
                if _storable(item.amount, item.line, item.kind.value, reading) is None:
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
            elif kind is Account:
                assert isinstance(item, Account)
                if item.number.isdigit():
                    reading.accounts[int(item.number)] = item.name
            elif kind is Program:
                assert isinstance(item, Program)
                reading.program = f"{item.name} {item.version}".strip()
            elif kind is Generated:
                assert isinstance(item, Generated)
                reading.generated = item.date
            elif kind is SieType:
                assert isinstance(item, SieType)
                reading.sie_type = item.value
            elif kind is OrgNumber:
                assert isinstance(item, OrgNumber)
                reading.org_number = item
            if on_progress and not count % 20000:
                on_progress(binary.tell(), size)
    LedgerRow.objects.bulk_create(buffer)
    if on_progress:
        on_progress(size, size)

    year = _fiscal_year(reading)
    if year is None:
        raise ImportRejected(
            str(path),
            [Problem(None, "#RAR", None, "räkenskapsår 0 (#RAR 0) eller verifikationer inom ett kalenderår")],
        )
    start, end = year
    outside = [(d, "första") for d in [reading.first_date] if d and d < start] + [
        (d, "sista") for d in [reading.last_date] if d and d > end
    ]
    for day, which in outside:
        reading.problems.append(
            Problem(None, "#VER", day.isoformat(), f"{which} verifikationen inom {start}–{end}")
        )
    reading.problems += _wrong_file(reading, association)
    if reading.problems:
        raise ImportRejected(str(path), reading.problems)

    if not reading.vouchers and reading.period_balances:
        LedgerRow.objects.bulk_create(_period_rows(reading, source))
    _store_balances(reading, source, start)
    _store_accounts(association, reading.accounts)

    previous = list(
        LedgerImport.objects.filter(association=association, year_start=start, in_force=True).exclude(
            pk=source.pk
        )
    )
    replaced = reading.full_export
    before: dict[str, str] = {}
    for old in previous:
        if replaced:
            for account, total in _summary_by_account(old).items():
                before[account] = f"{Decimal(before.get(account, '0')) + Decimal(total):.2f}"
    after = _summary_by_account(source)
    changed_accounts = sorted(
        (a for a in set(before) | set(after) if before.get(a, "0.00") != after.get(a, "0.00")), key=int
    )
    warnings = _balance_warnings(source, start)
    _judge_unbalanced(path, reading, source, start, warnings)
    source.year_start, source.year_end = start, end
    source.program = reading.program[:200]
    source.generated = reading.generated
    source.sie_type = reading.sie_type
    source.vouchers = reading.vouchers
    source.rows = source.ledger_rows.count()
    source.in_force = True
    source.changes = {
        "replaced": [old.pk for old in previous] if replaced else [],
        "accounts_changed": {a: [before.get(a, "0.00"), after.get(a, "0.00")] for a in changed_accounts},
        "balance_warnings": warnings,
        "unbalanced_vouchers": [
            f"{name} (rad {line}): {total:f}" for line, name, total in reading.unbalanced
        ],
    }
    source.save()
    if replaced:
        for old in previous:
            old.ledger_rows.all().delete()
            old.balances.all().delete()
            old.in_force = False
            old.save(update_fields=["in_force"])
    record(
        actor,
        "ledger.import",
        source,
        association=association,
        after={"file": path.name, "sha256": sha, "year": start.isoformat(), "vouchers": reading.vouchers},
    )
    details = [
        f"räkenskapsår {start}–{end}, {reading.vouchers} verifikationer, {source.rows} rader",
        *(
            f"ersatte import {old.filename} från {old.imported_at:%Y-%m-%d %H:%M}"
            for old in previous
            if replaced
        ),
        *(f"{len(changed_accounts)} konton fick nya belopp" for _ in [1] if previous and replaced),
        *(
            f"verifikation {name} (rad {line}) balanserar inte ({total:f}) men ingår i filens egna utgående "
            "balanser; den är importerad som exportören bokfört den"
            for line, name, total in reading.unbalanced
        ),
        *source.changes["balance_warnings"],
    ]
    return ImportResult(
        created=source.rows, deleted=sum(o.rows for o in previous) if replaced else 0, details=details
    )


def _judge_unbalanced(
    path: Path, reading: _Reading, source: LedgerImport, start: dt.date, warnings: list[str]
) -> None:
    """A voucher that does not balance is refused, unless the exporter's own books hold it: the file is a full
    export whose closing balances follow from its opening balances and every voucher, this one included."""
    if not reading.unbalanced:
        return
    held = not warnings and source.balances.filter(year_start=start, kind=LedgerBalance.Kind.CLOSING).exists()
    if not held:
        raise ImportRejected(
            str(path),
            [
                Problem(
                    line,
                    "#VER",
                    f"{total:f}",
                    "",
                    message=f"verifikation {name} balanserar inte: raderna summerar till {total:f}, "
                    "förväntade 0",
                )
                for line, name, total in reading.unbalanced
            ],
        )


def _storable(amount: Decimal, line: int, record: str, reading: _Reading) -> int | None:
    """The amount in öre, or None (and a problem) when it is too large to store."""
    ore = ore_of(amount)
    if abs(ore) > MAX_ORE:
        limit = f"{from_ore(MAX_ORE):,.0f}".replace(",", " ")
        reading.problems.append(Problem(line, record, f"{amount:f}", f"ett belopp under {limit} kronor"))
        return None
    return ore


def _wrong_file(reading: _Reading, association: Association) -> list[Problem]:
    """What shows that the file cannot be this association's books for the year, though every line reads."""
    problems = []
    file_number = reading.org_number
    if (
        file_number is not None
        and association.org_number
        and _digits(file_number.number)[-10:] != _digits(association.org_number)
    ):
        problems.append(
            Problem(
                file_number.line,
                "#ORGNR",
                file_number.number,
                f"förbundets organisationsnummer {association.org_number}",
            )
        )
    for balance in reading.balances:
        if balance.year not in reading.years:
            problems.append(
                Problem(
                    balance.line,
                    balance.kind.value,
                    balance.year,
                    f"ett räkenskapsår som filen anger (#RAR {balance.year})",
                )
            )
    results = [r for r in reading.results if r.year == 0 and r.amount]
    if results and not reading.vouchers and not reading.period_balances:
        problems.append(
            Problem(
                results[0].line,
                "#RES",
                None,
                "",
                message="filen har årets resultat men varken verifikationer eller periodsaldon (SIE typ 1): "
                "den kan inte ge årets utfall och skulle ersätta den bokföring som finns",
            )
        )
    return problems


def _digits(text: str) -> str:
    return "".join(char for char in text if char.isdigit())


def _voucher_rows(voucher: Voucher, source: LedgerImport, reading: _Reading, buffer: list[LedgerRow]) -> None:
    reading.vouchers += 1
    total = sum((row.amount for row in voucher.counted()), Decimal(0))
    if total:
        reading.unbalanced.append((voucher.line, f"{voucher.series} {voucher.number}", total))
    for row in voucher.counted():
        day = row.date or voucher.date
        if reading.first_date is None or day < reading.first_date:
            reading.first_date = day
        if reading.last_date is None or day > reading.last_date:
            reading.last_date = day
        if not row.account.isdigit():
            reading.problems.append(Problem(row.line, "#TRANS", row.account, "ett kontonummer"))
            continue
        ore = _storable(row.amount, row.line, "#TRANS", reading)
        if ore is None:
            continue
        buffer.append(
            LedgerRow(
                source=source,
                association_id=source.association_id,
                date=day,
                account=int(row.account),
                object_key=objects_key(row.objects),
                ore=ore,
                voucher=f"{voucher.series} {voucher.number}".strip()[:60],
                text=(row.text or voucher.text)[:200],
            )
        )


def _store_balances(reading: _Reading, source: LedgerImport, start: dt.date) -> None:
    rows = []
    for balance in reading.balances:
        year = reading.years.get(balance.year)
        if year is None or not balance.account.isdigit():
            continue
        rows.append(
            LedgerBalance(
                source=source,
                association_id=source.association_id,
                year_start=year.start,
                kind=LedgerBalance.Kind.OPENING
                if balance.kind is BalanceKind.IB
                else LedgerBalance.Kind.CLOSING,
                account=int(balance.account),
                ore=ore_of(balance.amount),
                own_year=year.start == start,
            )
        )
    LedgerBalance.objects.bulk_create(rows)


def _store_accounts(association: Association, accounts: dict[int, str]) -> None:
    known = {a.number: a for a in LedgerAccount.objects.filter(association=association)}
    new = [
        LedgerAccount(association=association, number=n, name=name[:200])
        for n, name in accounts.items()
        if n not in known
    ]
    renamed = [known[n] for n, name in accounts.items() if n in known and known[n].name != name[:200]]
    for account in renamed:
        account.name = accounts[account.number][:200]
    LedgerAccount.objects.bulk_create(new)
    LedgerAccount.objects.bulk_update(renamed, ["name"])


def _balance_warnings(source: LedgerImport, start: dt.date) -> list[str]:
    """Balance accounts whose opening balance plus the year's rows differ from the file's closing balance."""
    opening = {b.account: b.ore for b in source.balances.filter(year_start=start, kind="IB")}
    closing = {b.account: b.ore for b in source.balances.filter(year_start=start, kind="UB")}
    if not closing:
        return []
    moved = {
        r["account"]: r["total"] for r in source.ledger_rows.values("account").annotate(total=Sum("ore"))
    }
    warnings = []
    for account in sorted(set(opening) | set(closing) | set(moved)):
        if not is_balance_account(account):
            continue
        expected = closing.get(account, 0)
        got = opening.get(account, 0) + moved.get(account, 0)
        if got != expected:
            warnings.append(
                f"konto {account}: IB + verifikationer = {from_ore(got):.2f}, "
                f"men filens UB är {from_ore(expected):.2f}"
            )
    return warnings
