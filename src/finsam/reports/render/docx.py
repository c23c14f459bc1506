"""Word documents: the association's own template (styles, header, logo) or ours, filled with the report."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html
from django.utils import timezone
from django.utils.translation import gettext as _
from docx import Document as WordDocument
from docx.document import Document as Word
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from finsam.core import archives
from finsam.core.documents import Document, Table

LANGUAGE = "sv-SE"
SIDE_MARGIN = Cm(2)  # as the PDF's @page
TEXT_WIDTH = Cm(21 - 2 * 2)


def _new(template: Path | None) -> Word:
    """A document from the template with its body emptied (its styles, headers and footers kept).

    The template is an association's own file: its archive is checked before python-docx opens it."""
    if template:
        archives.check_docx(template)
    word = WordDocument(str(template)) if template else WordDocument()
    body = word.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    if template is None:
        word.styles["Normal"].font.name = "Calibri"
        word.styles["Normal"].font.size = Pt(11)
        _a4(word)
    return word


def _a4(word: Word) -> None:
    """A4 portrait with the PDF's margins (python-docx's own template is US Letter)."""
    for section in word.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.top_margin, section.bottom_margin = Cm(2.2), Cm(2)
        section.left_margin, section.right_margin = SIDE_MARGIN, SIDE_MARGIN
        section.header_distance, section.footer_distance = Cm(1), Cm(1)


def _properties(word: Word, document: Document) -> None:
    """Who wrote the file, when and in which language, as Word shows it under File > Info and checks its
    spelling: the association, the day it was written, Swedish (never python-docx's author, 2013, en-US)."""
    properties = word.core_properties
    properties.title = document.title
    properties.author = properties.last_modified_by = document.association
    properties.comments = ""
    properties.language = LANGUAGE
    properties.created = properties.modified = timezone.now().replace(microsecond=0)
    properties.revision = 1
    styles = word.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = OxmlElement("w:docDefaults")
        styles.insert(0, defaults)
    run_defaults = defaults.find(qn("w:rPrDefault"))
    if run_defaults is None:
        run_defaults = OxmlElement("w:rPrDefault")
        defaults.insert(0, run_defaults)
    run = run_defaults.find(qn("w:rPr"))
    if run is None:
        run = OxmlElement("w:rPr")
        run_defaults.append(run)
    if run.find(qn("w:lang")) is None:
        run.append(OxmlElement("w:lang"))
    for language in styles.iter(qn("w:lang")):  # the defaults and any style that sets its own
        language.set(qn("w:val"), LANGUAGE)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    begin, separate, end = OxmlElement("w:fldChar"), OxmlElement("w:fldChar"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    separate.set(qn("w:fldCharType"), "separate")
    end.set(qn("w:fldCharType"), "end")
    code = OxmlElement("w:instrText")
    code.set(qn("xml:space"), "preserve")
    code.text = f" {instruction} "
    shown = OxmlElement("w:t")  # what a reader shows until it updates the field
    shown.text = "1"
    for element in (begin, code, separate, shown, end):
        paragraph.add_run()._r.append(element)


def _footer(word: Word, association: str) -> None:
    """As on the PDF's pages: the association to the left, "page (pages)" to the right."""
    for section in word.sections:
        paragraph = section.footer.paragraphs[0].clear()
        # Only a right tab at the margin: the Footer style's own stops are placed for US Letter.
        tabs = paragraph.paragraph_format.tab_stops
        style = paragraph.style
        for stop in style.paragraph_format.tab_stops if style is not None else []:
            tabs.add_tab_stop(stop.position, WD_TAB_ALIGNMENT.CLEAR)
        tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
        paragraph.add_run(f"{association}\t")
        _field(paragraph, "PAGE")
        paragraph.add_run(" (")
        _field(paragraph, "NUMPAGES")
        paragraph.add_run(")")
        for run in paragraph.runs:
            run.font.size = Pt(8)


def _repeat_header(grid: WordTable) -> None:
    """The header row is printed again at the top of every page the table runs onto."""
    properties = grid.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def _keep_rows_whole(grid: WordTable) -> None:
    """No row is split across two pages."""
    for row in grid.rows:
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))


def _caption(word: Word, text: str) -> Paragraph:
    """Tables and charts are captioned alike: Word's Caption style where the template has it."""
    if "Caption" in word.styles:
        return word.add_paragraph(text, style="Caption")
    paragraph = word.add_paragraph()
    run = paragraph.add_run(text)
    run.bold, run.font.size = True, Pt(9)
    return paragraph


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


def _table(word: Word, table: Table, captioned: bool = True) -> None:
    if captioned:
        _caption(word, table.title).paragraph_format.keep_with_next = True
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
    _keep_rows_whole(grid)  # before the header flag: Word wants w:cantSplit ahead of w:tblHeader
    _repeat_header(grid)
    for note in table.notes:
        word.add_paragraph(note).runs[0].font.size = Pt(9)


def _signatures(word: Word, document: Document) -> None:
    """Place and date, "Förbundsstyrelsen", and a cell per signer, two to a row."""
    for line in document.signature:
        word.add_paragraph(line).paragraph_format.keep_with_next = True
    if document.signatures:
        grid = word.add_table(rows=0, cols=2)
        for index in range(0, len(document.signatures), 2):
            cells = grid.add_row().cells
            for cell, (name, role, when) in zip(cells, document.signatures[index : index + 2], strict=False):
                cell.text = f"{name}\n{role}" + (f"\n{_('Godkänd')} {when}" if when else "")
        _keep_rows_whole(grid)


def render_docx(document: Document, template: Path | None = None) -> bytes:
    word = _new(template)
    if template is None:  # an association's own template brings its own footer
        _footer(word, document.association)
    _properties(word, document)
    word.add_heading(document.title, level=0)
    word.add_paragraph("\n".join([document.association, document.period, *document.reference]))
    for section in document.sections:
        if section.new_page:
            word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        word.add_heading(section.heading, level=1 if section.level <= 2 else 2)
        if section.html:
            _narrative(word, section.html)
        for text in section.paragraphs:
            word.add_paragraph(text)
        for chart in section.charts:
            picture = word.add_paragraph()
            picture.add_run().add_picture(io.BytesIO(chart.png), width=Cm(15))
            picture.paragraph_format.keep_with_next = True  # the chart stays with its caption
            _caption(word, chart.title)
        for table in section.tables:
            _table(word, table, captioned=not section.repeats_heading(table))
        if section.signed:
            _signatures(word, document)
    if not document.signed_in_section:
        _signatures(word, document)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
