"""Period balances: the books in force summed per month, account and objects (ADR 0029).

An import adds its rows' sums in its own transaction, after a full export has taken away those of the year it
replaces (:func:`add_import`, :func:`forget_year`): it summed its rows as it stored them, so it writes one
balance per month, account and objects without reading its rows back. :func:`rebuild` computes them all again
from the rows (`finsam manage rebuild_balances`) in one SQL statement that sums the rows in the database.
:func:`ledger_sums` answers what the statements ask of the ledger (öre per account and objects over a span of
days) from the balances of the whole months in the span and the rows of the days around them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping

from django.db import connection, transaction
from django.db.models import Aggregate, Count, Q, Sum

from finsam.core.audit import Actor, record
from finsam.finance.accounts_spec import RESULT_CLOSING_ACCOUNT, balance_account_ranges
from finsam.finance.models import LedgerImport, LedgerRow, PeriodBalance
from finsam.organisation.models import Association

Sums = dict[tuple[int, str], int]  # (account, objects) → öre
MonthSums = Mapping[tuple[dt.date, int, str], tuple[int, int]]  # (month, account, objects) → (öre, rows)


def _month_of(column: str) -> str:
    """SQL for the first day of the month of a date column, as the database stores a date."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"substr({column}, 1, 8) || '01'"  # SQLite keeps dates as text, YYYY-MM-DD


def _upsert(balances: str) -> str:
    """SQL adding the balances that ``balances`` gives (a SELECT or VALUES of the columns below) to those
    stored."""
    table = connection.ops.quote_name(PeriodBalance._meta.db_table)
    return (
        f"INSERT INTO {table} (association_id, year_start, month, account, object_key, ore, rows) {balances} "
        "ON CONFLICT (association_id, month, account, object_key, year_start) DO UPDATE SET "
        f"ore = {table}.ore + excluded.ore, rows = {table}.rows + excluded.rows"
    )


def _add_sums(where: str, params: list[int]) -> None:
    """Add the sums of the rows (of imports ``i``, rows ``r``) that ``where`` selects to the balances."""
    quote = connection.ops.quote_name
    row, source = (quote(m._meta.db_table) for m in (LedgerRow, LedgerImport))
    month = _month_of("r.date")
    select = (
        f"SELECT r.association_id, i.year_start, {month}, r.account, r.object_key, SUM(r.ore), COUNT(*) "
        f"FROM {row} r JOIN {source} i ON i.id = r.source_id WHERE {where} GROUP BY 1, 2, 3, 4, 5"
    )
    with connection.cursor() as cursor:
        cursor.execute(_upsert(select), params)


def add_import(source: LedgerImport, sums: MonthSums) -> None:
    """Add the rows of an import just put in force (its year already set), as it summed them per month,
    account and objects while it stored them, to the balances of its year."""
    ids = (source.association_id, source.year_start)
    balances = [(*ids, *key, ore, rows) for key, (ore, rows) in sums.items()]
    if balances:
        with connection.cursor() as cursor:
            cursor.executemany(_upsert("VALUES (%s, %s, %s, %s, %s, %s, %s)"), balances)


def add_in_force() -> None:
    """The balances of every import in force, for a database that has none yet (the migration adding them)."""
    _add_sums("i.in_force", [])


def forget_year(association: Association, start: dt.date) -> None:
    """Take away the balances of a fiscal year whose imports a full export replaces."""
    PeriodBalance.objects.filter(association=association, year_start=start).delete()


def rebuild(actor: Actor, association: Association) -> int:
    """Compute the association's balances again from the ledger rows of the imports in force; the number of
    balances written."""
    with transaction.atomic():
        before = PeriodBalance.objects.filter(association=association).count()
        PeriodBalance.objects.filter(association=association).delete()
        _add_sums("i.in_force AND r.association_id = %s", [association.pk])
        after = PeriodBalance.objects.filter(association=association).count()
        record(
            actor,
            "ledger.rebuild_balances",
            association,
            association=association,
            before={"balances": before},
            after={"balances": after},
        )
    return after


def accounts(*, balance_accounts: bool) -> Q:
    """Balance accounts, or result accounts without the closing entry of the result
    (RESULT_CLOSING_ACCOUNT)."""
    balance = Q()
    for low, high in balance_account_ranges():
        balance |= Q(account__gte=low, account__lt=high)
    return balance if balance_accounts else ~balance & ~Q(account=RESULT_CLOSING_ACCOUNT)


def _whole_months(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date] | None:
    """The first days of the first and the last whole month within start..end; None if there is none."""
    first = start if start.day == 1 else _next_month(start)
    last = end.replace(day=1)
    if _next_month(end) - dt.timedelta(days=1) != end:
        last = (last - dt.timedelta(days=1)).replace(day=1)
    return (first, last) if first <= last else None


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + 1, 1, 1) if day.month == 12 else dt.date(day.year, day.month + 1, 1)


def ledger_sums(association: Association, start: dt.date, end: dt.date, *, balance_accounts: bool) -> Sums:
    """Öre per (account, objects) of the books in force dated start..end, of balance or of result accounts
    (the latter without the closing entry of the result, see RESULT_CLOSING_ACCOUNT)."""
    return sums(association, start, end, accounts(balance_accounts=balance_accounts))


def sums(association: Association, start: dt.date, end: dt.date, selected: Q) -> Sums:
    """Öre per (account, objects) of the books in force dated start..end, on the accounts ``selected``
    picks."""
    return _totals(association, start, end, selected, Sum("ore"), Sum("ore"))


def row_counts(association: Association, start: dt.date, end: dt.date) -> Sums:
    """Ledger rows in force per (account, objects) dated start..end."""
    return _totals(association, start, end, Q(), Sum("rows"), Count("id"))


def _totals(
    association: Association,
    start: dt.date,
    end: dt.date,
    selected: Q,
    of_balances: Aggregate,
    of_rows: Aggregate,
) -> Sums:
    """A total per (account, objects) over start..end: from the balances of the whole months in the span
    (``of_balances``) and the ledger rows of the days around them (``of_rows``)."""
    found: dict[tuple[int, str], int] = defaultdict(int)
    months = _whole_months(start, end)
    days = [(start, end)]
    if months is not None:
        first, last = months
        balances = PeriodBalance.objects.filter(selected, association=association, month__range=months)
        for t in balances.values("account", "object_key").annotate(total=of_balances).order_by():
            found[t["account"], t["object_key"]] += t["total"]
        days = [(start, first - dt.timedelta(days=1)), (_next_month(last), end)]
    for low, high in days:
        if low > high:
            continue
        rows = LedgerRow.objects.filter(
            selected, association=association, date__range=(low, high), source__in_force=True
        )
        for t in rows.values("account", "object_key").annotate(total=of_rows).order_by():
            found[t["account"], t["object_key"]] += t["total"]
    return dict(found)
