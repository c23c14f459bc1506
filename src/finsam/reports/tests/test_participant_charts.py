"""The annual report's participant charts: one intervention's participants per municipality and gender, as
seed 001 draws Samverkansteamet's, counting whole people, with a legend that covers no bar."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

import pytest
from docx import Document as WordDocument

from finsam.core import documents
from finsam.organisation.models import Association
from finsam.reports import charts
from finsam.reports.board.administration import municipality_groups
from finsam.reports.tests.conftest import DemoDocument, Render

pytestmark = pytest.mark.django_db
YEAR_2023 = documents.Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
# Seed 001, Bilaga 2, "Deltagare 2023" of Samverkansteamet: at the year's start and new in the year.
SEED_001 = [
    ("Kvinnor\nGislaved", 7, 11),
    ("Män\nGislaved", 11, 6),
    ("Kvinnor\nGnosjö", 5, 3),
    ("Män\nGnosjö", 2, 3),
    ("Kvinnor\nVärnamo", 11, 14),
    ("Män\nVärnamo", 1, 2),
]


def test_samverkansteamets_chart_counts_only_its_own_participants(demo: dict[str, Association]) -> None:
    exact = documents.gather("participants", demo["finnveden"], YEAR_2023).data
    assert municipality_groups(exact["municipalities_by_intervention"]["SAMVERKANSTEAM"]) == SEED_001
    # All interventions together count IT-spåret's man from Gislaved too: 12, not the chart's 11.
    gislaved = next(m for m in exact["municipalities"] if m["municipality"] == "Gislaved")
    assert gislaved["carried_over"]["men"] == 12
    public = documents.gather("participants-public", demo["finnveden"], YEAR_2023).data
    shown = municipality_groups(public["municipalities_by_intervention"]["SAMVERKANSTEAM"])
    assert ("Män\nGislaved", 11, None) in shown  # a board document hides what is under the threshold
    for label, carried, new in shown:  # every other count is the seed's or hidden
        seed = next(s for s in SEED_001 if s[0] == label)
        assert carried in (None, seed[1]) and new in (None, seed[2])
    assert public["municipalities_by_intervention"]["ITSPARET"][0]["carried_over"]["men"] is None


def test_the_annual_report_draws_one_chart_per_intervention_with_something_to_show(
    demo: dict[str, Association], demo_document: DemoDocument
) -> None:
    gathered = demo_document("annual-report", "finnveden", dt.date(2023, 12, 31))
    titles = [chart.title for section in gathered.document.sections for chart in section.charts]
    municipal = [t for t in titles if "per hemkommun" in t]
    # IT-spåret's single participant is hidden: it has no chart.
    assert municipal == [
        "Samverkansteam Finnveden: deltagare 2023 per hemkommun och kön (grupper under 5 visas inte)"
    ]


def test_the_chart_counts_whole_people_and_its_legend_covers_no_bar() -> None:
    figure = charts.municipality_figure(SEED_001, ("Vid årets början", "Nya under 2023"))
    figure.draw_without_rendering()
    [axes] = figure.axes
    assert all(tick == int(tick) for tick in axes.get_yticks())
    legend = axes.get_legend()
    assert legend is not None
    box = legend.get_window_extent()
    bars = [patch.get_window_extent() for patch in axes.patches]
    assert len(bars) == 12 and not any(box.overlaps(bar) for bar in bars)
    assert box.y1 < axes.get_window_extent().y0  # below the plot, not inside it
    assert [t.get_text() for t in axes.get_xticklabels()] == [label for label, *_c in SEED_001]


def test_no_heading_is_printed_twice(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render
) -> None:
    gathered = demo_document("annual-report", "finnveden", dt.date(2023, 12, 31))
    word = WordDocument(io.BytesIO(render_once(gathered, "docx")))
    shown = [
        re.sub(r"^\d+\. ", "", p.text)
        for p in word.paragraphs
        if p.style is not None and (p.style.name.startswith("Heading") or p.style.name == "Caption")
    ]
    assert "Driftsredovisning" in shown or "Driftredovisning" in shown
    assert [text for text, n in Counter(shown).items() if n > 1] == []
    html = render_once(gathered, "html").decode()
    headings = re.findall(r"<h[23]>(?:\d+\. )?([^<]+)</h[23]>", html)
    captions = re.findall(r"<caption>([^<]+)</caption>", html)
    assert set(headings) & set(captions) == set()
    assert re.search(r'<caption class="visually-hidden">Kassaflödesanalys</caption>', html)
