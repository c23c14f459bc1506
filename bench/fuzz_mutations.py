"""Mutations of the importers' seed files for bench/fuzz_importers.py: bytes, lines, fields and zip archives.

Every mutation takes a `random.Random` and gives new bytes; nothing else decides what an input is, so an
input is reproduced from the seed file, the run's seed and the input's number alone.
"""

from __future__ import annotations

import io
import random
import struct
import warnings
import zipfile
from collections.abc import Callable

MEGABYTE = 1024 * 1024
SEPARATORS = (b";", b",", b" ", b"\t", b"\n", b"{", b":")
ENCODINGS = ("utf-16", "utf-16-be", "utf-32", "cp437", "latin-1", "utf-8-sig", "cp1252", "mac_roman")

# Hostile tokens of every importer's format; any may land in any file.
COMMON = [
    b'"',
    b'""',
    b'"unterminated',
    b"\\",
    b"\x00",
    b"\x00\x00\x00\x00",
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\x80",
    b"\xe5",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\r",
    b"\r\n",
    b"\t",
    b"\x0b",
    b"\x1a",
    b"9" * 40,
    b"-" + b"9" * 25,
    b"1e999",
    b"-1e-999",
    b"NaN",
    b"inf",
    b"-0",
    b"0,000000001",
    b"1 234 567,891",
    b"12\xc2\xa0345",
    b"\xe2\x88\x92" + b"12 771,00",
    b"\xef\xbc\x91\xef\xbc\x92",
    b"\xd9\xa3",
    b"1_000",
    b"0x1F",
    b"+1",
    b'=HYPERLINK("http://x.example","a")',
    b"@SUM(1)",
    b"\xe2\x80\xae",
    b"\xf0\x9f\x98\x80",
    b"20251301",
    b"20250230",
    b"00000000",
    b"99999999",
    b"2025-02-29",
    b"2024-02-30",
    b"9999-12-31",
    b"0001-01-01",
    b"1899-12-31",
    b"2025-13-01",
    b"2025-1-1",
    b"31/12/2025",
]
PERSONNUMMER = [
    b"8501O11236",
    b"85010l-1236",
    b"850I01-1236",
    b"850101\xe2\x80\x931236",
    b"850101 1236",
    b"850101\xc2\xa01236",
    b"19850101-1236",
    b"850101+1236",
    b"850101-1237",
    b"198501011236",
    b"850161-1236",
    b"000000-0000",
    b"850101--1236",
    b"\xef\xbc\x98\xef\xbc\x95" + b"0101-1236",
]
CSV = [
    b";",
    b";;;;;;;;",
    b",",
    b'";"',
    b'"a""b"',
    b'"\n"',
    b"STEG",
    b"TEAM",
    b"steg",
    b"kvinna",
    b"annat",
    b"arbete",
    b"felregistrering",
    b"ja",
    b"budget",
    b"prognos",
    b"ASKE",
    b"RANTA",
    b"2025",
]
SIE = [
    b'#VER A 1 20250101 "x"\n{\n#TRANS 1930 {} 100\n}\n',
    b"#TRANS 1930 {} 100",
    b"#TRANS FEL {} 10",
    b'#TRANS 1930 {6 "STEG"} 1e5',
    b"#RAR 0 20250101 20251231",
    b"#RAR -1 20240101 20241231",
    b"#RAR 0 20251231 20250101",
    b'#KONTO 9999999999 "x"',
    b"#KONTO 3611",
    b"#IB 0 1930 1000000000000",
    b"#UB 0 1930 -0.001",
    b"#UB 0 2099 1,5",
    b"#RES 0 3611 -12",
    b"#SIETYP 4",
    b"#SIETYP 9",
    b"#FLAGGA 1",
    b"#KSUMMA",
    b"#KSUMMA 12345",
    b"#ORGNR 556000-0000",
    b"#ORGNR",
    b"#FORMAT PC8",
    b"#GEN 20250101",
    b"#PSALDO 0 202513 1930 {} 5",
    b'#PSALDO 0 202501 3611 {6 "X"} 5',
    b'#OBJEKT 6 "X" "Y"',
    b'#DIM 6 "Projekt"',
    b'#VER "" "" 20250101',
    b"#BTRANS 1930 {} 1",
    b"#RTRANS 1930 {} 1",
    b'#FNAMN ""',
    b"{",
    b"}",
    b"{}",
    b"{{{{",
    b"#",
    b"# ",
    b"#UNKNOWN x",
]
YAML = [
    b"&a",
    b"*a",
    b"<<: *a",
    b"&a [*a]",
    b'!!python/object/apply:os.system ["true"]',
    b"!!binary AAAA",
    b"? ",
    b"- ",
    b": ",
    b"|",
    b">",
    b"%YAML 1.1\n---\n",
    b"\n...\n",
    b"\n---\n",
    b"~",
    b"null",
    b".inf",
    b".nan",
    b"0o17",
    b"yes",
    b"on",
    b'"\\ud800"',
    b'"\\x00"',
    b"!!timestamp 2025-13-01",
    b"!!int 99999",
    b"!!float nan",
    b"{a: 1, a: 2}",
    b"[",
    b"]",
    b"[[[[[[[[",
    b"{{{{{{{{",
    b"!!set {a}",
    b"!!omap [a: 1]",
    b"2025-01-01T00:00:00Z",
    b"'",
    b"''",
    b"#",
    b"%TAG ! tag:x:",
    b"!x",
    b"\t- ",
]
TOKENS = COMMON + PERSONNUMMER + CSV + SIE + YAML


def _line_bounds(data: bytes, rng: random.Random) -> tuple[int, int]:
    """The start and end (after its newline) of a random line."""
    if not data:
        return 0, 0
    at = rng.randrange(len(data))
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    return start, len(data) if end < 0 else end + 1


# A text just over the widths the database's columns have: it passes a reader's own caps and reaches the
# column (on PostgreSQL a text over its width fails the write; SQLite keeps it).
OVER_COLUMNS = (12, 31, 61, 65, 101, 201, 256, 301, 1_001, 5_001)


def _token(rng: random.Random) -> bytes:
    draw = rng.random()
    if draw < 0.03:
        return rng.choice(b'x"{;').to_bytes(1, "big") * rng.choice((10_001, 131_073, 200_000))
    if draw < 0.08:
        return b"A" * rng.choice(OVER_COLUMNS)
    return rng.choice(TOKENS)


def flip_bit(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]


def set_byte(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return (
        data[:at]
        + bytes([rng.choice((0, 0xFF, 0x7F, 0x80, 0x22, 0x7B, 0x7D, 0x3B, 0x0A, 0x0D, 0xE5))])
        + data[at + 1 :]
    )


def insert_bytes(data: bytes, rng: random.Random) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.randbytes(rng.randrange(1, 16)) + data[at:]


def delete_range(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randrange(1, 64) :]


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def insert_token(data: bytes, rng: random.Random) -> bytes:
    if rng.random() < 0.5 and data:  # at a field's edge rather than anywhere
        separator = rng.choice(SEPARATORS)
        places = [i for i in range(len(data)) if data[i : i + 1] == separator]
        at = rng.choice(places) + 1 if places else rng.randrange(len(data) + 1)
    else:
        at = rng.randrange(len(data) + 1)
    return data[:at] + _token(rng) + data[at:]


def replace_field(data: bytes, rng: random.Random) -> bytes:
    start, end = _line_bounds(data, rng)
    line = data[start:end]
    separator = rng.choice((b";", b" ", b",", b"\t", b": "))
    fields = line.split(separator)
    fields[rng.randrange(len(fields))] = _token(rng)
    return data[:start] + separator.join(fields) + data[end:]


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    start, end = _line_bounds(data, rng)
    times = rng.choice((1, 1, 1, 2, 10, 200)) if end - start < 10_000 else 1  # inputs of a few MB at most
    return data[:end] + data[start:end] * times + data[end:]


def delete_line(data: bytes, rng: random.Random) -> bytes:
    start, end = _line_bounds(data, rng)
    return data[:start] + data[end:]


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = data.split(b"\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    lines[i], lines[j] = lines[j], lines[i]
    return b"\n".join(lines)


def reencode(data: bytes, rng: random.Random) -> bytes:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    return text.encode(rng.choice(ENCODINGS), errors="replace")


def line_endings(data: bytes, rng: random.Random) -> bytes:
    plain = data.replace(b"\r\n", b"\n")
    return plain.replace(b"\n", rng.choice((b"\r\n", b"\r", b"\n\n", b"\x85", b"\n\r")))


BYTE_MUTATIONS: list[Callable[[bytes, random.Random], bytes]] = [
    flip_bit,
    set_byte,
    insert_bytes,
    delete_range,
    truncate,
    insert_token,
    insert_token,
    insert_token,
    replace_field,
    replace_field,
    duplicate_line,
    delete_line,
    swap_lines,
    reencode,
    line_endings,
]


def mutate_bytes(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """One to six mutations of the bytes, now and then spliced with another seed of the same importer."""
    if others and rng.random() < 0.05:
        other = rng.choice(others)
        data = data[: rng.randrange(len(data) + 1)] + other[rng.randrange(len(other) + 1) :]
    for _ in range(min(1 + int(rng.expovariate(0.7)), 6)):
        mutation = rng.choice(BYTE_MUTATIONS)
        if mutation is truncate and rng.random() < 0.7:
            continue  # truncation hides every later mutation: rarer than the rest
        data = mutation(data, rng)
    return data


# ---- zip archives (XLSX, DOCX) ----

Members = list[tuple[str, bytes, int]]  # name, content, compression


def unpack(data: bytes) -> Members | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return [(i.filename, archive.read(i), i.compress_type) for i in archive.infolist()]
    except Exception:  # a broken archive: the caller mutates its bytes instead
        return None


def pack(members: Members) -> bytes:
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are one of the mutations
        with zipfile.ZipFile(out, "w") as archive:
            for name, content, compression in members:
                archive.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), content, compression)
    return out.getvalue()


def _xml_members(members: Members) -> list[int]:
    found = [i for i, (name, _c, _t) in enumerate(members) if name.endswith((".xml", ".rels"))]
    return found or list(range(len(members)))


def _mutate_member(members: Members, rng: random.Random) -> None:
    index = rng.choice(_xml_members(members))
    name, content, compression = members[index]
    members[index] = (name, mutate_bytes(content, rng, []), compression)


def _rename_member(members: Members, rng: random.Random) -> None:
    index = rng.randrange(len(members))
    name, content, compression = members[index]
    names = [m[0] for m in members]
    new = rng.choice(
        [
            rng.choice(names),
            name.upper(),
            "../" + name,
            name + "x",
            name.replace("/", "\\"),
            "/" + name,
            "xl/sharedStrings.xml",
            "xl/worksheets/sheet2.xml",
            "xl/styles.xml",
            "word/document.xml",
            "word/styles.xml",
            "[Content_Types].xml",
            "_rels/.rels",
            "word/media/image1.png",
        ]
    )
    members[index] = (new, content, compression)


def _drop_member(members: Members, rng: random.Random) -> None:
    if len(members) > 1:
        members.pop(rng.randrange(len(members)))


def _duplicate_member(members: Members, rng: random.Random) -> None:
    members.append(members[rng.randrange(len(members))])


def _inflating_member(members: Members, rng: random.Random) -> None:
    """A member that compresses a lot: over or under the limits, replacing one or added."""
    size = rng.choice((200_000, MEGABYTE + 1, 3 * MEGABYTE, 5 * MEGABYTE))
    unit = rng.choice((b"A", b"<w:p/>", b'<row><c t="s"><v>0</v></c></row>', b"<si><t>A</t></si>"))
    names = [m[0] for m in members] + ["xl/sharedStrings.xml", "word/media/image1.png", "extra.bin"]
    name = rng.choice(names)
    content = unit * (size // len(unit))
    members[:] = [m for m in members if m[0] != name]
    members.append((name, content, zipfile.ZIP_DEFLATED))


def _recompress(members: Members, rng: random.Random) -> None:
    index = rng.randrange(len(members))
    name, content, _compression = members[index]
    members[index] = (name, content, rng.choice((zipfile.ZIP_STORED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)))


ARCHIVE_MUTATIONS: list[Callable[[Members, random.Random], None]] = [
    _mutate_member,
    _mutate_member,
    _mutate_member,
    _mutate_member,
    _rename_member,
    _drop_member,
    _duplicate_member,
    _inflating_member,
    _recompress,
]


def _offsets(data: bytes, signature: bytes) -> list[int]:
    found, at = [], data.find(signature)
    while at >= 0:
        found.append(at)
        at = data.find(signature, at + 1)
    return found


def patch_sizes(data: bytes, rng: random.Random) -> bytes:
    """Declare another size (uncompressed, compressed) or CRC for a member, in its directory entry and/or
    its local header, as a hand-edited archive would."""
    entries, headers = _offsets(data, b"PK\x01\x02"), _offsets(data, b"PK\x03\x04")
    if not entries:
        return data
    value = rng.choice((0, 1, 100, 2**20, 2**31 - 1, 2**32 - 1, rng.randrange(2**32)))
    patched = bytearray(data)
    field = rng.choice((24, 20, 16))  # uncompressed size, compressed size, CRC in a directory entry
    struct.pack_into("<I", patched, rng.choice(entries) + field, value)
    if headers and rng.random() < 0.5:
        struct.pack_into("<I", patched, rng.choice(headers) + field - 2, value)
    return bytes(patched)


def mutate_archive(data: bytes, rng: random.Random, others: list[bytes]) -> bytes:
    """Mutate the members (content, names, sizes, compression), then now and then the archive's bytes."""
    members = unpack(data)
    if members is None or rng.random() < 0.05:
        return mutate_bytes(data, rng, [])
    for _ in range(min(1 + int(rng.expovariate(1.0)), 4)):
        rng.choice(ARCHIVE_MUTATIONS)(members, rng)
    packed = pack(members)
    roll = rng.random()
    if roll < 0.1:
        return patch_sizes(packed, rng)
    if roll < 0.15:
        return rng.choice((flip_bit, truncate, delete_range, set_byte))(packed, rng)
    return packed
