from __future__ import annotations

import io

from docx import Document as WordDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from finsam.reports.document import Document


def render_docx(document: Document) -> bytes:
    word = WordDocument()
    word.styles["Normal"].font.name = "Calibri"
    word.styles["Normal"].font.size = Pt(11)
    word.core_properties.title = document.title
    word.core_properties.language = "sv-SE"
    word.add_heading(document.title, level=0)
    word.add_paragraph(f"{document.association}\n{document.period}")
    for section in document.sections:
        word.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            word.add_paragraph(text)
        for table in section.tables:
            word.add_heading(table.title, level=2)
            grid = word.add_table(rows=1, cols=len(table.columns))
            grid.style = "Light Grid Accent 1"
            grid.alignment = WD_TABLE_ALIGNMENT.CENTER
            rows = [*table.rows, *([table.total] if table.total else [])]
            for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
                cell.text = column.label
            for row in rows:
                cells = grid.add_row().cells
                for cell, column in zip(cells, table.columns, strict=True):
                    cell.text = column.display(row.get(column.key))
                    if column.numeric:
                        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            for note in table.notes:
                word.add_paragraph(note).runs[0].font.size = Pt(9)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
