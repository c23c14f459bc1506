"""What the demo's board documents print beyond their figures: a true minus before negative amounts, one
word for each thing, and Word files that say who wrote them, when, and in which language."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document as WordDocument
from docx.oxml.ns import qn
from openpyxl import load_workbook

from finsam.core import documents
from finsam.organisation.models import Association
from finsam.reports.tests.conftest import DemoDocument, Render
from finsam.reports.tests.pdf import pdf_pages

pytestmark = pytest.mark.django_db
DOCUMENTS = (
    ("annual-report", "finnveden", dt.date(2023, 12, 31)),
    ("interim-report", "sodra-vatterbygden", dt.date(2023, 6, 30)),
    ("business-plan", "sodra-vatterbygden", dt.date(2012, 12, 31)),
)
# Every document has one: seed 004's business plan its result before the use of equity (−2 144 000).
NEGATIVE = {"annual-report", "interim-report", "business-plan"}
# An amount as a table cell holds it: "−504 695", "2 608 640", "74,5 %"; a hyphen only as its sign.
AMOUNT = re.compile(r"([-\u2212]?)\d{1,3}(?:\u00a0\d{3})*(?:,\d+)?(?:\u00a0%)?")
# In running text a sign is a hyphen after neither a word nor a digit (2023-12-31, 3000-3999 are no amounts).
HYPHEN_BEFORE_A_DIGIT = re.compile(r"(?<![\w\-–/])-\d")


def _amount_signs(cells: list[str]) -> list[str]:
    return [found.group(1) for text in cells if (found := AMOUNT.fullmatch(text.strip())) and found.group(1)]


@pytest.mark.parametrize(("kind", "slug", "end"), DOCUMENTS)
def test_negative_amounts_print_a_true_minus_and_stay_numbers_in_xlsx(
    demo: dict[str, Association],
    demo_document: DemoDocument,
    render_once: Render,
    tmp_path: Path,
    kind: str,
    slug: str,
    end: dt.date,
) -> None:
    gathered = demo_document(kind, slug, end)
    word = WordDocument(io.BytesIO(render_once(gathered, "docx")))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    html = render_once(gathered, "html").decode()
    cells += [re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]
    signs = _amount_signs(cells)
    assert set(signs) == ({"\u2212"} if kind in NEGATIVE else set()), kind
    text = "\n".join(line for page in pdf_pages(render_once(gathered, "pdf"), tmp_path) for line in page)
    assert ("\u2212" in text) == (kind in NEGATIVE)
    assert HYPHEN_BEFORE_A_DIGIT.findall(text) == [], kind
    book = load_workbook(io.BytesIO(render_once(gathered, "xlsx")))
    values = [c.value for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    assert any(isinstance(v, int | float) and v < 0 for v in values) == (kind in NEGATIVE)
    assert not any(isinstance(v, str) and AMOUNT.fullmatch(v) for v in values)  # numbers stay numbers


def test_the_annual_reports_result_is_a_number_cell_in_xlsx(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render
) -> None:
    gathered = demo_document("annual-report", "finnveden", dt.date(2023, 12, 31))
    book = load_workbook(io.BytesIO(render_once(gathered, "xlsx")))
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    results = [c for c in cells if isinstance(c.value, int | float) and round(c.value) == -504695]
    assert results and all(c.data_type == "n" and c.number_format == "#,##0" for c in results)


def test_the_word_file_is_swedish_and_names_the_association_the_title_and_the_day(
    demo: dict[str, Association], demo_document: DemoDocument, render_once: Render
) -> None:
    gathered = demo_document("annual-report", "finnveden", dt.date(2023, 12, 31))
    before = timezone.now().replace(microsecond=0)
    word = WordDocument(io.BytesIO(render_once(gathered, "docx")))
    properties = word.core_properties
    assert properties.author == properties.last_modified_by == "Finnvedens Samordningsförbund"
    assert properties.title == "Årsredovisning 2023"
    assert properties.language == "sv-SE"
    assert "python-docx" not in (properties.comments or "")
    assert properties.created is not None and properties.modified is not None
    assert before - dt.timedelta(minutes=10) <= properties.created <= timezone.now()
    languages = word.styles.element.findall(f".//{qn('w:lang')}")
    defaults = word.styles.element.find(
        f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}"
    )
    assert defaults is not None and defaults.get(qn("w:val")) == "sv-SE"
    assert {lang.get(qn("w:val")) for lang in languages} == {"sv-SE"}


WRONG_WORDS = re.compile(
    r"medlemsavgift|bidrag från medlemmar|medlemsinsats|arbete eller utbildning|arbete ?/ ?studier"
    r"|arbete och studier|staten (?:via|genom) Försäkringskassan (?:med|bidrar)",
    re.IGNORECASE,
)


@pytest.mark.parametrize(("kind", "slug", "end"), DOCUMENTS)
def test_the_documents_use_one_word_for_each_thing_and_the_members_names(
    demo: dict[str, Association],
    demo_document: DemoDocument,
    render_once: Render,
    tmp_path: Path,
    kind: str,
    slug: str,
    end: dt.date,
) -> None:
    gathered = demo_document(kind, slug, end)
    text = " ".join(line for page in pdf_pages(render_once(gathered, "pdf"), tmp_path) for line in page)
    word = WordDocument(io.BytesIO(render_once(gathered, "docx")))
    text += " ".join(p.text for p in word.paragraphs)
    text += " ".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert WRONG_WORDS.findall(text) == []
    if kind == "annual-report":  # the state's member as Finnveden registered it
        assert "Förbundet finansieras av Staten gm Försäkringskassan med hälften" in " ".join(text.split())
        assert "Medlemsbidrag och övriga intäkter" in text
        assert "Arbete eller studier" in text


def test_the_contributions_name_the_state_as_registered(demo: dict[str, Association]) -> None:
    gathered = documents.gather(
        "contributions", demo["finnveden"], documents.Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    )
    [table] = gathered.document.tables
    assert table.notes[0].startswith(
        "Staten gm Försäkringskassan bidrar med hälften, regionen med en fjärdedel"
    )
