"""Rows written to a worksheet, with every text kept as text.

Text in finsam's spreadsheets comes from users: an association's and its members' names, statement rows, a
participant's own key, a municipality. Written as openpyxl takes it, a text that starts with `=` is a formula
(`=HYPERLINK("http://…","a")` is a live link, other formulas reach other files) and `#N/A` an error value.
Every exporter appends its rows through `append_row`, which stores each `str` as a text cell:

- a text cell is never a formula or an error value, whatever its first character;
- a text starting with a character that begins a formula (`= + - @`, tab, carriage return) also gets Excel's
  quote prefix (the cell style `quotePrefix`), so that it stays text when someone edits the cell;
- characters a worksheet cannot hold (ASCII control characters other than tab, line feed and carriage return)
  are dropped rather than failing the download.

Numbers, dates and empty cells are written as given: only `str` values are touched, so a figure meant as a
number must be passed as one (the renderers do).

finsam writes no CSV. An export to CSV would need the OWASP rule for it, since CSV has no cell types: a text
field starting with one of the characters above is prefixed with a single quote (`'`), real numbers never.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def append_row(sheet: Worksheet, values: Iterable[object]) -> tuple[Cell, ...]:
    """Append one row below the last and return its cells; every `str` is a text cell (see the module)."""
    texts = [ILLEGAL.sub("", value) if isinstance(value, str) else value for value in values]
    sheet.append(texts)
    row = tuple(sheet.cell(sheet.max_row, column) for column in range(1, len(texts) + 1))
    for cell, value in zip(row, texts, strict=True):
        if isinstance(value, str) and value:
            cell.data_type = "s"
            if value.startswith(FORMULA_START):
                cell.quotePrefix = True
    return row
