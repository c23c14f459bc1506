"""The demo's interim report 2023-06-30 holds every part of seed 000 that LKBR ch. 13 asks for (ADR 0024):
the period's result with the contributions accrued and the booked one explained, the year's forecast (result,
balance requirement, the equity to keep, a forecast column in the balance sheet), the footnotes a–g where the
seed prints them, and the retained equity the budget uses on its own line. Read from PDF, DOCX and XLSX."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from finsam.core import documents
from finsam.organisation.models import Association
from finsam.reports.tests.conftest import DemoDocument, Render
from finsam.reports.tests.pdf import pdf_pages

pytestmark = pytest.mark.django_db
JUNE = dt.date(2023, 6, 30)
NBSP, MINUS = "\u00a0", "\u2212"


def test_the_pdf_shows_the_accrued_result_the_forecast_and_the_footnotes(
    demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    gathered = demo_document("interim-report", "sodra-vatterbygden", JUNE)
    lines = [line for page in pdf_pages(render_once(gathered, "pdf"), tmp_path) for line in page]
    text = " ".join(lines)
    for line in (
        # The rows as booked, footnote letters in a column "Not" at the end (seed 000's a, b, …).
        "Habo kommun 144 800 159 400 161 300 161 300 a",
        "NOVA - Stöd i förändring 1 518 965 3 253 000 1 186 344 3 714 000 b",
        "Kansli 1 407 864 720 000 808 244 850 000 f",
        # Half the contributions decided for the year belong to the period.
        "Summa intäkter 8 111 394 8 892 000 4 446 629 8 893 200",
        # The balance sheet: accrued, with the forecast column of seed 000 (2 337 024, −1 092 600, 1 244 424).
        f"Årets resultat 665 315 64 314 {MINUS}1 092 600",
        "Summa eget kapital 3 002 339 2 337 024 1 244 424 g",
        "Summa eget kapital och skulder 6 024 013 3 834 316",
        # The forecast: result, balance requirement and the equity planned against forecast.
        f"Balanskravsresultat {MINUS}687 500 {MINUS}1 092 600",
        "Eget kapital vid årets slut 1 312 210 1 244 424",
    ):
        assert line in lines, line
    # The period's result is the accrued one; the booked 2 888 315 of seed 000's headline is explained.
    assert f"{MINUS}687 500 665 315 {MINUS}1 092 600" in text
    assert f"skillnaden, {MINUS}2 223 000 kr, står på raden Periodisering av medlemsbidrag" in text
    assert "Bokfört resultat, före periodisering, är 2 888 315 kr" in text
    assert "Periodens resultat är 665 315 kr." in text and "bokföringen visar 2 888 315 kr" in text
    # The retained equity the budget uses, on its own line under a result before it.
    assert "Periodens resultat före 64 314" in text
    assert "Planerad användning av eget 1 999 710 0" in text
    assert "Budgeten tar 1 999 710 kr av eget kapital från tidigare år i anspråk. Det är ingen intäkt" in text
    assert f"Balanskravsresultatet väntas bli {MINUS}1 092 600 kr." in text
    # Footnotes a–g after the balance sheet, g on the equity at the year's end.
    footnotes = [line[:2] for line in lines if line[:2] in {f"{c})" for c in "abcdefg"}]
    assert footnotes == ["a)", "b)", "c)", "d)", "e)", "f)", "g)"]
    assert "g) Det egna kapitalet väntas bli omkring 1,2 miljoner kronor vid årsskiftet." in text


def test_the_word_and_excel_files_hold_the_same_parts(
    demo_document: DemoDocument, render_once: Render
) -> None:
    gathered = demo_document("interim-report", "sodra-vatterbygden", JUNE)
    word = WordDocument(io.BytesIO(render_once(gathered, "docx")))
    cells = {tuple(c.text for c in row.cells) for table in word.tables for row in table.rows}

    def kr(text: str) -> str:
        return text.replace(" ", NBSP).replace("-", MINUS)

    for row in (
        ("Periodisering av medlemsbidrag", "", "", kr("-2 223 000"), "", ""),
        ("Planerad användning av eget kapital från tidigare år", "", kr("1 999 710"), "", "0", ""),
        ("Förutbetalda intäkter (periodisering)", kr("2 223 000"), "", "", ""),
        ("Summa eget kapital", kr("3 002 339"), kr("2 337 024"), kr("1 244 424"), "g"),
        ("Balanskravsresultat", kr("-687 500"), kr("-1 092 600")),
    ):
        assert row in cells, row
    paragraphs = " ".join(p.text for p in word.paragraphs)
    assert "Bokfört resultat, före periodisering, är 2\u00a0888\u00a0315 kr" in paragraphs
    assert "g) Det egna kapitalet väntas bli omkring 1,2 miljoner kronor" in paragraphs

    book = load_workbook(io.BytesIO(render_once(gathered, "xlsx")))

    def sheet(title: str) -> dict[str, tuple[object, ...]]:
        found = next(s for s in book.worksheets if s["A1"].value == title)
        return {row[0]: row[1:] for row in found.iter_rows(min_row=3, values_only=True) if row[0]}

    def kronor(values: tuple[object, ...]) -> list[int]:  # the numbers hold öre; a reader sees kronor
        return [round(v) for v in values if isinstance(v, int | float)]

    result = sheet("Periodens resultat")["Periodens resultat före användning av eget kapital"]
    assert kronor(result) == [64314, -687500, 665315, -1092600]
    equity = sheet("Eget kapital")["Summa eget kapital"]
    assert kronor(equity) == [3002339, 2337024, 1244424] and equity[3] == "g"
    forecast = sheet("Helårsprognos: resultat, balanskrav och finansiella mål")
    assert kronor(forecast["Eget kapital vid årets slut"]) == [1312210, 1244424]


def test_the_statements_json_keeps_its_totals_and_adds_the_periods_own(demo: dict[str, Association]) -> None:
    period = documents.Period(dt.date(2023, 1, 1), JUNE)
    income = documents.gather("income-statement", demo["sodra-vatterbygden"], period).data
    # The public totals as booked, as INTERFACES.md gives them: seed 000's printed figures.
    assert income["totals"]["result"] == {
        "outcome_previous_year": "64313.70",
        "budget": "1312210.00",
        "outcome_to_date": "2888315.00",
        "forecast": "-1092600.00",
    }
    added = income["interim"]
    assert added["share_of_year"] == {"elapsed": 6, "of": 12, "unit": "months"}
    assert added["contribution_decision"] == {"amount": "8892000.00", "decided_on": "2022-11-24"}
    assert added["booked_result"] == "2888315.00"
    assert added["totals"]["result"]["outcome_to_date"] == "665315.00"
    assert added["totals"]["result"]["budget"] == "-687500.00"
    assert added["use_of_equity"] == {
        "rows": ["BALANSERAT", "RESERVERAT"],
        "budget": "1999710.00",
        "forecast": "0.00",
    }
    assert sum(float(a["adjustment"]) for a in added["accruals"]) == -2223000
    assert added["forecast"] == {
        "result": "-1092600.00",
        "balance_requirement_result": "-1092600.00",
        "opening_equity": "2337023.70",
        "equity_at_year_end": "1244423.70",
        "planned_equity_at_year_end": "1312210.00",
    }
    sheet = documents.gather("balance-sheet", demo["sodra-vatterbygden"], period).data
    assert sheet["totals"]["equity"] == "5225338.70"  # as booked: seed 000's 5 225 339
    assert sheet["interim"]["accruals"] == [
        {"code": "FORUTBETALDA_INTAKTER", "section": "liabilities", "amount": "2223000.00"}
    ]
    assert sheet["interim"]["equity"]["retained"] == "3002338.70"
    assert sheet["interim"]["forecast"]["retained"] == "1244423.70"
