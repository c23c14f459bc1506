"""The demo's business plans: Södra Vätterbygden 2012 holds every part of seed 004 with its figures, under the
names its members bore in 2012, in PDF, DOCX and XLSX; Finnveden's plan for 2023 is drafted from its goals."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from finsam.organisation.models import Association
from finsam.reports.tests.conftest import DemoDocument, Render
from finsam.reports.tests.pdf import pdf_pages

pytestmark = pytest.mark.django_db
PLAN_2012 = ("business-plan", "sodra-vatterbygden", dt.date(2012, 12, 31))
NBSP = "\u00a0"
CHAPTERS = [
    "1. Inledning",
    "2. Samordningsförbundets uppgifter",
    "3. Lokal målgrupp",
    "4. Samordningsförbundets organisation",
    "5. Verksamhet under 2012",
    "6. Målsättning",
    "7. Budget 2012–2014",
    "8. Samråd med medlemmarna",
]


def test_the_business_plan_2012_holds_every_part_of_seed_004_in_the_pdf(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    gathered = demo_document(*PLAN_2012)
    lines = [line for page in pdf_pages(render_once(gathered, "pdf"), tmp_path) for line in page]
    text = " ".join(lines)
    assert [line for line in lines if line in CHAPTERS] == CHAPTERS
    assert "Dnr 2011:29 / 1" in text
    # Introduction and history: founded, enlarged, renamed; the members by their names of 2012.
    for fact in (
        "bildades den 30 oktober 2007 som Samordningsförbundet Jönköping",
        "Den 1 maj 2011 utvidgades förbundet med kommunerna Habo, Mullsjö och Vaggeryd",
        "tog samtidigt namnet Samordningsförbundet Södra Vätterbygden",
        "Medlemmar 2012 är Försäkringskassan, Landstinget i Jönköpings län, Arbetsförmedlingen och "
        "kommunerna Habo, Jönköping, Mullsjö och Vaggeryd.",
    ):
        assert fact in text, fact
    assert "Region Jönköpings län" not in text and "Staten gm Försäkringskassan" not in text
    # Tasks, target group and its priority, organisation with the preparatory group and its limits.
    assert "6. upprätta budget och årsredovisning för den finansiella samordningen." in text
    assert "18–64 år" in text and "unga vuxna, 18–29 år" in text
    assert "bildar ett arbetsutskott" in text and "Kansliet är en tjänsteman på halvtid" in text
    assert "Beredningsgruppen har en representant från varje huvudman" in text
    assert "förbundet tar aldrig över en myndighets ansvar" in text
    assert "bland annat projekten KrAmi, Haa och Enter" in text
    # Goals at three levels, each intervention's with its targets, and the financial goals.
    for heading in ("Övergripande mål", "Individmål", "Mål för insatserna", "Finansiella mål"):
        assert heading in lines, heading
    assert "försörjningsmåttet" in text
    for goal in ("50 % har fått arbete eller driver företag.", "80 % av deltagarna upplever att den egna"):
        assert goal in text, goal
    # The three-year budget with seed 004's figures, its result line and the use of equity.
    for line in (
        "Landstinget i Jönköpings län 576 800 576 800 576 800",
        "Försäkringskassan 1 153 600 1 153 600 1 153 600",
        "Reserverat för verksamhet 1 114 000 0 0",
        "Summa intäkter 4 451 300 2 307 300 2 307 300",
        "Enter 1 742 600 1 819 800 1 820 000",
        "Summa kostnader 4 451 300 2 307 300 2 307 300",
        "Resultat före användning av eget kapital \u22122 144 000 0 0",
        "Användning av eget kapital 2 144 000 0 0",
        "Budgeterat resultat 0 0 0",
    ):
        assert line in lines, line
    assert "1 030 000 kr i preliminärt balanserat resultat från 2011" in text
    # The consultation with the members.
    assert "Under 2012 samråder huvudmännen om förutsättningarna för att utöka förbundets budget" in text


def test_the_business_plan_2012_in_word_and_excel(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render
) -> None:
    gathered = demo_document(*PLAN_2012)
    word = WordDocument(io.BytesIO(render_once(gathered, "docx")))
    paragraphs = [p.text for p in word.paragraphs]
    assert [p for p in paragraphs if p in CHAPTERS] == CHAPTERS
    cells = {tuple(c.text for c in row.cells) for table in word.tables for row in table.rows}
    for row in (
        ("Landstinget i Jönköpings län", f"576{NBSP}800", f"576{NBSP}800", f"576{NBSP}800"),
        ("Resultat före användning av eget kapital", f"\u22122{NBSP}144{NBSP}000", "0", "0"),
        ("Användning av eget kapital", f"2{NBSP}144{NBSP}000", "0", "0"),
        ("Budgeterat resultat", "0", "0", "0"),
    ):
        assert row in cells, row
    goals = {cells_row[:3] for cells_row in cells if cells_row[0] in ("KrAmi", "Enter", "Projekt Haa")}
    assert (
        "KrAmi",
        "Av deltagarna som fullföljer programmet (sex månaders anvisning) avslutas minst 40 % till arbete "
        "eller studier.",
        "andel avslutade till arbete eller studier",
    ) in goals
    targets = {r[-1] for r in cells if r[0] in ("KrAmi", "Enter")}
    assert {f"40{NBSP}%", f"30{NBSP}%"} <= targets

    book = load_workbook(io.BytesIO(render_once(gathered, "xlsx")))
    sheets = {sheet["A1"].value: sheet for sheet in book.worksheets}
    result = {row[0]: row[1:] for row in sheets["Resultat"].iter_rows(values_only=True) if row[0]}
    assert [int(v) for v in result["Resultat före användning av eget kapital"]] == [-2144000, 0, 0]
    assert [int(v) for v in result["Användning av eget kapital"]] == [2144000, 0, 0]
    assert [int(v) for v in result["Budgeterat resultat"]] == [0, 0, 0]
    income = {row[0]: row[1:] for row in sheets["Intäkter"].iter_rows(values_only=True) if row[0]}
    assert [int(v) for v in income["Landstinget i Jönköpings län"]] == [576800, 576800, 576800]
    assert [int(v) for v in income["Summa intäkter"]] == [4451300, 2307300, 2307300]
    levels = {sheet["A1"].value for sheet in book.worksheets}
    assert {"Övergripande mål", "Individmål", "Mål för insatserna"} <= levels


def test_finnvedens_business_plan_for_2023_is_drafted_from_its_goals(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render, tmp_path: Path
) -> None:
    gathered = demo_document("business-plan", "finnveden", dt.date(2023, 12, 31))
    lines = [line for page in pdf_pages(render_once(gathered, "pdf"), tmp_path) for line in page]
    text = " ".join(lines)
    assert "6. Målsättning" in lines and "7. Budget 2023" in lines  # no budget yet for 2024 and 2025
    assert "Åtaganden 2023" in lines
    assert (
        "Medlemmar är Staten gm Försäkringskassan, Region Jönköpings län, Arbetsförmedlingen och kommunerna"
        in text
    )
    assert "Samverkansteam Finnveden och IT-spåret" in text
    # Seed 001's budget 2023: income 5 070 000, costs 6 409 000; the deficit is the budgeted result.
    for line in (
        "Summa intäkter 5 070 000",
        "Summa kostnader 6 409 000",
        "Resultat före användning av eget kapital \u22121 339 000",
        "Budgeterat resultat \u22121 339 000",
    ):
        assert line in lines, line
