"""The contributions report in every format, opened and read back."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from finsam import testing
from finsam.core import documents
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


@pytest.fixture
def finnveden() -> Association:
    assoc = testing.association("finnveden", "Finnvedens Samordningsförbund")
    testing.members(assoc, {"GISLAVED": 28370, "GNOSJO": 9071, "VARNAMO": 33358})
    testing.contribution_total(assoc, 2023, 5070000)
    return assoc


def gathered(assoc: Association) -> documents.Gathered:
    return documents.gather(
        "contributions", assoc, documents.Period(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    )


def test_the_json_gives_each_members_part(finnveden: Association) -> None:
    data = json.loads(documents.render(gathered(finnveden), "json"))
    amounts = {m["code"]: m["amount"] for m in data["members"]}
    assert amounts == {
        "FK": "2535000.00",
        "REG": "1267500.00",
        "GISLAVED": "507900.00",
        "GNOSJO": "162400.00",
        "VARNAMO": "597200.00",
        "AF": "0.00",
    }
    assert (data["total"], data["allocated"], data["municipal_total"]) == (
        "5070000.00",
        "5070000.00",
        "1267500.00",
    )


def test_the_xlsx_keeps_numbers_as_numbers(finnveden: Association) -> None:
    book = load_workbook(io.BytesIO(documents.render(gathered(finnveden), "xlsx")))
    sheet = book["Medlemsbidrag 2023"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=5, values_only=True) if row[0]}
    assert rows["Gislaved kommun"][1] == 28370
    assert rows["Gislaved kommun"][4] == Decimal("507900.00")
    assert rows["Summa"][4] == 5070000
    assert sheet.cell(row=5, column=5).number_format == "#,##0"


def test_the_docx_holds_the_table(finnveden: Association) -> None:
    word = WordDocument(io.BytesIO(documents.render(gathered(finnveden), "docx")))
    table = word.tables[0]
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0] == ["Medlem", "Folkmängd", "Per", "Andel", "Bidrag (kr)"]
    assert ["Varnamo kommun", f"33{NBSP}358", "2022-11-01", f"11,8{NBSP}%", f"597{NBSP}200"] in cells
    assert cells[-1][0] == "Summa" and cells[-1][-1] == f"5{NBSP}070{NBSP}000"


def test_the_pdf_reads_like_the_page(finnveden: Association, tmp_path: Path) -> None:
    pdf = tmp_path / "medlemsbidrag.pdf"
    pdf.write_bytes(documents.render(gathered(finnveden), "pdf"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    assert "Medlemsbidrag 2023" in text
    assert "Finnvedens Samordningsförbund" in text
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "Gnosjo kommun 9 071 2022-11-01 3,2 % 162 400" in lines
    assert "Summa 100,0 % 5 070 000" in lines


def test_html_is_a_whole_swedish_page(finnveden: Association) -> None:
    html = documents.render(gathered(finnveden), "html").decode()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="sv">' in html
    assert f"1{NBSP}267{NBSP}500" in html
