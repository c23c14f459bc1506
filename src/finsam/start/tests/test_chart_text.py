"""User text in a chart is drawn as written, and a chart that fails never fails its page.

The attack: a statement row named `Komp $\\foo{$ $\\x$` made the start page answer 500 for the office, the
economist and the board, since matplotlib read the name as mathematics.
"""

from __future__ import annotations

import html
import io
import logging

import pytest
from django.test import Client
from docx import Document as WordDocument
from matplotlib.figure import Figure

from finsam import testing
from finsam.accounts.models import User
from finsam.core import services as core
from finsam.organisation.models import Association
from finsam.reports import charts

pytestmark = pytest.mark.django_db

NAME = r"Komp $\foo{$ $\x$"
ROLES = ("kansli", "ekonom", "styrelse")
REPORTS = ("interim-report.html?datum=2023-06-30", "annual-report.html?datum=2023-12-31")


@pytest.fixture
def finnveden(demo: dict[str, Association]) -> Association:
    """Finnveden with a cost row (one the charts show) renamed by the attack."""
    finnveden = demo["finnveden"]
    row = finnveden.statement_rows.get(code="REVISION")
    row.name = NAME
    core.save(testing.SYSTEM, row, association=finnveden)
    return finnveden


def get(username: str, url: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, (username, url)
    return response.content.decode()


def svg_texts(page: str) -> list[str]:
    """The texts drawn in the page's charts (matplotlib writes them as SVG text elements)."""
    found = []
    for chart in page.split("<svg")[1:]:
        drawn = chart.split("</svg>")[0]
        found += [html.unescape(part.split(">", 1)[1]) for part in drawn.split("<text")[1:]]
    return [text.split("</text")[0] for text in found]


def test_a_row_name_with_dollars_and_backslashes_is_drawn_as_written(finnveden: Association) -> None:
    for username in ROLES:
        page = get(username, f"/f/{finnveden.slug}/")
        assert NAME in svg_texts(page), username
        for report in REPORTS:
            get(username, f"/f/{finnveden.slug}/rapporter/{report}")
    interim = get("kansli", f"/f/{finnveden.slug}/rapporter/{REPORTS[0]}")
    assert NAME in svg_texts(interim)
    client = Client()
    client.force_login(User.objects.get(username="kansli"))
    for fmt in ("pdf", "docx"):
        response = client.get(f"/f/{finnveden.slug}/rapporter/interim-report.{fmt}?datum=2023-06-30")
        assert response.status_code == 200, fmt


def broken() -> Figure:
    raise ValueError("a chart that cannot be drawn")


def test_a_chart_that_fails_leaves_its_page_with_the_table_and_a_note(
    finnveden: Association, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(charts, "budget_vs_outcome_figure", lambda *_args: broken())
    monkeypatch.setattr(charts, "yearly_result_figure", lambda *_args: broken())
    with caplog.at_level(logging.ERROR, logger="finsam.reports.charts"):
        page = get("kansli", f"/f/{finnveden.slug}/")
        assert "<svg" not in page
        assert "kunde inte ritas. Siffrorna finns i tabellen." in page
        assert "<details open>" in page and f'<th scope="row">{html.escape(NAME)}</th>' in page
        interim = get("kansli", f"/f/{finnveden.slug}/rapporter/{REPORTS[0]}")
        assert "kunde inte ritas. Siffrorna finns i tabellen." in html.unescape(interim)
        assert NAME in html.unescape(interim)  # the income statement's table still names the row
        client = Client()
        client.force_login(User.objects.get(username="kansli"))
        for fmt in ("pdf", "docx"):
            url = f"/f/{finnveden.slug}/rapporter/annual-report.{fmt}?datum=2023-12-31"
            response = client.get(url)
            assert response.status_code == 200, fmt
        word = WordDocument(io.BytesIO(response.content))
        notes = [p.text for p in word.paragraphs if "kunde inte ritas" in p.text]
        assert any("Årets resultat, fem år" in note for note in notes)
    failures = [r for r in caplog.records if r.name == "finsam.reports.charts" and r.exc_info]
    # The start page's, the interim report's, and the annual report's in two formats.
    assert len(failures) >= 4
