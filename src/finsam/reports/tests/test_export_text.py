"""Text from users stays text in every spreadsheet finsam writes: never a formula or an error value.

The attack: a participant's own key and a municipality `=HYPERLINK("http://x.example","a")` came out as a live
formula in the registrar's list and the participant tables. Here such text is planted where users write it and
every export is taken: each registered kind of report as XLSX (on the web, as users download them), the
registrar's list and the participant tables.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from finsam.accounts.models import User
from finsam.core import documents
from finsam.core.audit import Actor
from finsam.core.documents import Column, Document, Kind, Section, Table
from finsam.finance.models import StatementRow
from finsam.organisation.models import Association, Intervention, Member
from finsam.participants.models import Episode
from finsam.reports import services
from finsam.reports.render.xlsx import render_xlsx

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://x.example","a")'
# Text a spreadsheet reads as a formula or an error value if it is not stored as text.
FORMULA_LIKE = [HOSTILE, "+1+2", "-1-2", "@SUM(A1)", "=1+1", "#N/A", "#REF!"]


def cells(content: bytes) -> list[tuple[str, str, object, str, bool]]:
    """Every cell of every sheet: sheet, coordinate, value, data type, whether it has the quote prefix."""
    book = load_workbook(io.BytesIO(content))
    return [
        (sheet.title, cell.coordinate, cell.value, cell.data_type, bool(cell.quotePrefix))
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_text_only(content: bytes, planted: str = HOSTILE) -> None:
    found = cells(content)
    live = [(s, c, v) for s, c, v, data_type, _q in found if data_type in ("f", "e")]
    assert not live, f"cells a spreadsheet evaluates: {live}"
    hostile = [(s, c, v, q) for s, c, v, _t, q in found if isinstance(v, str) and v.startswith(planted)]
    assert hostile, "the planted text is not in the file"
    assert all(quoted for *_where, quoted in hostile), "formula-like text without the quote prefix"


def test_the_spreadsheet_writer_keeps_every_text_as_text() -> None:
    columns = [
        Column("name", "=Rad"),
        Column("code", "Kod"),
        Column("note", "Not"),
        Column("amount", "Belopp", Kind.MONEY),
    ]
    rows: list[dict[str, documents.Cell]] = [
        {"name": text, "code": text, "note": text, "amount": Decimal(-5)} for text in FORMULA_LIKE
    ]
    rows.append({"name": "Styrsignal", "code": "A\x07B", "note": "12", "amount": 3})
    table = Table(HOSTILE, columns, rows, total={"name": HOSTILE, "amount": 1}, notes=[HOSTILE])
    document = Document(HOSTILE, HOSTILE, "=2023", [Section("Del", tables=[table])], "fil")
    content = render_xlsx(document)
    assert_text_only(content)
    values = [(v, t) for _s, _c, v, t, _q in cells(content)]
    for text in FORMULA_LIKE:
        assert (text, "s") in values
    # Characters a worksheet cannot hold are dropped, not a reason to fail the download.
    assert ("AB", "s") in values
    # Real numbers stay numbers: an amount, and a figure given as text.
    assert (-5, "n") in values and (12, "n") in values


@pytest.fixture
def planted(demo: dict[str, Association]) -> Association:
    """Finnveden with formula-like text wherever users write it: its name, a member, an intervention, a
    statement row, and a participant's own key and municipality."""
    finnveden = demo["finnveden"]
    Association.objects.filter(pk=finnveden.pk).update(name=HOSTILE)
    member = Member.objects.filter(association=finnveden, kind=Member.Kind.MUNICIPALITY).first()
    assert member is not None
    Member.objects.filter(pk=member.pk).update(name=f"{HOSTILE} kommun")
    Intervention.objects.filter(association=finnveden, code="SAMVERKANSTEAM").update(name=f"{HOSTILE} team")
    StatementRow.objects.filter(association=finnveden, code="REVISION").update(name=f"{HOSTILE} revision")
    episodes = Episode.objects.filter(association=finnveden, intervention__code="SAMVERKANSTEAM")
    first = episodes.order_by("pk").first()
    assert first is not None
    Episode.objects.filter(pk=first.pk).update(own_key=HOSTILE)
    episodes.update(municipality=f"{HOSTILE} hemkommun")
    return Association.objects.get(pk=finnveden.pk)


def client(username: str) -> Client:
    made = Client()
    made.force_login(User.objects.get(username=username))
    return made


def test_every_kind_of_report_downloads_as_text_only(planted: Association) -> None:
    office = client("kansli")
    base = f"/f/{planted.slug}/rapporter"
    assert "xlsx" in documents.FORMATS
    # No other format is a spreadsheet: a CSV export would need its own escaping and its own test here.
    assert {f.content_type.split(";")[0] for f in documents.FORMATS.values()} == {
        "application/json",
        "text/html",
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for kind in documents.KINDS:
        response = office.get(f"{base}/{kind}.xlsx?datum=2023-12-31")
        assert response.status_code == 200, kind
        assert_text_only(response.content)


def test_the_registrars_list_and_the_participant_tables_are_text_only(planted: Association) -> None:
    registrar = client("registrator")
    base = f"/f/{planted.slug}/deltagare"
    listed = registrar.get(f"{base}/lista.xlsx")
    assert listed.status_code == 200
    assert_text_only(listed.content)
    values = [v for _s, _c, v, _t, _q in cells(listed.content)]
    assert HOSTILE in values and f"{HOSTILE} hemkommun" in values
    office = client("kansli")
    for query in ("", "&publik=1"):
        tables = office.get(f"{base}/tabeller.xlsx?fran=2023-01-01&till=2023-12-31{query}")
        assert tables.status_code == 200
        assert_text_only(tables.content)


def test_a_report_versions_file_is_text_only(planted: Association) -> None:
    version = services.start_version(Actor.command("test"), planted, "annual-report", dt.date(2023, 12, 31))
    response = client("kansli").get(f"/f/{planted.slug}/rapporter/versioner/{version.pk}/fil.xlsx")
    assert response.status_code == 200
    assert_text_only(response.content)
