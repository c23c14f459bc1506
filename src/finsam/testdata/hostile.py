"""Hostile files, as an attack on the demo brought them (issue 13): written streaming, whatever their size.

The tests write small ones, `bench/hostile_uploads.py` the attack's own sizes; a compressed member is
written through zipfile piece by piece, so a file that inflates to gigabytes takes a megabyte on disk and
little memory to write. Test data only, like the rest of this package.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

from docx import Document as WordDocument

PARTICIPANT_HEADER = (
    "insats;deltagare;kön;födelseår;kommun;remittent;remissdatum;inskrivningsdatum;avslutsdatum;avslutsorsak;"
    "försörjning_före;försörjning_efter;år_med_offentlig_försörjning"
)
PARTICIPANT_ROW = "STEG;A-1;kvinna;1990;Askeby;kommun;2025-01-02;2025-01-10;;;ekonomiskt_bistånd;;2,5"
BUDGET_HEADER = "rad;år;typ;belopp"
BUDGET_ROW = "STEG;2025;budget;480 000"
BLOCK = 1 << 20

_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_PACKAGE_RELATIONS = "http://schemas.openxmlformats.org/package/2006/relationships"


def _repeat(unit: bytes, size: int) -> Iterator[bytes]:
    """size bytes of unit repeated, a megabyte at a time."""
    block = unit * max(BLOCK // len(unit), 1)
    for _ in range(size // len(block)):
        yield block
    yield unit * ((size % len(block)) // len(unit))


def xlsx_with_shared_string(path: Path, size: int, *, strings_part: str = "xl/sharedStrings.xml") -> Path:
    """A workbook whose one cell is a shared string of `size` characters, its part named `strings_part`."""
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEET_TYPE}"/>'
        f'<Override PartName="/{strings_part}" ContentType="{_STRINGS_TYPE}"/></Types>'
    )
    package_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELATIONS}">'
        f'<Relationship Id="rId1" Type="{_RELATIONS}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_RELATIONS}">'
        '<sheets><sheet name="Deltagare" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PACKAGE_RELATIONS}">'
        f'<Relationship Id="rId1" Type="{_RELATIONS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELATIONS}/sharedStrings" Target="/{strings_part}"/>'
        "</Relationships>"
    )
    sheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", package_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
        with archive.open(strings_part, "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}"><si><t>'.encode())
            for block in _repeat(b"A", size):
                member.write(block)
            member.write(b"</t></si></sst>")
    return path


def docx_bomb(path: Path, size: int) -> Path:
    """A Word document whose body is `size` bytes of empty paragraphs, compressed a thousandfold."""
    out = io.BytesIO()
    WordDocument().save(out)
    with zipfile.ZipFile(out) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, source.read(info.filename))
                continue
            head, tail = source.read(info.filename).split(b"<w:body>")
            with archive.open(info.filename, "w", force_zip64=True) as member:
                member.write(head + b"<w:body>")
                for block in _repeat(b"<w:p/>", size):
                    member.write(block)
                member.write(tail)
    return path


def text_file(path: Path, header: str, row: str, size: int, encoding: str = "utf-8") -> Path:
    """A CSV file of `size` bytes or a little more: the header and the row again and again."""
    with path.open("wb") as handle:
        handle.write(f"{header}\n".encode(encoding))
        for block in _repeat(f"{row}\n".encode(encoding), size):
            handle.write(block)
    return path


def csv_with_long_field(path: Path, header: str, row: str, length: int) -> Path:
    """A CSV file whose second field on its one row is `length` characters long."""
    fields = row.split(";")
    fields[1] = "x" * length
    path.write_text(f"{header}\n{';'.join(fields)}\n", encoding="utf-8")
    return path


def billion_laughs(levels: int = 9) -> str:
    """An organisation file whose last key stands for 9**levels strings through aliases."""
    lines = [
        "association: {slug: skratt, name: Skratt}",
        'a0: &a0 ["ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha", "ha"]',
    ]
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def nested_brackets(depth: int = 200_000) -> str:
    """An organisation file with a value nested `depth` levels deep."""
    return "association: {slug: djup, name: Djup}\nmembers: " + "[" * depth + "]" * depth + "\n"
