"""The demo's Finnveden annual report 2023 read back from its PDF, Word and Excel files: the statements in the
layouts of LKBR and RKR with seed 001's figures, the notes they refer to, and the driftredovisning's deviation
signed as its heading says. Amounts are compared as finsam.core.formatting writes them, whatever its minus."""

from __future__ import annotations

import datetime as dt
import io
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from finsam.core import formatting
from finsam.core.documents import Gathered
from finsam.organisation.models import Association
from finsam.reports.tests.conftest import DemoDocument, Render
from finsam.reports.tests.pdf import pdf_pages

pytestmark = pytest.mark.django_db
END = dt.date(2023, 12, 31)
DEVIATION = "Avvikelse utfall − budget"

# (row, note, figures) as seed 001 prints them; the income statement's budget is the demo's (seed 001 prints
# 8 110 000 of income against its own driftredovisning's 5 070 000).
INCOME_STATEMENT: list[tuple[str, str, tuple[int, ...]]] = [
    ("Verksamhetens intäkter", "2", (5070000, 5125592, 5069996)),
    ("Verksamhetens kostnader", "3", (-6409000, -5782239, -4646493)),
    ("Verksamhetens nettokostnad", "", (-1339000, -656647, 423503)),
    ("Finansiella intäkter", "4", (0, 151952, 28504)),
    ("Finansiella kostnader", "", (0, 0, 0)),
    ("Resultat efter finansiella poster", "", (-1339000, -504695, 452007)),
    ("Årets resultat", "", (-1339000, -504695, 452007)),
]
BALANCE_SHEET: list[tuple[str, str, tuple[int, ...]]] = [
    ("Fordringar", "5", (174267, 95061)),
    ("Kassa och bank", "", (3327228, 4224485)),
    ("Summa omsättningstillgångar", "", (3501495, 4319546)),
    ("Summa tillgångar", "", (3501495, 4319546)),
    ("Övrigt eget kapital (balanserat)", "", (3113335, 2661328)),
    ("Årets resultat", "", (-504695, 452007)),
    ("Summa eget kapital", "", (2608640, 3113335)),
    ("Kortfristiga skulder", "6", (892854, 1206211)),
    ("Summa skulder", "", (892854, 1206211)),
    ("Summa eget kapital och skulder", "", (3501495, 4319546)),
]
CASH_FLOW: list[tuple[str, tuple[int, ...]]] = [
    ("Kassaflöde från den löpande verksamheten", (-897258, 732044)),
    ("Kassaflöde från investeringsverksamheten", (0, 0)),
    ("Kassaflöde från finansieringsverksamheten", (0, 0)),
    ("Årets kassaflöde", (-897258, 732044)),
    ("Likvida medel vid årets början", (4224485, 3492441)),
    ("Likvida medel vid årets slut", (3327228, 4224485)),
]
# Outcome, budget, outcome − budget, last year: the net cost signed as the result sees it.
DRIFTREDOVISNING: list[tuple[str, tuple[int, ...]]] = [
    ("Verksamhetens nettokostnad", (-5782239, -6409000, 626761, -4646493)),
    ("Medlemsbidrag och övriga intäkter", (5277544, 5070000, 207544, 5098500)),
    ("Årets resultat", (-504695, -1339000, 834305, 452007)),
]
NOTES = [
    "Not 1 Redovisningsprinciper",
    "Not 2 Verksamhetens intäkter",
    "Not 3 Verksamhetens kostnader",
    "Not 4 Finansiella intäkter",
    "Not 5 Fordringar",
    "Not 6 Kortfristiga skulder",
    "Not 7 Kostnad för revision",
]
CHAPTERS = [
    "2. Resultaträkning",
    "3. Balansräkning",
    "4. Kassaflödesanalys",
    "5. Driftredovisning",
    "6. Noter",
    "7. Styrelsens underskrift",
]


def kronor(values: tuple[int, ...]) -> tuple[str, ...]:
    return tuple(formatting.kronor(v) for v in values)


def spaced(*parts: str) -> str:
    """A line as pdftotext gives it back once its spaces are collapsed (no-break spaces too)."""
    return " ".join(" ".join(parts).split())


def report(demo_document: DemoDocument) -> Gathered:
    return demo_document("annual-report", "finnveden", END)


def test_the_pdf_prints_the_statements_in_the_lkbr_layout_with_seed_001s_figures(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    pages = pdf_pages(render_once(report(demo_document), "pdf"), tmp_path)
    lines = [line for page in pages for line in page]
    text = "\n".join(lines)
    at = [lines.index(chapter) for chapter in CHAPTERS]
    assert at == sorted(at), "the chapters of the accounts in the order of an annual report"
    accounts = "\n".join(lines[at[0] : at[-1]])
    for name, note, figures in INCOME_STATEMENT:
        assert spaced(name, note, *kronor(figures)) in accounts, name
    for name, note, figures in BALANCE_SHEET:
        assert spaced(name, note, *kronor(figures)) in accounts, name
    for name, figures in CASH_FLOW:
        assert spaced(name, *kronor(figures)) in accounts, name
    for heading in ("Den löpande verksamheten", "Investeringsverksamheten", "Finansieringsverksamheten"):
        assert heading in lines[at[2] : at[3]], heading
    # The driftredovisning's names wrap in their narrow column; its figures are on the name's first line.
    drift = "\n".join(lines[at[3] : at[4]])
    for _name, figures in DRIFTREDOVISNING:
        assert spaced(*kronor(figures)) in drift, figures
    assert "Avvikelse utfall −" in drift
    assert "Årets balanserade resultat" not in text
    notes = lines[at[4] : at[5]]
    assert [line for line in notes if line.startswith("Not ")] == NOTES
    principles = "\n".join(notes[1:4])
    assert "lag (2018:597) om kommunal bokföring och redovisning" in " ".join(principles.split())
    assert spaced("Revision", *kronor((51260, 51149))) in notes
    assert spaced("Ränta", *kronor((151952, 28504))) in notes
    assert spaced("Summa", *kronor((5125592, 5069996))) in notes  # note 2: the income statement's line


def test_the_word_file_holds_the_same_tables_and_headings(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render
) -> None:
    word = WordDocument(io.BytesIO(render_once(report(demo_document), "docx")))
    cells = {tuple(c.text for c in row.cells) for table in word.tables for row in table.rows}
    assert ("Belopp i kr", "Not", "Budget 2023", "2023-12-31", "2022-12-31") in cells
    for name, note, figures in INCOME_STATEMENT:
        assert (name, note, *kronor(figures)) in cells, name
    for name, note, figures in BALANCE_SHEET:
        assert (name, note, *kronor(figures)) in cells, name
    for name, figures in CASH_FLOW:
        assert (name, *kronor(figures)) in cells, name
    assert ("Belopp i kr", "Utfall 2023", "Aktuell budget 2023", DEVIATION, "Bokslut 2022") in cells
    for name, figures in DRIFTREDOVISNING:
        assert (name, *kronor(figures)) in cells, name
    assert ("Revision", *kronor((51260, 51149))) in cells
    paragraphs = [p.text for p in word.paragraphs]
    for heading in [*CHAPTERS, *NOTES]:
        assert heading in paragraphs, heading


def test_the_workbook_has_a_sheet_per_statement_with_numbers_that_add_up(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render
) -> None:
    book = load_workbook(io.BytesIO(render_once(report(demo_document), "xlsx")))

    def sheet(title: str) -> dict[str, tuple[object, ...]]:
        found = next(s for s in book.worksheets if s["A1"].value == title)
        return {row[0]: row[1:] for row in found.iter_rows(min_row=5, values_only=True) if row[0]}

    def whole(values: tuple[object, ...]) -> tuple[int, ...]:
        return tuple(int(Decimal(str(v)).quantize(Decimal(1), rounding=ROUND_HALF_UP)) for v in values)

    income = sheet("Resultaträkning")
    for name, note, figures in INCOME_STATEMENT:
        assert str(income[name][0] or "") == note, name
        assert whole(income[name][1:]) == figures, name

    balance = {**sheet("Tillgångar"), **sheet("Eget kapital"), **sheet("Skulder")}
    for name, note, figures in BALANCE_SHEET:
        assert str(balance[name][0] or "") == note, name
        assert whole(balance[name][1:]) == figures, name

    drift = next(s for s in book.worksheets if s["A1"].value == "Driftredovisning")
    assert [c.value for c in drift[4]][3] == DEVIATION
    rows = {name: values for name, values in sheet("Driftredovisning").items() if name != "Belopp i kr"}
    for name, figures in DRIFTREDOVISNING:
        assert whole(rows[name]) == figures, name
    # Every row with a budget, here and row by row: the deviation is the outcome less the budget, to the öre.
    for title in ("Driftredovisning", "Driftredovisning per verksamhet"):
        budgeted = [v for v in sheet(title).values() if isinstance(v[1], int | float)]
        assert budgeted, title
        for outcome, budget, deviation, *_rest in budgeted:
            assert round(outcome - budget - deviation, 2) == 0, (title, outcome, budget)  # type: ignore[operator]

    audit = sheet("Not 7 Kostnad för revision")
    assert whole(audit["Revision"]) == (51260, 51149)
