"""The annual report's Bilaga 2 from the data, against seed 001's (Samverkansteamet: 70 referrals, the region
50 % and Försäkringskassan 36 %, 51 women, 31 exits, 5.4 years on public support), with small groups hidden;
and the row footnotes under note 3 where seed 001 comments its cost rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finsam.core import documents
from finsam.core.documents import Section
from finsam.organisation.models import Association
from finsam.reports import services
from finsam.reports.models import ReportVersion
from finsam.reports.tests.conftest import DemoDocument, Render
from finsam.reports.tests.pdf import pdf_pages

pytestmark = pytest.mark.django_db
END = dt.date(2023, 12, 31)
NBSP = "\u00a0"


def appendix(document: documents.Document) -> list[Section]:
    start = next(i for i, s in enumerate(document.sections) if s.heading.startswith("Bilaga 2"))
    return document.sections[start:]


def test_bilaga_2_tells_each_intervention_from_the_suppressed_figures(demo_document: DemoDocument) -> None:
    gathered = demo_document("annual-report", "finnveden", END)
    sections = appendix(gathered.document)
    assert [s.heading for s in sections] == [
        "Bilaga 2. Individinriktade insatser",
        "1. Samverkansteam Finnveden",
        "2. IT-spåret",
    ]
    assert sections[0].paragraphs == ["2 individinriktade insatser har fått medel från förbundet under 2023."]
    team = [p.replace(NBSP, " ") for p in sections[1].paragraphs]
    assert team[2:] == [
        "Förbundet beviljade insatsen 3 100 000 kr för 2023.",
        "Insatsen tog emot 70 remisser under 2023: 35 från regionen (50 %) och 25 från Försäkringskassan "
        "(36 %).",
        "Under 2023 deltog 51 kvinnor i insatsen.",
        "Under 2023 avslutade 31 personer insatsen (19 kvinnor och 12 män).",
        "Före inskrivningen hade de deltagande i genomsnitt 5,3 år och de avslutade 5,4 år med offentlig "
        "försörjning.",
        # What became of the 31: the median time is shown; work before and after, and the 3 who went to work
        # or studies, are groups too small to show (or would give one away).
        "Mediantiden i insatsen var 367 dagar.",
        "Antal under 5, och antal som skulle avslöja dem, redovisas inte, så att ingen enskild deltagare kan "
        "urskiljas.",
    ]
    # Seed 001's chart: 7 women and 11 men from Gislaved, 5 women from Gnosjö and 11 from Värnamo at the
    # year's start, 14 new women from Värnamo; the groups of 1 … 4 (and what would give them away) are hidden.
    (table,) = sections[1].tables
    assert [[row[c.key] for c in table.columns] for row in table.rows] == [
        ["Gislaved", 7, 11, None, None],
        ["Gnosjö", 5, None, None, None],
        ["Värnamo", 11, None, 14, None],
    ]


def test_bilaga_2_never_prints_a_small_group(demo_document: DemoDocument) -> None:
    sections = appendix(demo_document("annual-report", "finnveden", END).document)
    text = " ".join(p for s in sections for p in s.paragraphs)
    # IT-spåret's one man: neither his count nor what would give it away (25 men in Samverkansteamet, of 26).
    assert "25 män" not in text and "76 personer" not in text and " 1 man" not in text
    it = " ".join(sections[2].paragraphs)
    assert "deltog" not in it and "avslutade" not in it and "genomsnitt" not in it
    assert "Förbundet beviljade insatsen 540" in it
    assert sections[2].tables == []  # its one man's municipality: hidden, and nothing else to show


def test_bilaga_2_and_the_footnotes_print(
    demo: dict[str, Association], tmp_path: Path, render_once: Render
) -> None:
    version = ReportVersion.objects.get(association=demo["finnveden"], kind=ReportVersion.Kind.ANNUAL)
    gathered = services.gather(version)
    pages = pdf_pages(render_once(gathered, "pdf"), tmp_path)
    start = next(n for n, page in enumerate(pages) if "Not 3 Verksamhetens kostnader" in page)
    note = [line for page in pages[start : start + 2] for line in page]  # the note may go on over a page
    text = " ".join(line for page in pages for line in page)
    # Seed 001's note 3 comments three rows: lettered where the rows are, the footnotes under the note.
    assert "Kompetensutveckling (a) 200 000 244 936 216 642" in note
    assert "Verksamhetsutvecklare (b) 840 000 865 042 707 299" in note
    assert "Styrelse (c) 3 000 54 404 2 578" in note
    assert "a) Beredningsgruppen såg ett behov av mer kompetensutveckling, och styrelsen avsatte" in text
    assert "c) Medlemmarna har enats om att förbundet tar över styrelsens arvoden" in text
    assert "Insatsen tog emot 70 remisser under 2023: 35 från regionen (50 %) och 25 från" in text
    assert "Bilaga 2. Individinriktade insatser" in text
    # The drafted commentary under the driftredovisning, the minus sign as print sets it.
    assert (
        "Utrymme nya projekt: utfallet 0 kr mot budgeten 1 000 000 kr, en avvikelse (utfall − budget)" in text
    )
    assert "−1 000 000 kr (−100 %)" in text
