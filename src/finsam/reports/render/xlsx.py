from __future__ import annotations

import io
import re
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from finsam.reports.document import Document, Kind

FORMATS = {Kind.MONEY: "#,##0", Kind.INTEGER: "#,##0", Kind.SHARE: "0.0%", Kind.DATE: "yyyy-mm-dd"}


def _sheet_title(title: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]\*\?/\\:]", " ", title)[:28].strip() or "Tabell"
    name, n = base, 2
    while name in used:
        name, n = f"{base[:25]} {n}", n + 1
    used.add(name)
    return name


def render_xlsx(document: Document) -> bytes:
    """One sheet per table; numbers stay numbers (exact to the öre) with a display format."""
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    bold = Font(bold=True)
    for table in document.tables:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([f"{document.association}, {document.period}"])
        sheet.append([])
        sheet.append([c.label for c in table.columns])
        for cell in sheet[4]:
            cell.font = bold
        rows = [*table.rows, *([table.total] if table.total else [])]
        for row in rows:
            values = []
            for column in table.columns:
                value = row.get(column.key)
                values.append(
                    float(value) if isinstance(value, Decimal) and column.kind == Kind.SHARE else value
                )
            sheet.append(values)
            for cell, column in zip(sheet[sheet.max_row], table.columns, strict=True):
                if column.kind in FORMATS:
                    cell.number_format = FORMATS[column.kind]
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        for note in table.notes:
            sheet.append([note])
        for index, column in enumerate(table.columns, start=1):
            width = max([len(column.label), *(len(column.display(r.get(column.key))) for r in rows)]) + 2
            sheet.column_dimensions[get_column_letter(index)].width = min(60, width)
        sheet.freeze_panes = "A5"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
