from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from finsam.core.documents import Cell, Document, Kind
from finsam.core.spreadsheet import append_row

FORMATS = {Kind.MONEY: "#,##0", Kind.INTEGER: "#,##0", Kind.SHARE: "0.0%", Kind.DATE: "yyyy-mm-dd"}
SHEET_NAME_LENGTH = 31  # Excel's limit

# A number as finsam.core.formatting writes it: "45", "−1 092 600" (U+2212, or an ASCII minus a builder
# typed), "5,3", "41 %" (no-break spaces). No leading zero, so that a code such as "0662" stays text.
FORMATTED_NUMBER = re.compile(r"([-\u2212]?(?:0|[1-9]\d{0,2}(?:\u00a0\d{3})*))(?:,(\d+))?(\u00a0?%)?")
IDENTIFIER_KEYS = {"code"}  # text columns whose digits are names, never quantities
# Words a clipped name should not end on ("Deltagare per hemkommun och").
DANGLING_WORDS = {"av", "eller", "från", "för", "i", "med", "och", "om", "per", "på", "samt", "till", "under"}


def _clip(text: str, limit: int) -> str:
    """At most limit characters, cut between words, never leaving a parenthesis open."""
    if len(text) <= limit:
        return text
    head = text[: limit + 1]
    cut = head.rsplit(" ", 1)[0] if " " in head else text[:limit]
    if cut.count("(") > cut.count(")"):
        cut = cut[: cut.rindex("(")]
    words = cut.rstrip(" ,;:–-").split(" ")
    while len(words) > 1 and words[-1].casefold() in DANGLING_WORDS:
        words.pop()
    return " ".join(words).rstrip(" ,;:–-") or text[:limit]


def _sheet_title(title: str, used: set[str]) -> str:
    """A sheet name Excel accepts and no other sheet in the workbook has (Excel ignores case)."""
    base = re.sub(r"[\[\]\*\?/\\:]", " ", title)
    base = re.sub(r"\s+", " ", base).strip().strip("'") or "Tabell"
    name, n = _clip(base, SHEET_NAME_LENGTH), 2
    while name.casefold() in used:
        suffix = f" {n}"
        name, n = _clip(base, SHEET_NAME_LENGTH - len(suffix)) + suffix, n + 1
    used.add(name.casefold())
    return name


def _number(text: str) -> tuple[int | float, str] | None:
    """A figure the builder gave only as text, with the display format it was written in."""
    found = FORMATTED_NUMBER.fullmatch(text.strip())
    if found is None:
        return None
    whole, fraction, percent = found.groups()
    value = Decimal(whole.replace("\u00a0", "").replace("\u2212", "-") + (f".{fraction}" if fraction else ""))
    decimals = "." + "0" * len(fraction) if fraction else ""
    if percent:
        return float(value / 100), f"0{decimals}%"
    return (float(value), f"#,##0{decimals}") if fraction else (int(value), "#,##0")


def render_xlsx(document: Document) -> bytes:
    """One sheet per table; numbers stay numbers (exact to the öre) with a display format, text stays text."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for table in document.tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        append_row(sheet, [table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        append_row(sheet, [f"{document.association}, {document.period}"])
        append_row(sheet, [])
        for cell in append_row(sheet, [c.label for c in table.columns]):
            cell.font = bold
        rows = [*table.rows, *([table.total] if table.total else [])]
        for row in rows:
            values: list[Cell | float] = []
            formats: list[str | None] = []
            for index, column in enumerate(table.columns):
                value: Cell | float = row.get(column.key)
                number_format = FORMATS.get(column.kind)
                if isinstance(value, Decimal) and column.kind == Kind.SHARE:
                    value = float(value)
                elif (
                    isinstance(value, str)
                    and column.kind == Kind.TEXT
                    and index > 0  # the row's label
                    and column.key not in IDENTIFIER_KEYS
                    and (typed := _number(value)) is not None
                ):
                    value, number_format = typed
                values.append(value)
                formats.append(number_format)
            for cell, number_format in zip(append_row(sheet, values), formats, strict=True):
                if number_format:
                    cell.number_format = number_format
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        for note in table.notes:
            append_row(sheet, [note])
        for index, column in enumerate(table.columns, start=1):
            width = max([len(column.label), *(len(column.display(r.get(column.key))) for r in rows)]) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(60, width)
        sheet.freeze_panes = "A5"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
