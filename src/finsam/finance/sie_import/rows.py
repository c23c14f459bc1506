"""Ledger rows into the database in bulk: plain tuples through the connection, no model object per row (ADR
0029). On PostgreSQL they are copied (``COPY … FROM STDIN``), on SQLite inserted from one JSON text a batch;
either way inside the import's transaction, so a rejected file leaves none.

A row's date is given as ISO text ("2024-03-31"), as SQLite keeps a date: binding a ``datetime.date`` there
calls an adapter written in Python for every row.

Every row stored is also summed in memory per day, account and objects (:class:`Totals`): what the import
says of its rows and the period balances it adds are taken from those sums, never by reading a million rows
back (ADR 0029). There are as many sums as days × accounts × object lists the file uses, however many rows.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.utils import DatabaseErrorWrapper

from finsam.finance.models import LedgerImport, LedgerRow

# Rows stored at a time, by their voucher's day: the ledger's (association, date, account) index then takes a
# batch in one sweep rather than at random places (a file's vouchers need not come in date order).
BATCH = 20_000
# The columns a row gives, in its order: date, account, objects, öre, voucher, text; then its voucher's date,
# by which a batch is stored (stable, so that a voucher's rows stay together and in their order). Source and
# association are the writer's, the same for every row.
FIELDS = ("date", "account", "object_key", "ore", "voucher", "text")
ORDER = len(FIELDS)
Row = tuple[str, int, str, int, str, str, str]
Key = tuple[str, int, str]  # day (ISO), account, objects


@dataclass
class Totals:
    """The rows an import stored: öre and number of rows per (day, account, objects)."""

    sums: dict[Key, list[int]] = field(default_factory=dict)  # key → [öre, rows]

    def add(self, rows: list[Row]) -> None:
        sums = self.sums
        for row in rows:
            key = row[:3]
            total = sums.get(key)
            if total is None:
                sums[key] = [row[3], 1]
            else:
                total[0] += row[3]
                total[1] += 1

    @property
    def rows(self) -> int:
        return sum(count for _ore, count in self.sums.values())

    def by_account(self) -> dict[int, int]:
        """Öre per account, accounts in order (an account whose rows sum to nothing included)."""
        found: dict[int, int] = defaultdict(int)
        for (_day, account, _objects), (ore, _count) in sorted(self.sums.items()):
            found[account] += ore
        return dict(sorted(found.items()))

    def by_month(self) -> dict[tuple[dt.date, int, str], tuple[int, int]]:
        """(öre, rows) per month (its first day), account and objects."""
        found: dict[tuple[dt.date, int, str], list[int]] = defaultdict(lambda: [0, 0])
        for (day, account, objects), (ore, count) in self.sums.items():
            total = found[dt.date.fromisoformat(day[:8] + "01"), account, objects]
            total[0] += ore
            total[1] += count
        return {key: (ore, count) for key, (ore, count) in found.items()}


def _table() -> tuple[str, str]:
    """The ledger's table and its columns source, association and those of FIELDS, quoted."""
    quote = connection.ops.quote_name
    column = {field.name: field.column for field in LedgerRow._meta.concrete_fields}
    names = ("source", "association", *FIELDS)
    return quote(LedgerRow._meta.db_table), ", ".join(quote(column[name]) for name in names)


class RowWriter:
    """Rows gathered while a file is read and stored a batch at a time, so that memory stays flat (two batches
    at most); each batch stored is added to ``totals``. Used as a context manager, which stores the last batch
    on leaving.

    A thread of the writer's own stores one batch while the next is read, so that the database's work runs on
    the other core. It uses the import's own DB-API connection, inside its transaction; nothing else uses the
    connection until the batch is in (every flush, and leaving the block, waits for it), and an error of the
    insert is raised where it is waited for. A batch is given to the thread only once the thread has started
    on it: otherwise it would wait for the GIL while the reader holds it, and the two would take turns.

    * SQLite: the batch goes as one JSON text to one statement (``INSERT … SELECT … FROM json_each(?)``), so
      SQLite does all of its work (reading the values, the table and its indexes) in one call that releases
      the GIL; bound row by row, the thread would take the GIL back for every row. (SQLite's JSON would end
      a text at a NUL: a file holding one is refused before it is read, as PostgreSQL stores none.)
    * PostgreSQL: the batch is copied (``COPY … FROM STDIN``); the server parses and stores it while the
      thread waits for it without the GIL.
    """

    def __init__(self, source: LedgerImport, totals: Totals) -> None:
        self.source = source
        self.rows: list[Row] = []
        self.totals = totals
        self.pending: Future[None] | None = None
        self.pool = ThreadPoolExecutor(1, "ledger-rows")

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self.flush()
            self._wait(raising=kind is None)
        finally:
            self.pool.shutdown()

    def add(self, rows: list[Row]) -> None:
        self.rows += rows
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self._wait(raising=True)
        rows, self.rows = self.rows, []
        if not rows:
            return
        self.totals.add(rows)
        connection.ensure_connection()
        table, columns = _table()
        ids = (self.source.pk, self.source.association_id)
        if connection.vendor == "postgresql":
            job: Callable[[], None] = partial(_copy, connection.connection, table, columns, ids, rows)
        else:
            batch = json.dumps(rows, ensure_ascii=False, check_circular=False)
            # Source and association are the same for every row: bound once, the rest read from the JSON.
            values = ", ".join(f"json_extract(value, '$[{index}]')" for index in range(len(FIELDS)))
            sql = (
                f"INSERT INTO {table} ({columns}) SELECT ?, ?, {values} FROM json_each(?) "
                f"ORDER BY json_extract(value, '$[{ORDER}]'), key"
            )
            job = partial(connection.connection.execute, sql, (*ids, batch))
        started = threading.Event()
        self.pending = self.pool.submit(_run, job, connection.wrap_database_errors, started)
        started.wait()

    def _wait(self, *, raising: bool) -> None:
        pending, self.pending = self.pending, None
        if pending is not None and (error := pending.exception()) is not None and raising:
            raise error


def _copy(database: Any, table: str, columns: str, ids: tuple[int, int], rows: list[Row]) -> None:
    with database.cursor() as cursor, cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
        for row in _in_order(rows):
            copy.write_row(ids + row)


def _in_order(rows: list[Row]) -> list[tuple[str, int, str, int, str, str]]:
    """The rows by their voucher's day (stable: a voucher's rows stay together and in their order)."""
    return [row[:6] for row in sorted(rows, key=itemgetter(ORDER))]


def _run(job: Callable[[], object], errors: DatabaseErrorWrapper, started: threading.Event) -> None:
    """The writer's thread: store a batch through the import's DB-API connection, its errors as Django's."""
    started.set()
    with errors:
        job()
