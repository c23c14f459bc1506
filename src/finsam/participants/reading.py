"""Reading a table as people bring it: CSV (`;` or `,`, UTF-8 or Windows-1252 as Excel saves it) or XLSX.

An XLSX file is opened only after its archive is checked (core.archives); either kind is read to at most
MAX_ROWS rows after the header and MAX_COLUMNS columns, so that what a file costs to read stays bounded.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from finsam.core import archives
from finsam.core.imports import ImportRejected, Problem, csv_records, too_many_rows

XLSX_MAGIC = b"PK\x03\x04"
MAX_ROWS = 50_000  # episodes in one file: an association's whole history; a larger one can be split
MAX_COLUMNS = 50  # the format has 18


def header_key(text: str) -> str:
    """A header as compared: case, accents, blanks and hyphens ignored ("Födelseår" -> "fodelsear")."""
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "_".join(plain.replace("-", " ").replace("_", " ").split())


value_key = header_key


@dataclass(frozen=True)
class Sheet:
    headers: list[str]  # as written in the file
    rows: list[tuple[int, list[str]]]  # (line or row number, cells as text)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(content: bytes, source: str) -> Sheet:
    from openpyxl import load_workbook

    try:
        archives.check_xlsx(content)
    except archives.UnsafeArchive as error:
        raise ImportRejected(source, [Problem(None, None, None, "", str(error))]) from None
    unopenable = ImportRejected(source, [Problem(None, None, source, _("en XLSX-fil som går att öppna"))])
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise unopenable from None
    try:
        if not book.worksheets:
            raise ImportRejected(source, [Problem(None, None, source, _("ett arbetsblad med deltagarna"))])
        rows = _xlsx_rows(book.worksheets[0], source)
    except ImportRejected:
        raise
    except Exception:  # the worksheet is read as it streams: a broken one fails here, in as many kinds
        raise unopenable from None
    finally:
        book.close()
    if not rows:
        raise ImportRejected(source, [Problem(1, None, "", "en rubrikrad")])
    numbered = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(r)]
    return Sheet(list(rows[0]), numbered)


def _xlsx_rows(sheet: Any, source: str) -> list[list[str]]:
    """The cells as text, to MAX_COLUMNS columns (a value beyond refuses the file) and MAX_ROWS rows.

    The sheet's own dimension is ignored, so that each row is as wide as its last cell, not as the widest the
    file claims to have."""
    sheet.reset_dimensions()
    rows: list[list[str]] = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if number > MAX_ROWS + 1:
            raise ImportRejected(source, [too_many_rows(MAX_ROWS)])
        if any(value is not None for value in row[MAX_COLUMNS:]):
            message = _("ett värde efter kolumn %s; förväntade högst så många kolumner") % MAX_COLUMNS
            raise ImportRejected(source, [Problem(number, None, None, "", message)])
        rows.append([_cell_text(v) for v in row[:MAX_COLUMNS]])
    return rows


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _read_csv(content: bytes, source: str) -> Sheet:
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    rows = [fields for _number, fields in csv_records(text, delimiter, source, MAX_ROWS)]
    if not rows:
        return Sheet([], [])
    numbered = [
        (n, [c.strip() for c in r]) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)
    ]
    return Sheet([h.strip() for h in rows[0]], numbered)


def read_table(content: bytes, source: str) -> Sheet:
    if content.startswith(XLSX_MAGIC) or source.lower().endswith(".xlsx"):
        return _read_xlsx(content, source)
    return _read_csv(content, source)
