"""Word documents: the association's own template (styles, header, logo) or ours, filled with the report."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html
from docx import Document as WordDocument
from docx.document import Document as Word
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt
from docx.text.paragraph import Paragraph

from finsam.reports.document import Document, Table


def _new(template: Path | None) -> Word:
    """A document from the template with its body emptied (its styles, headers and footers kept)."""
    word = WordDocument(str(template)) if template else WordDocument()
    body = word.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    if template is None:
        word.styles["Normal"].font.name = "Calibri"
        word.styles["Normal"].font.size = Pt(11)
    return word


def _runs(
    paragraph: Paragraph, element: lxml.html.HtmlElement, bold: bool = False, italic: bool = False
) -> None:
    if element.text:
        run = paragraph.add_run(element.text)
        run.bold, run.italic = bold or None, italic or None
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            paragraph.add_run().add_break()
        else:
            _runs(paragraph, child, bold or tag in ("strong", "b"), italic or tag in ("em", "i"))
        if child.tail:
            run = paragraph.add_run(child.tail)
            run.bold, run.italic = bold or None, italic or None


def _narrative(word: Word, html: str) -> None:
    """The sanitised HTML of a narrative text as Word paragraphs, lists and headings."""
    for element in lxml.html.fragments_fromstring(html):
        if isinstance(element, str):
            if element.strip():
                word.add_paragraph(element.strip())
            continue
        tag = element.tag
        if tag in ("ul", "ol"):
            style = "List Bullet" if tag == "ul" else "List Number"
            for item in element.iterfind("li"):
                _runs(word.add_paragraph(style=style), item)
        elif tag in ("h1", "h2", "h3", "h4"):
            word.add_heading(element.text_content(), level=3)
        elif tag == "blockquote":
            for child in element:
                _runs(word.add_paragraph(style="Quote"), child)
        else:
            _runs(word.add_paragraph(), element)


def _table(word: Word, table: Table) -> None:
    word.add_paragraph(table.title, style="Caption" if "Caption" in word.styles else None).runs[0].bold = True
    grid = word.add_table(rows=1, cols=len(table.columns))
    grid.style = "Light Grid Accent 1" if "Light Grid Accent 1" in word.styles else grid.style
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, column in zip(grid.rows[0].cells, table.columns, strict=True):
        cell.text = column.label
        if column.numeric:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    rows = [*table.rows, *([table.total] if table.total else [])]
    for index, row in enumerate(rows):
        cells = grid.add_row().cells
        for cell, column in zip(cells, table.columns, strict=True):
            cell.text = column.display(row.get(column.key))
            if column.numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if table.total and index == len(rows) - 1:
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    for note in table.notes:
        word.add_paragraph(note).runs[0].font.size = Pt(9)


def render_docx(document: Document, template: Path | None = None) -> bytes:
    word = _new(template)
    word.core_properties.title = document.title
    word.core_properties.language = "sv-SE"
    word.add_heading(document.title, level=0)
    word.add_paragraph(f"{document.association}\n{document.period}")
    for section in document.sections:
        if section.new_page:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        word.add_heading(section.heading, level=1 if section.level <= 2 else 2)
        if section.html:
            _narrative(word, section.html)
        for text in section.paragraphs:
            word.add_paragraph(text)
        for chart in section.charts:
            word.add_picture(io.BytesIO(chart.png), width=Cm(15))
            word.add_paragraph(chart.title).runs[0].font.size = Pt(9)
        for table in section.tables:
            _table(word, table)
    for line in document.signature:
        word.add_paragraph(line)
    if document.signatures:
        grid = word.add_table(rows=0, cols=2)
        for index in range(0, len(document.signatures), 2):
            cells = grid.add_row().cells
            for cell, (name, role, when) in zip(cells, document.signatures[index : index + 2], strict=False):
                cell.text = f"{name}\n{role}" + (f"\nGodkänd {when}" if when else "")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
