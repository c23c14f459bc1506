"""Ledger rows into the database in bulk: plain tuples through the connection's cursor, no model object per
row (ADR 0029). On PostgreSQL they are copied (``COPY … FROM STDIN``), elsewhere inserted by ``executemany``;
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
from collections import defaultdict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.utils import DatabaseErrorWrapper

from finsam.finance.models import LedgerRow

BATCH = 5000
# The columns a row gives, in its order: source, association, date, account, objects, öre, voucher, text.
FIELDS = ("source", "association", "date", "account", "object_key", "ore", "voucher", "text")
Row = tuple[int, int, str, int, str, int, str, str]
Key = tuple[str, int, str]  # day (ISO), account, objects


@dataclass
class Totals:
    """The rows an import stored: öre and number of rows per (day, account, objects)."""

    sums: dict[Key, list[int]] = field(default_factory=dict)  # key → [öre, rows]

    def add(self, rows: list[Row]) -> None:
        sums = self.sums
        for row in rows:
            key = row[2:5]
            total = sums.get(key)
            if total is None:
                sums[key] = [row[5], 1]
            else:
                total[0] += row[5]
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
    """The ledger's table and the columns of FIELDS, quoted."""
    quote = connection.ops.quote_name
    column = {field.name: field.column for field in LedgerRow._meta.concrete_fields}
    return quote(LedgerRow._meta.db_table), ", ".join(quote(column[name]) for name in FIELDS)


def insert_rows(rows: list[Row]) -> None:
    """Store the rows as they are (the caller has checked every value fits its column)."""
    if not rows:
        return
    table, columns = _table()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(FIELDS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


class RowWriter:
    """Rows gathered while a file is read and stored a batch at a time, so that memory stays flat (two batches
    at most); each batch stored is added to ``totals``. Used as a context manager, which stores the last batch
    on leaving.

    On SQLite a thread of the writer's own inserts one batch while the next is read. The batch goes as
    one JSON text to one statement (``INSERT … SELECT … FROM json_each(?)``), so SQLite does all of its work
    (reading the values, the table and its indexes) in one call that releases the GIL, on another core;
    bound row by row, the thread would take the GIL back for every row and wait for it each time. The thread
    uses the import's own connection, inside its transaction; nothing else uses the connection until the
    batch is in (every flush, and leaving the block, waits for it), and an error of the insert is raised
    where it is waited for. SQLite's JSON ends a text at a NUL, so a batch holding one is bound row by row.
    """

    def __init__(self, totals: Totals) -> None:
        self.rows: list[Row] = []
        self.totals = totals
        self.pending: Future[None] | None = None
        self.pool = ThreadPoolExecutor(1, "ledger-rows") if connection.vendor == "sqlite" else None

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self.flush()
            self._wait(raising=kind is None)
        finally:
            if self.pool is not None:
                self.pool.shutdown()

    def add(self, rows: list[Row]) -> None:
        self.rows += rows
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        self._wait(raising=True)
        rows, self.rows = self.rows, []
        batch = json.dumps(rows, ensure_ascii=False, check_circular=False) if self.pool else ""
        if self.pool is None or not rows or "\\u0000" in batch:
            insert_rows(rows)
        else:
            connection.ensure_connection()
            table, columns = _table()
            values = ", ".join(f"json_extract(value, '$[{index}]')" for index in range(len(FIELDS)))
            sql = f"INSERT INTO {table} ({columns}) SELECT {values} FROM json_each(?)"
            database, errors = connection.connection, connection.wrap_database_errors
            self.pending = self.pool.submit(_execute, database, errors, sql, batch)
        self.totals.add(rows)

    def _wait(self, *, raising: bool) -> None:
        pending, self.pending = self.pending, None
        if pending is not None and (error := pending.exception()) is not None and raising:
            raise error


def _execute(database: Any, errors: DatabaseErrorWrapper, sql: str, batch: str) -> None:
    """The writer's thread: insert a batch through the import's DB-API connection, its errors as Django's."""
    with errors:
        database.execute(sql, (batch,))
