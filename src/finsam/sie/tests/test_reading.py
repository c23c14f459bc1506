"""Encodings, streams, progress and memory: reading without holding the file."""

from __future__ import annotations

import datetime as dt
import decimal
import io
import tracemalloc
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import pytest

from finsam.sie import (
    Balance,
    BalanceKind,
    RowKind,
    SieErrors,
    UnknownRecord,
    Voucher,
    decoding,
    iter_records,
    read_sie,
)
from finsam.sie import reader as sie_reader

LINES = [
    "#FLAGGA 0",
    '"#FORMAT" "PC8"',
    "#SIETYP\t4",
    '#FNAMN "Förbundet \\"Södra\\""',
    "",
    "#OKÄND 1 {2 3}",
    "#VER A 1 20250102 Kaffebröd",
    "{",
    '\t"#TRANS" 4010 {6 "P1"} 25.50',
    "   #OKÄND rad",
    "\t#TRANS\t1930\t{}\t-25.50",
    "}",
    "#IB 0 1930 1000",
]


def encoded(encoding: str, newline: str = "\r\n", bom: bool = False) -> bytes:
    data = newline.join(LINES).encode(encoding)
    return b"\xef\xbb\xbf" + data if bom else data


def check(records: Sequence[object]) -> None:
    vouchers = [record for record in records if isinstance(record, Voucher)]
    assert [voucher.text for voucher in vouchers] == ["Kaffebröd"]
    assert [(row.account, row.amount) for row in vouchers[0].transactions] == [
        ("4010", Decimal("25.50")),
        ("1930", Decimal("-25.50")),
    ]


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (encoded("cp437"), "cp437"),
        (encoded("cp437", "\n"), "cp437"),
        (encoded("utf-8"), "utf-8"),
        (encoded("utf-8", "\n", bom=True), "utf-8"),
    ],
)
def test_encodings_line_ends_tabs_and_quoted_labels(data: bytes, encoding: str) -> None:
    sie = read_sie(io.BytesIO(data))
    assert sie.encoding == encoding
    assert sie.format == "PC8"
    assert sie.sie_type == 4
    assert sie.company_name == 'Förbundet "Södra"'
    assert sie.unknown_labels == {"#OKÄND": 2}
    check([*sie.vouchers])
    assert sie.balances == [Balance(0, BalanceKind.IB, 0, None, "1930", (), Decimal(1000))]
    assert sie.undeclared_accounts == {"1930", "4010"}
    assert sie.undeclared_objects == {(6, "P1")}
    records = list(iter_records(io.BytesIO(data)))
    assert UnknownRecord(6, "#OKÄND", ("1", ("2", "3"))) in records
    check(records)


def test_utf8_is_checked_across_the_whole_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decoding, "CHUNK", 5)  # every multi-byte letter falls across a chunk border
    assert read_sie(io.BytesIO(encoded("utf-8"))).encoding == "utf-8"
    late = encoded("utf-8") + "\r\n#PROSA Kaffebröd".encode("cp437")
    sie = read_sie(io.BytesIO(late))
    assert sie.encoding == "cp437"
    assert sie.vouchers[0].text == "Kaffebr├╢d"  # what UTF-8 bytes are in CP437
    assert sie.comments == ["Kaffebröd"]


class Pipe(io.BytesIO):
    """A stream that cannot seek, like a socket or a pipe, and hands out a few bytes at a time."""

    def seekable(self) -> bool:
        return False

    def read(self, size: int | None = -1) -> bytes:
        return super().read(3 if size is None or size < 0 else min(size, 3))


def test_streams_that_cannot_seek_or_do_not_start_at_zero(tmp_path: Path) -> None:
    data = encoded("cp437")
    check([*read_sie(Pipe(data)).vouchers])
    stream = io.BytesIO(b"something before" + data)
    stream.seek(len(b"something before"))
    check([*read_sie(stream).vouchers])
    assert not stream.closed
    path = tmp_path / "file.se"
    path.write_bytes(data)
    check([*read_sie(path).vouchers])
    check([*read_sie(str(path)).vouchers])


def write_big_file(path: Path, vouchers: int) -> None:
    with path.open("w", encoding="cp437", newline="\r\n") as out:
        out.write("#FLAGGA 0\n#SIETYP 4\n")
        for number in range(1, vouchers + 1):
            day = dt.date(2024, 1, 1) + dt.timedelta(days=number % 366)
            out.write(f'#VER A {number} {day:%Y%m%d} "Köp {number}"\n{{\n')
            cost, tax = Decimal(number * 100 + 25).scaleb(-2), Decimal(number % 100 * 101).scaleb(-2)
            out.write(f'   #TRANS 4010 {{6 "P{number % 7}"}} {cost} {day:%Y%m%d} "Rad"\n')
            out.write(f"   #TRANS 2641 {{}} {tax}\n")
            out.write(f"   #TRANS 1930 {{}} {-cost - tax}\n}}\n")


def test_callbacks_keep_memory_flat(tmp_path: Path) -> None:
    small, large = tmp_path / "small.se", tmp_path / "large.se"
    write_big_file(small, 2_000)
    write_big_file(large, 20_000)
    peaks = []
    for path in (small, large):
        rows = 0

        def count(voucher: Voucher) -> None:
            nonlocal rows
            rows += len(voucher.counted())

        tracemalloc.start()
        sie = read_sie(path, on_voucher=count)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert rows == sie.row_count == 3 * sie.voucher_count
        assert not sie.vouchers
    assert peaks[1] < peaks[0] * 1.5 + 100_000, peaks  # ten times the file, not ten times the memory


def test_progress_is_reported_up_to_the_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sie_reader, "_PROGRESS_EVERY", 100)
    path = tmp_path / "file.se"
    write_big_file(path, 30_000)
    reports: list[tuple[int, int]] = []
    read_sie(path, on_voucher=lambda _: None, on_progress=lambda done, size: reports.append((done, size)))
    size = path.stat().st_size
    assert len(reports) > 10
    assert all(total == size for _, total in reports)
    assert [done for done, _ in reports] == sorted(done for done, _ in reports)
    assert reports[-1] == (size, size)


def test_vouchers_and_balances_can_be_kept_or_taken() -> None:
    taken: list[object] = []
    sie = read_sie(io.BytesIO(encoded("cp437")), on_voucher=taken.append, on_balance=taken.append)
    assert not sie.vouchers and not sie.balances
    assert [type(record) for record in taken] == [Voucher, Balance]
    assert sie.voucher_count == 1 and sie.row_count == 2


def test_summing_needs_the_default_precision() -> None:
    with decimal.localcontext(decimal.Context(prec=10)), pytest.raises(ValueError, match="precision"):
        read_sie(io.BytesIO(encoded("cp437")))


def test_an_empty_voucher_and_rows_of_every_kind() -> None:
    data = "\r\n".join(
        [
            "#VER B 1 20250101",
            "{",
            "}",
            "#VER B 2 20250102 Text 20250103 KS",
            "{",
            "#BTRANS 1930 {} 99.00",
            '#RTRANS 1930 {} 10.00 20250110 "" 1 KS',
            "#TRANS 1930 {} 10.00",
            "#TRANS 3010 {} -10.00",
            "}",
        ]
    ).encode("cp437")
    empty, full = read_sie(io.BytesIO(data)).vouchers
    assert empty.transactions == []
    assert (full.text, full.registered, full.signature) == ("Text", dt.date(2025, 1, 3), "KS")
    kinds = [RowKind.BTRANS, RowKind.RTRANS, RowKind.TRANS, RowKind.TRANS]
    assert [row.kind for row in full.transactions] == kinds
    assert full.transactions[1].quantity == 1
    assert full.transactions[1].signature == "KS"
    assert [row.amount for row in full.counted()] == [10, -10]


def test_a_row_on_an_account_that_is_no_number_is_read_as_it_stands() -> None:
    # SoftOne writes FEL for an account it could not map; the importer decides what such a row means.
    # A declared account (#KONTO) and a balance still need digits.
    data = b'#FLAGGA 0\n#VER A 1 20250102 ""\n{\n#TRANS FEL {} 25.50\n#TRANS 1930 {} -25.50\n}\n'
    [voucher] = read_sie(io.BytesIO(data)).vouchers
    assert [(row.account, row.amount) for row in voucher.transactions] == [
        ("FEL", Decimal("25.50")),
        ("1930", Decimal("-25.50")),
    ]
    with pytest.raises(SieErrors):
        read_sie(io.BytesIO(b"#FLAGGA 0\n#KONTO FEL Fel\n#IB 0 FEL 1.00\n"))
