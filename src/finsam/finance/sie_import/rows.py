"""Ledger rows into the database in bulk: plain tuples through the connection's cursor, no model object per
row (ADR 0029). On PostgreSQL they are copied (``COPY … FROM STDIN``), elsewhere inserted by ``executemany``;
either way inside the import's transaction, so a rejected file leaves none."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from finsam.finance.models import LedgerRow

BATCH = 5000
# The columns a row gives, in its order: source, association, date, account, objects, öre, voucher, text.
FIELDS = ("source", "association", "date", "account", "object_key", "ore", "voucher", "text")
Row = tuple[int, int, dt.date, int, str, int, str, str]


def insert_rows(rows: list[Row]) -> None:
    """Store the rows as they are (the caller has checked every value fits its column)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(LedgerRow._meta.db_table)
    column = {field.name: field.column for field in LedgerRow._meta.concrete_fields}
    columns = ", ".join(quote(column[name]) for name in FIELDS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(FIELDS))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


class RowWriter:
    """Rows gathered while a file is read and stored a batch at a time, so that memory stays flat."""

    def __init__(self) -> None:
        self.rows: list[Row] = []

    def add(self, rows: list[Row]) -> None:
        self.rows += rows
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        insert_rows(self.rows)
        self.rows.clear()
