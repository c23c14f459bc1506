"""Reading a table as people bring it: CSV (`;` or `,`, UTF-8 or Windows-1252 as Excel saves it) or XLSX."""

from __future__ import annotations

import csv
import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

from finsam.core.imports import ImportRejected, Problem

XLSX_MAGIC = b"PK\x03\x04"


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
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise ImportRejected(source, [Problem(None, None, source, "en XLSX-fil som går att öppna")]) from None
    sheet = book.worksheets[0]
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    if not rows:
        raise ImportRejected(source, [Problem(1, None, "", "en rubrikrad")])
    numbered = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(r)]
    return Sheet(list(rows[0]), numbered)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _read_csv(content: bytes) -> Sheet:
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        return Sheet([], [])
    numbered = [
        (n, [c.strip() for c in r]) for n, r in enumerate(rows[1:], start=2) if any(c.strip() for c in r)
    ]
    return Sheet([h.strip() for h in rows[0]], numbered)


def read_table(content: bytes, source: str) -> Sheet:
    if content.startswith(XLSX_MAGIC) or source.lower().endswith(".xlsx"):
        return _read_xlsx(content, source)
    return _read_csv(content)
