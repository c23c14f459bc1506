"""How the board's documents are put together, as seeds 000, 001 and 004 are: the signatures where the
board signs, no heading without anything under it, no empty budget rows, a plan's goals without follow-up,
and tables that fit the page."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
from pathlib import Path

import pytest
from docx import Document as WordDocument
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph

from finsam.core.documents import Document
from finsam.organisation.models import Association
from finsam.reports.tests.conftest import DemoDocument, Render
from finsam.reports.tests.pdf import pdf_pages

pytestmark = pytest.mark.django_db
PAGE_WIDTH = 595.28  # A4 in points
SIDE_MARGIN = 56.69  # 20 mm, as the @page rule


def words_past_the_margin(content: bytes, tmp_path: Path) -> list[tuple[int, str]]:
    """Words whose right edge lies in the right margin: (page, word)."""
    path = tmp_path / "r.pdf"
    path.write_bytes(content)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    found, page = [], 0
    for line in boxes.splitlines():
        if "<page " in line:
            page += 1
        word = re.search(r'xMax="([\d.]+)".*>(.*)</word>', line)
        if word and float(word.group(1)) > PAGE_WIDTH - SIDE_MARGIN + 0.5:
            found.append((page, word.group(2)))
    return found


def assert_no_page_is_only_a_heading(document: Document, pages: list[list[str]]) -> None:
    headings = {s.heading for s in document.sections} | {document.title}
    meta = {document.association, document.period}
    for number, lines in enumerate(pages, 1):
        assert any(line not in headings | meta for line in lines), f"page {number} holds only {lines}"
        assert lines[-1] not in headings, f"page {number} ends on the heading {lines[-1]!r}"


def assert_every_heading_has_content(document: Document) -> None:
    for index, section in enumerate(document.sections):
        if section.has_content:
            continue
        following = document.sections[index + 1 :]
        parts = following[: next((i for i, s in enumerate(following) if s.level <= 2), len(following))]
        assert section.level <= 2 and any(p.has_content for p in parts), section.heading


def word_body(content: bytes) -> list[str]:
    """The Word document's body in order: headings and paragraphs as text, a table as "TABLE: first cell"."""
    word = WordDocument(io.BytesIO(content))
    body = []
    for element in word.element.body.iterchildren():
        if element.tag.endswith("}p"):
            text = Paragraph(element, word).text.strip()
            if text:
                body.append(text)
        elif element.tag.endswith("}tbl"):
            body.append("TABLE: " + WordTable(element, word).rows[0].cells[0].text)
    return body


def test_the_annual_report_is_signed_in_section_7_before_the_appendices(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    gathered = demo_document("annual-report", "finnveden", dt.date(2023, 12, 31))
    document = gathered.document
    signers = [name for name, _role, _when in document.signatures]
    assert signers[:2] == ["Stefan Lundell", "Senada Sacic"]

    pages = pdf_pages(render_once(gathered, "pdf"), tmp_path)
    text = "\n".join(line for page in pages for line in page)
    signing = text.index("7. Styrelsens underskrift")
    appendix = text.index("Bilaga 1. Måluppfyllelse")
    block = text[signing:appendix]
    assert "Vi intygar att årsredovisningen" in block
    assert "Värnamo" in block and "Förbundsstyrelsen" in block
    assert "Stefan Lundell Senada Sacic" in block  # two to a row, chair and vice chair first
    assert "Ordförande Vice ordförande" in block
    for name in signers:
        assert name in block, name
    assert "Förbundsstyrelsen" not in text[appendix:]
    # The heading, the attestation and the names are on one page.
    [page] = [p for p in pages if "7. Styrelsens underskrift" in p]
    assert "Förbundsstyrelsen" in page and "Andreas Appelberg" in " ".join(page)

    body = word_body(render_once(gathered, "docx"))
    heading, appendix_at = body.index("7. Styrelsens underskrift"), body.index("Bilaga 1. Måluppfyllelse")
    assert body[heading + 2 : heading + 5] == [
        "Värnamo",
        "Förbundsstyrelsen",
        "TABLE: Stefan Lundell\nOrdförande",
    ]
    assert heading < appendix_at
    assert "Förbundsstyrelsen" not in body[appendix_at:]


def test_the_interim_report_and_the_business_plan_are_signed_at_their_end(
    demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    for kind, end, last in (
        ("interim-report", dt.date(2023, 6, 30), "g) "),  # the demo's footnotes end it, as in seed 000
        ("business-plan", dt.date(2012, 12, 31), "Mullsjö och Vaggeryd."),  # the consultation ends it
    ):
        gathered = demo_document(kind, "sodra-vatterbygden", end)
        pages = pdf_pages(render_once(gathered, "pdf"), tmp_path)
        lines = [line for page in pages for line in page]
        assert lines[-2:] == ["Jönköping", "Förbundsstyrelsen"], kind
        assert any(last in line for line in lines[-6:]), kind
        assert word_body(render_once(gathered, "docx"))[-2:] == ["Jönköping", "Förbundsstyrelsen"]


def test_no_heading_is_printed_without_anything_under_it(
    demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    wanted = [
        ("annual-report", "finnveden", dt.date(2023, 12, 31)),
        ("interim-report", "sodra-vatterbygden", dt.date(2023, 6, 30)),
        ("business-plan", "sodra-vatterbygden", dt.date(2012, 12, 31)),
    ]
    texts, documents_built = {}, {}
    for kind, slug, end in wanted:
        gathered = demo_document(kind, slug, end)
        documents_built[kind] = gathered.document
        assert_every_heading_has_content(gathered.document)
        pages = pdf_pages(render_once(gathered, "pdf"), tmp_path)
        assert_no_page_is_only_a_heading(gathered.document, pages)
        texts[kind] = pages

    annual = texts["annual-report"]
    # The demo's foreword opens the report on its first page, before the administration report.
    assert annual[0][:4] == [
        "Årsredovisning 2023",
        "Finnvedens Samordningsförbund",
        "1 januari 2023 – 31 december 2023",
        "Ordföranden har ordet",
    ]

    interim = [line for page in texts["interim-report"] for line in page]
    assert any(line.endswith("Strukturinriktade insatser") for line in interim)  # the demo's text on them
    assert [line for line in interim if re.fullmatch(r"\d\. \w+", line)] == [
        "1. Sammanfattning",
        "2. Inledning",
        "3. Verksamheter",
        "4. Ekonomi",
    ]

    plan = [line for page in texts["business-plan"] for line in page]
    # Chapters keep their numbers without a gap; the financial goals are a part of the goals.
    chapters = [s.heading for s in documents_built["business-plan"].sections if s.level == 2]
    assert chapters == [
        "1. Inledning",
        "2. Samordningsförbundets uppgifter",
        "3. Lokal målgrupp",
        "4. Samordningsförbundets organisation",
        "5. Verksamhet under 2012",  # the demo's text of the year's planned work
        "6. Målsättning",
        "7. Budget 2012–2014",
        "8. Samråd med medlemmarna",
    ]
    assert all(chapter in plan for chapter in chapters)
    assert plan.index("Finansiella mål") < plan.index("7. Budget 2012–2014")


def test_the_business_plan_budget_has_no_empty_rows_and_keeps_its_totals(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    gathered = demo_document("business-plan", "sodra-vatterbygden", dt.date(2012, 12, 31))
    [income, costs] = [t for t in gathered.document.tables if t.title in ("Intäkter", "Kostnader")]
    for table in (income, costs):
        for row in table.rows:
            assert any(row[key] for key in ("2012", "2013", "2014")), row["name"]
    assert [row["name"] for row in costs.rows] == [
        "KrAmi",
        "Projekt Haa",
        "Enter",
        "Nya projekt",
        "Kompetensutveckling",
        "Kansli",
        "Information",
        "Styrelse",
        "Ekonomihantering",
    ]
    text = "\n".join(line for page in pdf_pages(render_once(gathered, "pdf"), tmp_path) for line in page)
    assert "Summa intäkter 4 451 300 2 307 300 2 307 300" in text
    assert "Summa kostnader 4 451 300 2 307 300 2 307 300" in text
    for gone in ("NOVA", "IT-spåret", "Funktionsnedsatta i arbete"):
        assert gone not in text, gone


def test_a_business_plan_states_its_goals_with_targets_and_no_follow_up(
    demo: dict[str, Association], demo_document: DemoDocument
) -> None:
    document = demo_document("business-plan", "finnveden", dt.date(2023, 12, 31)).document
    [goals] = [s for s in document.sections if s.heading == "6. Målsättning"]
    [table] = goals.tables
    assert table.title == "Åtaganden 2023"
    assert [c.label for c in table.columns] == ["Åtagande", "Mått", "Mål"]
    assert len(table.rows) == 10
    assert [row["target"] for row in table.rows if row["target"]] == ["80\u00a0%", "80\u00a0%", "12", "100"]
    titles = {t.title for t in document.tables}
    for follow_up in ("Samverkansärenden och möten", "Avvikelserapporter (Lex Heller)", "Aktiviteter"):
        assert follow_up not in titles
    labels = {c.label for t in document.tables for c in t.columns}
    assert not labels & {"Utfall", "Förslag", "Måluppfyllelse"}

    # Without goals for the year, the plan has no goal table at all, not an empty one.
    plan_2023 = demo_document("business-plan", "sodra-vatterbygden", dt.date(2023, 12, 31)).document
    assert [t.title for t in plan_2023.tables] == ["Intäkter", "Kostnader", "Resultat"]


def test_the_annual_reports_goal_table_has_three_columns_and_fits_the_page(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    gathered = demo_document("annual-report", "finnveden", dt.date(2023, 12, 31))
    [table] = [t for t in gathered.document.tables if t.title.startswith("Måluppfyllelse av åtaganden")]
    assert [c.label for c in table.columns] == ["Åtagande", "Måluppfyllelse", "Kommentar"]
    statuses = [row["status"] for row in table.rows]
    assert statuses[2] == "Ej möjlig att bedöma (mål 80\u00a0%)"
    assert statuses[7] == "Delvis uppfyllt (mål 12, utfall 6)"
    assert statuses[8] == "Inte uppfyllt (mål 100, utfall 45)"
    assert not any("minst 10 behövs" in str(value) for row in table.rows for value in row.values())
    assert str(table.rows[2]["comment"]).startswith("Mått: fråga 6, Indikatorer för finansiell samverkan.")
    assert words_past_the_margin(render_once(gathered, "pdf"), tmp_path) == []

    # The goals report itself keeps its working columns.
    goals = demo_document("goals", "finnveden", dt.date(2023, 12, 31)).document
    assert [c.label for c in goals.tables[0].columns][3:5] == ["Utfall", "Förslag"]


def test_the_board_table_starts_with_the_chair_then_the_vice_chair(
    demo: dict[str, Association], demo_document: DemoDocument
) -> None:
    document = demo_document("annual-report", "finnveden", dt.date(2023, 12, 31)).document
    [board] = [t for t in document.tables if t.title == "Styrelsen 2023"]
    assert [(row["members"], row["member"]) for row in board.rows[:2]] == [
        ("Stefan Lundell, ordförande", "Gnosjö kommun"),
        ("Senada Sacic, vice ordförande", "Region Jönköpings län"),
    ]
    assert not any("ordförande" in str(row["members"]) for row in board.rows[2:])


def test_a_written_foreword_keeps_page_1_and_the_administration_report_starts_page_2() -> None:
    from finsam.core.documents import Section
    from finsam.reports.board.common import printed

    def sections(foreword: str) -> list[Section]:
        chapter = Section("Förvaltningsberättelse", html="<p>Förbundet …</p>", new_page=True)
        built = [
            Section("Ordföranden har ordet", html=foreword),
            chapter,
            Section("Finansiering", level=3),
            Section("Noter"),
            Section("Fotnoter", level=3, paragraphs=["a) …"]),
        ]
        return printed(built, [chapter, built[3]])

    written = sections("<p>Det har varit ett innehållsrikt år.</p>")
    assert [(s.heading, s.new_page) for s in written] == [
        ("Ordföranden har ordet", False),
        ("1. Förvaltningsberättelse", True),
        ("2. Noter", False),
        ("Fotnoter", False),
    ]
    assert [(s.heading, s.new_page) for s in sections("")][:1] == [("1. Förvaltningsberättelse", False)]
