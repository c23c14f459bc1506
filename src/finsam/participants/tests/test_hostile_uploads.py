"""Hostile participant files (issue 13): each refused with the importer's message, never inflated or read
whole first. The sizes are small; `bench/hostile_uploads.py` brings the attack's own."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import Workbook
from pytest_django.fixtures import Settings

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.imports import MAX_PROBLEMS, ImportRejected
from finsam.core.uploads import MEGABYTE
from finsam.organisation.models import Association
from finsam.participants import imports, reading
from finsam.participants.models import Episode
from finsam.testdata import hostile
from finsam.testdata.hostile import PARTICIPANT_HEADER as HEADER
from finsam.testdata.hostile import PARTICIPANT_ROW as ROW

pytestmark = pytest.mark.django_db


@pytest.fixture
def association() -> Association:
    assoc = testing.association("hemma", "Samordningsförbundet Hemma")
    testing.intervention(assoc, "STEG")
    return assoc


def refused(association: Association, content: bytes, name: str = "fil.csv") -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        imports.plan(content, name, association)
    return [str(problem) for problem in caught.value.problems]


def xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_holding_a_huge_shared_string_is_refused_before_it_is_inflated(
    association: Association, tmp_path: Path
) -> None:
    path = hostile.xlsx_with_shared_string(tmp_path / "deltagare.xlsx", 6 * MEGABYTE)
    assert path.stat().st_size < 50_000
    assert refused(association, path.read_bytes(), path.name) == [
        "filen: xl/sharedStrings.xml är större än 4 MB uppackad, det största som tas emot"
    ]


def test_shared_strings_named_like_a_worksheet_are_held_to_the_limit_of_what_is_read_whole(
    association: Association, tmp_path: Path
) -> None:
    path = tmp_path / "deltagare.xlsx"
    hostile.xlsx_with_shared_string(path, 6 * MEGABYTE, strings_part="xl/worksheets/sheet2.xml")
    assert refused(association, path.read_bytes(), path.name) == [
        "filen: xl/worksheets/sheet2.xml är större än 4 MB uppackad, det största som tas emot"
    ]


def test_a_member_that_inflates_a_thousandfold_is_refused(association: Association, tmp_path: Path) -> None:
    path = hostile.xlsx_with_shared_string(tmp_path / "deltagare.xlsx", 2 * MEGABYTE)
    assert refused(association, path.read_bytes(), path.name) == [
        "filen: xl/sharedStrings.xml packas upp till mer än 100 gånger sin storlek (en så kallad zip-bomb)"
    ]


def test_an_xlsx_is_read_to_fifty_columns_and_a_capped_number_of_rows(
    association: Association, monkeypatch: pytest.MonkeyPatch
) -> None:
    header, row = HEADER.split(";"), ROW.split(";")
    wide = xlsx([header, [*row, *[None] * (60 - len(row)), "x"]])
    assert refused(association, wide, "bred.xlsx") == [
        "rad 2: ett värde efter kolumn 50; förväntade högst så många kolumner"
    ]
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    long = xlsx([header, row, [*row[:1], "A-2", *row[2:]], [*row[:1], "A-3", *row[2:]]])
    assert refused(association, long, "lang.xlsx") == [
        "filen: filen har fler än 2 rader; dela upp den i flera filer"
    ]
    assert not Episode.objects.exists()


def test_a_csv_field_of_a_megabyte_is_named_by_line_and_column(
    association: Association, tmp_path: Path
) -> None:
    path = hostile.csv_with_long_field(tmp_path / "fil.csv", HEADER, ROW, MEGABYTE)
    assert refused(association, path.read_bytes()) == [
        "rad 2, kolumn 2: ett fält med fler än 10\u00a0000 tecken; förväntade högst 10\u00a0000"
    ]


def test_csv_rows_and_fields_are_capped(association: Association, monkeypatch: pytest.MonkeyPatch) -> None:
    wide = f"{HEADER}\n{ROW}{';' * 200}\n".encode()
    assert refused(association, wide) == ["rad 2: raden har 213 fält; förväntade högst 100"]
    monkeypatch.setattr(reading, "MAX_ROWS", 2)
    long = "\n".join([HEADER, *(ROW.replace("A-1", f"A-{n}") for n in range(3))]).encode()
    assert refused(association, long) == ["filen: filen har fler än 2 rader; dela upp den i flera filer"]


def test_no_more_problems_are_collected_than_are_shown(association: Association) -> None:
    content = "\n".join([HEADER, *[ROW.replace("kvinna", "okänt")] * (MAX_PROBLEMS + 500)]).encode()
    problems = refused(association, content)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1] == "filen: fler än 1000 fel; läsningen avbröts"


def test_the_web_import_refuses_a_file_over_the_limit_while_it_streams(
    association: Association, settings: Settings, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # where an upload would wait for its confirmation: keep it to this test
    settings.UPLOAD_LIMITS = {**settings.UPLOAD_LIMITS, "participants": 64 * 1024}
    client = Client()
    client.force_login(testing.user("rita", (association, Role.REGISTRAR)))
    upload = io.BytesIO("\n".join([HEADER, *[ROW] * 3000]).encode())
    upload.name = "stor.csv"
    page = client.post("/f/hemma/deltagare/import/", {"file": upload}).content.decode()
    assert "Filen är större än 64 kB, det största som tas emot här." in page
    assert not list(imports.upload_folder().iterdir())


def test_the_web_import_names_a_field_too_long_instead_of_failing(association: Association) -> None:
    client = Client()
    client.force_login(testing.user("rita", (association, Role.REGISTRAR)))
    fields = ROW.split(";")
    fields[4] = "x" * 200_000
    upload = io.BytesIO(f"{HEADER}\n{';'.join(fields)}\n".encode())
    upload.name = "fil.csv"
    response = client.post("/f/hemma/deltagare/import/", {"file": upload})
    assert response.status_code == 200
    assert (
        "<td>2</td><td>5</td><td></td><td>ett fält med fler än 10\u00a0000 tecken"
        in response.content.decode()
    )


def rewritten(content: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one member's content changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            data = source.read(info)
            archive.writestr(info, change(data) if info.filename == name else data)
    return out.getvalue()


def test_broken_workbooks_found_by_fuzzing_are_refused(association: Association) -> None:
    """Reproducers of bench/fuzz_importers.py: a member whose compressed data is damaged (zlib.error while the
    archive is checked), a workbook without a worksheet (IndexError) and a worksheet that breaks while it
    streams are refused like any file that does not open."""
    good = xlsx([HEADER.split(";"), ROW.split(";")])
    member = good.index(b"[Content_Types].xml") + len("[Content_Types].xml")
    damaged = good[:member] + b"\xff\xff\xff\xff" + good[member + 4 :]
    no_sheet = rewritten(
        good, "xl/workbook.xml", lambda xml: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", xml)
    )
    broken_row = rewritten(good, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</row>", b"</rad>", 1))
    lzma = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(lzma, "w", zipfile.ZIP_LZMA) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, source.read(info))
    packed = lzma.getvalue()
    damaged_lzma = packed[:member] + b"\xff" * 8 + packed[member + 8 :]  # LZMAError
    unopenable = "filen: 'fil.xlsx' – förväntade en XLSX-fil som går att öppna"
    for broken in (damaged, damaged_lzma):
        assert refused(association, broken, "fil.xlsx") == [
            "filen: filen är inte en XLSX-fil som går att öppna"
        ]
    assert refused(association, no_sheet, "fil.xlsx") == [
        "filen: 'fil.xlsx' – förväntade ett arbetsblad med deltagarna"
    ]
    assert refused(association, broken_row, "fil.xlsx") == [unopenable]
