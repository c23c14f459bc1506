"""How the rendered files lay out: page breaks in the PDF, A4 and a footer in Word, typed cells in Excel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.document import Document as Word
from docx.oxml.ns import qn
from docx.shared import Length
from openpyxl import load_workbook
from PIL import Image

from finsam.core.documents import Chart, Column, Document, Kind, Section, Table
from finsam.reports.render.docx import render_docx
from finsam.reports.render.xlsx import render_xlsx
from finsam.reports.tests.conftest import DemoDocument, Render
from finsam.reports.tests.pdf import pdf_pages


def headings_with_content(document: Document) -> set[str]:
    """Table captions, and headings of sections that have something under them."""
    found = {t.title for t in document.tables}
    for section in document.sections:
        if section.html or section.paragraphs or section.charts or section.tables:
            found.add(section.heading)
    return found


def test_pdf_totals_print_once_and_captions_stay_with_their_tables(
    demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    reports = [
        ("interim-report", "sodra-vatterbygden", dt.date(2023, 6, 30), ["Summa intäkter", "Summa kostnader"]),
        ("business-plan", "sodra-vatterbygden", dt.date(2012, 12, 31), ["Summa intäkter", "Summa kostnader"]),
        (
            "annual-report",
            "finnveden",
            dt.date(2023, 12, 31),
            ["Summa tillgångar", "Summa eget kapital och skulder"],
        ),
    ]
    for kind, slug, end, totals in reports:
        gathered = demo_document(kind, slug, end)
        pages = pdf_pages(render_once(gathered, "pdf"), tmp_path)
        for label in totals:
            printed = [n for n, page in enumerate(pages, 1) for line in page if line.startswith(label)]
            assert len(printed) == 1, f"{kind}: {label!r} printed on pages {printed}"
        headings = headings_with_content(gathered.document)
        for number, page in enumerate(pages[:-1], 1):
            assert page[-1] not in headings, f"{kind}: {page[-1]!r} left at the foot of page {number}"


def small_document() -> Document:
    table = Table(
        "Kostnader",
        [Column("name", "Belopp i kr"), Column("amount", "Utfall", Kind.MONEY)],
        [{"name": f"Rad {n}", "amount": Decimal(n * 1000)} for n in range(60)],
        total={"name": "Summa kostnader", "amount": Decimal(1770000)},
    )
    picture = io.BytesIO()
    Image.new("RGB", (40, 20), "white").save(picture, "PNG")
    chart = Chart("Kostnader per insats", "<svg/>", picture.getvalue())
    return Document(
        "Delårsrapport",
        "Samordningsförbundet Testdalen",
        "1 januari 2025 – 30 juni 2025",
        [Section("Ekonomi", tables=[table], charts=[chart])],
        "delarsrapport",
    )


def field_codes(word: Word) -> str:
    footer = word.sections[0].footer._element
    return " ".join(t.text for t in footer.iter(qn("w:instrText")))


def test_docx_pages_are_a4_with_page_numbers_and_repeated_table_headers() -> None:
    word = WordDocument(io.BytesIO(render_docx(small_document())))
    section = word.sections[0]
    size = (section.page_width, section.page_height, section.left_margin, section.right_margin)
    assert [round(Length(v).mm) for v in size if v is not None] == [210, 297, 20, 20]  # A4, to the twip
    footer = section.footer.paragraphs[0]
    assert footer.text.startswith("Samordningsförbundet Testdalen\t")
    assert footer.text.endswith("1 (1)")  # "page (pages)" as the PDF prints it, filled in by Word
    assert field_codes(word).split() == ["PAGE", "NUMPAGES"]
    table = word.tables[0]
    header = table.rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None
    assert not any(row._tr.xpath("./w:trPr/w:tblHeader") for row in table.rows[1:])
    titles = ("Kostnader", "Kostnader per insats")
    captions = {p.text: p.style.name if p.style else "" for p in word.paragraphs if p.text in titles}
    assert captions == {"Kostnader": "Caption", "Kostnader per insats": "Caption"}


def test_an_associations_own_word_template_keeps_its_page_and_footer(tmp_path: Path) -> None:
    template = WordDocument()
    template.sections[0].footer.paragraphs[0].text = "Vår egen sidfot"
    own = tmp_path / "mall.docx"
    template.save(str(own))
    word = WordDocument(io.BytesIO(render_docx(small_document(), own)))
    assert word.sections[0].footer.paragraphs[0].text == "Vår egen sidfot"
    assert word.sections[0].page_width == template.sections[0].page_width
    header = word.tables[0].rows[0]._tr.trPr
    assert header is not None and header.find(qn("w:tblHeader")) is not None


def test_xlsx_sheet_names_are_cut_between_words_and_unique() -> None:
    titles = [
        "Not 3 Verksamhetens kostnader",
        "Avvikelserapporter (Lex Heller)",
        "Översikt över verksamhetens utveckling",
        "Deltagare per hemkommun och kön: Samverkansteam Finnveden",
        "Deltagare per hemkommun och kön: IT-spåret",
        "Deltagare per hemkommun och kön: Enter",
        "Ärenden per remittent (med en mycket lång förklaring)",
        "Tabell/med:tecken?",
        "Onedlighetslångtordsomintekanskärasmellanord",
    ]
    document = Document(
        "T", "Förbund", "2025", [Section("S", tables=[Table(t, [Column("a", "A")], []) for t in titles])], "t"
    )
    names = load_workbook(io.BytesIO(render_xlsx(document))).sheetnames
    assert names == [
        "Not 3 Verksamhetens kostnader",
        "Avvikelserapporter (Lex Heller)",
        "Översikt över verksamhetens",
        "Deltagare per hemkommun och kön",
        "Deltagare per hemkommun 2",
        "Deltagare per hemkommun 3",
        "Ärenden per remittent",
        "Tabell med tecken",
        "Onedlighetslångtordsomintekansk",
    ]


def test_xlsx_counts_and_shares_are_numbers_in_the_demos_annual_report(
    demo_document: DemoDocument, render_once: Render
) -> None:
    gathered = demo_document("annual-report", "finnveden", dt.date(2023, 12, 31))
    book = load_workbook(io.BytesIO(render_once(gathered, "xlsx")))
    for sheet in book:
        assert len(sheet.title) <= 31
        title = str(sheet["A1"].value)
        assert title.startswith(sheet.title)
        # The title goes on after the sheet's name with a space, or with a sign a sheet's name may not hold.
        following = title[len(sheet.title) : len(sheet.title) + 1]
        assert not following.isalnum(), f"{sheet.title!r} cut mid-word"
    assert len({s.title.casefold() for s in book}) == len(book.sheetnames)

    cooperation = {row[0].value: row[1] for row in book["Samverkansärenden och möten"].iter_rows(min_row=5)}
    cases = cooperation["Ärenden"]
    assert (cases.value, cases.data_type, cases.number_format) == (45, "n", "#,##0")
    share = cooperation["Andel möten där ett ärende lyftes"]
    assert share.data_type == "n" and share.value == pytest.approx(0.41) and share.number_format.endswith("%")

    surveys = book["Enkätsvar under perioden"]
    answered, agreed = surveys["C5"], surveys["D5"]
    assert answered.data_type == "n" and isinstance(answered.value, int)
    assert agreed.data_type == "n" and agreed.number_format.endswith("%")
    assert "för få svar" in [c.value for c in surveys["D"]]  # words stay words
