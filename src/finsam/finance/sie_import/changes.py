"""What an import changes in the books of its fiscal year, as the command's summary and the web's confirmation
show it: vouchers added, changed and removed, ledger rows, the year's result and equity before and after, and
the organisation number an association without one takes from the file.

The year's figures come from the balance sheet, which reads the period balances (ADR 0029), and the rows'
count from what the import stored, so an import that adds a million rows never reads them back to say so. A
full export that replaces the year is compared with it row by row, as two streams in the order of their date,
account and amount (which the database and Python order alike, whatever the collation of text); rows equal in
those are compared by their objects, voucher and text in memory, so memory stays flat however large the year.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from finsam.core.formatting import amount_text, number
from finsam.finance import statements
from finsam.finance.models import LedgerImport, LedgerRow
from finsam.organisation.models import Association

Row = tuple[dt.date, int, int, str, str, str]  # date, account, öre, objects, voucher, text
Key = tuple[dt.date, int, int]


@dataclass(frozen=True)
class VoucherChanges:
    """Numbered vouchers (series and number) added, changed and removed; ledger rows added and removed."""

    added: int
    changed: int
    removed: int
    rows_added: int
    rows_removed: int


@dataclass(frozen=True)
class YearEnd:
    """The year's result and the equity at the end of the fiscal year, as the balance sheet gives them."""

    result: Decimal
    equity: Decimal


def year_end(association: Association, end: dt.date) -> YearEnd:
    equity = statements.balance_sheet(association, end).equity
    return YearEnd(equity.result_for_year, equity.retained)


def voucher_changes(
    source: LedgerImport, rows: int, named: int, previous: list[LedgerImport], replaces: bool
) -> VoucherChanges:
    """What the staged import ``source`` (its ``rows`` stored, ``named`` vouchers with a name among them, as
    counted while it was read) changes against the imports in force for its year (``previous``): one that
    replaces them is compared row by row; one that adds to them adds all its vouchers."""
    if not replaces:
        return VoucherChanges(named, 0, 0, rows, 0)
    new_rows = LedgerRow.objects.filter(source=source)
    new = _numbered(new_rows)
    old_rows = LedgerRow.objects.filter(source__in=previous)
    old = _numbered(old_rows)
    differing: set[str] = set()
    counts = Counter[int]()
    for side, row in _unmatched(_stream(new_rows), _stream(old_rows)):
        counts[side] += 1
        differing.add(row[4])
    return VoucherChanges(
        added=len(new - old),
        changed=len(differing & new & old),
        removed=len(old - new),
        rows_added=counts[1],
        rows_removed=counts[-1],
    )


def _numbered(rows: QuerySet[LedgerRow]) -> set[str]:
    return set(rows.exclude(voucher="").values_list("voucher", flat=True).distinct())


def _stream(rows: QuerySet[LedgerRow]) -> Iterator[tuple[Key, Counter[tuple[str, str, str]]]]:
    """The rows grouped by date, account and amount, in that order: each group as a multiset of the rest."""
    ordered = rows.order_by("date", "account", "ore").values_list(
        "date", "account", "ore", "object_key", "voucher", "text"
    )
    for key, group in groupby(ordered.iterator(chunk_size=5000), key=lambda row: row[:3]):
        yield key, Counter(row[3:] for row in group)


def _unmatched(
    new: Iterator[tuple[Key, Counter[tuple[str, str, str]]]],
    old: Iterator[tuple[Key, Counter[tuple[str, str, str]]]],
) -> Iterator[tuple[int, Row]]:
    """Rows in only one of the two streams: (1, row) for a new one, (-1, row) for an old one."""
    a, b = next(new, None), next(old, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a[0] < b[0]):
            assert a is not None
            yield from ((1, (*a[0], *rest)) for rest in a[1].elements())
            a = next(new, None)
        elif a is None or b[0] < a[0]:
            yield from ((-1, (*b[0], *rest)) for rest in b[1].elements())
            b = next(old, None)
        else:
            yield from ((1, (*a[0], *rest)) for rest in (a[1] - b[1]).elements())
            yield from ((-1, (*b[0], *rest)) for rest in (b[1] - a[1]).elements())
            a, b = next(new, None), next(old, None)


def describe(
    vouchers: VoucherChanges,
    before: YearEnd | None,
    after: YearEnd,
    end: dt.date,
    org_number: str | None,
    company: str,
) -> list[str]:
    """The summary lines, in Swedish: the same on the command line and on the confirmation page."""
    lines = [
        _(
            "verifikationer: {added} nya, {changed} ändrade, {removed} borttagna; "
            "rader: {rows_added} nya, {rows_removed} borttagna"
        ).format(
            added=number(vouchers.added),
            changed=number(vouchers.changed),
            removed=number(vouchers.removed),
            rows_added=number(vouchers.rows_added),
            rows_removed=number(vouchers.rows_removed),
        )
    ]
    for label, old, new in (
        (_("årets resultat {year}").format(year=end.year), before.result if before else None, after.result),
        (_("eget kapital {day}").format(day=end), before.equity if before else None, after.equity),
    ):
        shown = f"{amount_text(old)} → {amount_text(new)}" if old is not None else amount_text(new)
        lines.append(f"{label}: {shown} kr")
    if org_number:
        named = f" ({company})" if company else ""
        lines.append(
            _(
                "förbundet hade inget organisationsnummer och får filens, {number}{named}; filer med ett "
                "annat organisationsnummer tas inte emot härefter"
            ).format(number=org_number, named=named)
        )
    return lines
