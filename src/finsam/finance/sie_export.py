"""A fiscal year's ledger as an SIE 4 file written by finsam, for the auditor (ADR 0020).

What is written is what the statements count: the ledger rows and balances of the imports in force for the
year, never the files as they came. The file is SIE 4 as the standard describes it: CP437 (``#FORMAT PC8``)
with CRLF (finsam.sie.writer), #FLAGGA, #PROGRAM, #FORMAT, #GEN, #SIETYP 4, #ORGNR, #FNAMN, #RAR, #KONTO,
#DIM and #OBJEKT for the objects used, #IB, #UB and #RES, then the vouchers (#VER with their #TRANS) in the
order they were imported. A year whose ledger came as period balances (a file without vouchers) gets them as
#PSALDO again. finsam's own reader reads the file back to the same rows and balances.

A stored row keeps its voucher as one name ("A 16"): it is written as series and number split at the last
space, which the reader joins back to the same name. A text with a character outside CP437 (which SIE 4
cannot hold) is written with "?" in its place.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby
from typing import IO

from django.db.models import QuerySet, Sum
from django.utils import timezone

from finsam import __version__
from finsam.core.money import from_ore
from finsam.finance.accounts_spec import is_balance_account
from finsam.finance.models import LedgerAccount, LedgerBalance, LedgerImport, LedgerRow
from finsam.organisation.models import Association
from finsam.sie import (
    Account,
    Balance,
    BalanceKind,
    CompanyName,
    Dimension,
    FiscalYear,
    Flag,
    Format,
    Generated,
    ObjectDef,
    OrgNumber,
    Program,
    Record,
    RowKind,
    SieType,
    Transaction,
    Voucher,
    write_sie,
)

# The dimensions SIE reserves, by the names the standard gives them; others are named by their number.
DIMENSIONS = {
    1: "Resultatenhet",
    2: "Kostnadsbärare",
    6: "Projekt",
    7: "Anställd",
    8: "Kund",
    9: "Leverantör",
    10: "Faktura",
}


class NoLedger(Exception):
    """No import is in force for the fiscal year."""


def in_force(association: Association, start: dt.date) -> list[LedgerImport]:
    """The imports in force for the fiscal year starting ``start``, oldest first."""
    return list(
        LedgerImport.objects.filter(association=association, year_start=start, in_force=True).order_by(
            "imported_at", "id"
        )
    )


def write_year(
    association: Association, start: dt.date, target: IO[bytes], signature: str = "finsam"
) -> None:
    """Write the fiscal year starting ``start`` as SIE 4 to a binary stream. Raises NoLedger."""
    write_sie(target, records(association, start, signature))


def records(association: Association, start: dt.date, signature: str = "finsam") -> Iterator[Record]:
    imports = in_force(association, start)
    if not imports:
        raise NoLedger(start.isoformat())
    end = max(i.year_end for i in imports)
    rows = LedgerRow.objects.filter(source__in=imports)
    yield Flag(0, 0)
    yield Program(0, "finsam", __version__)
    yield Format(0, "PC8")
    yield Generated(0, timezone.localdate(), _cp437(signature))
    yield SieType(0, 4)
    if association.org_number:
        yield OrgNumber(0, association.org_number)
    yield CompanyName(0, _cp437(association.name))
    yield FiscalYear(0, 0, start, end)
    balances = _balances(imports, start, rows)
    used = {int(b.account) for b in balances} | set(rows.values_list("account", flat=True).distinct())
    names = dict(LedgerAccount.objects.filter(association=association).values_list("number", "name"))
    for number in sorted(used):
        yield Account(0, str(number), _cp437(names.get(number, "")))
    yield from _objects(rows)
    yield from balances
    periods = [i for i in imports if not i.vouchers]
    yield from _period_balances(rows.filter(source__in=periods))
    yield from _vouchers(rows.exclude(source__in=periods))


def _balances(imports: list[LedgerImport], start: dt.date, rows: QuerySet[LedgerRow]) -> list[Balance]:
    """#IB and #UB as stored (closing ones worked out from the opening ones and the rows when the files gave
    none), and #RES of the result accounts from the rows."""
    stored = LedgerBalance.objects.filter(source__in=imports, year_start=start, own_year=True)
    opening: dict[int, int] = defaultdict(int)
    closing: dict[int, int] = defaultdict(int)
    for kind, account, ore in stored.values_list("kind", "account", "ore"):
        (opening if kind == LedgerBalance.Kind.OPENING else closing)[account] += ore
    moved = {r["account"]: r["total"] for r in rows.values("account").annotate(total=Sum("ore")).order_by()}
    if not closing:
        for account in set(opening) | {a for a in moved if is_balance_account(a)}:
            closing[account] = opening.get(account, 0) + moved.get(account, 0)
    results = {a: ore for a, ore in moved.items() if not is_balance_account(a)}
    found: list[Balance] = []
    for kind, amounts in ((BalanceKind.IB, opening), (BalanceKind.UB, closing), (BalanceKind.RES, results)):
        found.extend(
            Balance(0, kind, 0, None, str(account), (), from_ore(ore))
            for account, ore in sorted(amounts.items())
            if ore
        )
    return found


def _objects(rows: QuerySet[LedgerRow]) -> Iterator[Record]:
    keys = set(rows.exclude(object_key="").values_list("object_key", flat=True).distinct())
    pairs = sorted({pair for key in keys for pair in _split_key(key)})
    for dimension in sorted({d for d, _code in pairs}):
        yield Dimension(0, dimension, DIMENSIONS.get(dimension, f"Dimension {dimension}"))
    for dimension, code in pairs:
        yield ObjectDef(0, dimension, _cp437(code), _cp437(code))


def _split_key(key: str) -> tuple[tuple[int, str], ...]:
    """ "1:10|6:ENTER" → ((1, "10"), (6, "ENTER")), as finance.sie_import.reading.objects_key made it."""
    if not key:
        return ()
    pairs = (part.split(":", 1) for part in key.split("|"))
    return tuple((int(dimension), code) for dimension, code in pairs)


def _period_balances(rows: QuerySet[LedgerRow]) -> Iterator[Balance]:
    totals = (
        rows.values("date", "account", "object_key").annotate(total=Sum("ore")).order_by("date", "account")
    )
    for t in totals:
        day: dt.date = t["date"]
        objects = tuple((d, _cp437(c)) for d, c in _split_key(t["object_key"]))
        period = day.year * 100 + day.month
        yield Balance(0, BalanceKind.PSALDO, 0, period, str(t["account"]), objects, from_ore(t["total"]))


def _vouchers(rows: QuerySet[LedgerRow]) -> Iterator[Voucher]:
    """The rows as vouchers: consecutive rows of one import with the same voucher name are one voucher."""
    ordered = rows.order_by("source_id", "id").iterator(chunk_size=5000)
    for (_source, name), group in groupby(ordered, key=lambda r: (r.source_id, r.voucher)):
        voucher_rows = list(group)
        day = min(r.date for r in voucher_rows)
        series, _space, number = _cp437(name).rpartition(" ")
        transactions = [
            Transaction(
                0,
                RowKind.TRANS,
                str(r.account),
                tuple((d, _cp437(c)) for d, c in _split_key(r.object_key)),
                from_ore(r.ore),
                date=r.date if r.date != day else None,
                text=_cp437(r.text),
            )
            for r in voucher_rows
        ]
        yield Voucher(0, series, number, day, transactions=transactions)


def _cp437(text: str) -> str:
    """The text as SIE 4 can hold it: a character outside CP437 becomes "?"."""
    return text.encode("cp437", "replace").decode("cp437")
