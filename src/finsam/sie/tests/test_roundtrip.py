"""What the writer writes, the reader reads back unchanged; the reader's fast paths read as its tokenizer."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.sie import (
    Account,
    AccountKind,
    AccountType,
    Address,
    Balance,
    BalanceKind,
    Checksum,
    Comment,
    CompanyName,
    Dimension,
    FiscalYear,
    Flag,
    Format,
    Generated,
    ObjectDef,
    OrgNumber,
    Program,
    Record,
    RowKind,
    SieErrors,
    SieType,
    Transaction,
    UnknownRecord,
    Voucher,
    format_record,
    iter_records,
    write_sie,
)
from finsam.sie.reader import _Parser, _quick_fields
from finsam.sie.tokens import tokenize

# Texts for CP437 files: printable ASCII and Swedish letters. Each of these letters is a CP437 byte in
# 0x80-0xBF, which in UTF-8 can only continue a character, so a file holding one is never taken for UTF-8.
LETTERS = "åäöÅÄÖéü"
ASCII = st.characters(min_codepoint=0x20, max_codepoint=0x7E)
texts = st.text(ASCII | st.sampled_from(LETTERS), max_size=12)
codes = st.text(ASCII | st.sampled_from(LETTERS), min_size=1, max_size=6)
accounts = st.from_regex(r"[1-8][0-9]{3}", fullmatch=True)
amounts = st.integers(-(10**13), 10**13).map(lambda cents: Decimal(cents).scaleb(-2))
quantities = st.none() | st.decimals(-(10**6), 10**6, places=3, allow_nan=False, allow_infinity=False)
dates = st.dates(dt.date(1990, 1, 1), dt.date(2099, 12, 31))
object_lists = st.lists(st.tuples(st.integers(1, 40), codes), max_size=3).map(tuple)


@st.composite
def rows(draw: st.DrawFn) -> Transaction:
    return Transaction(
        0,
        RowKind.TRANS,
        draw(accounts),
        draw(object_lists),
        draw(amounts),
        draw(st.none() | dates),
        draw(texts),
        draw(quantities),
        draw(st.sampled_from(["", "KS", "Anna Öberg"])),
    )


@st.composite
def vouchers(draw: st.DrawFn) -> Voucher:
    transactions = draw(st.lists(rows(), min_size=1, max_size=5))
    if draw(st.booleans()):  # a row added afterwards: #RTRANS, repeated by a #TRANS
        added = draw(rows())
        transactions += [
            Transaction(0, RowKind.RTRANS, added.account, added.objects, added.amount, added.date),
            added,
        ]
    if draw(st.booleans()):  # a row removed afterwards: #BTRANS, never counted
        removed = draw(rows())
        transactions.append(Transaction(0, RowKind.BTRANS, removed.account, removed.objects, removed.amount))
    balance = -sum((row.amount for row in transactions if row.kind is RowKind.TRANS), Decimal(0))
    transactions.append(Transaction(0, RowKind.TRANS, "1930", (), balance))
    return Voucher(
        0,
        draw(st.text(ASCII, max_size=3)),
        draw(st.text(ASCII, max_size=6)),
        draw(dates),
        draw(texts),
        draw(st.none() | dates),
        draw(st.sampled_from(["", "KS"])),
        transactions,
    )


@st.composite
def balances(draw: st.DrawFn) -> Balance:
    kind = draw(st.sampled_from(list(BalanceKind)))
    periodic = kind in (BalanceKind.PSALDO, BalanceKind.PBUDGET)
    plain = kind in (BalanceKind.IB, BalanceKind.UB, BalanceKind.RES)
    return Balance(
        0,
        kind,
        draw(st.integers(-3, 0)),
        draw(st.integers(1990, 2099)) * 100 + draw(st.integers(1, 12)) if periodic else None,
        draw(accounts),
        () if plain else draw(object_lists),
        draw(amounts),
        draw(quantities),
    )


headers = st.one_of(
    st.builds(Flag, st.just(0), st.sampled_from([0, 1])),
    st.builds(Format, st.just(0), st.just("PC8")),
    st.builds(SieType, st.just(0), st.integers(1, 4)),
    st.builds(Program, st.just(0), texts, texts),
    st.builds(Generated, st.just(0), dates, texts),
    st.builds(OrgNumber, st.just(0), st.from_regex(r"[0-9]{6}-[0-9]{4}", fullmatch=True)),
    st.builds(CompanyName, st.just(0), texts),
    st.builds(Address, st.just(0), texts, texts, texts, texts),
    st.builds(FiscalYear, st.just(0), st.integers(-3, 0), dates, dates),
    st.builds(Account, st.just(0), accounts, texts),
    st.builds(AccountKind, st.just(0), accounts, st.sampled_from(list(AccountType))),
    st.builds(Dimension, st.just(0), st.integers(1, 99), texts, st.none() | st.integers(1, 99)),
    st.builds(ObjectDef, st.just(0), st.integers(1, 99), codes, texts),
    st.builds(Comment, st.just(0), texts),
    st.builds(Checksum, st.just(0), st.none() | st.integers(0, 2**32 - 1)),
    st.builds(UnknownRecord, st.just(0), st.just("#NYTT"), st.tuples(codes, st.tuples(codes, codes))),
)
files = st.lists(st.one_of(headers, balances(), vouchers()), max_size=12)


def read_back(data: bytes) -> list[Record]:
    return list(iter_records(io.BytesIO(data)))


@given(files)
@settings(max_examples=200)
def test_written_records_read_back_the_same(records: list[Record]) -> None:
    buffer = io.BytesIO()
    write_sie(buffer, records)
    assert read_back(buffer.getvalue()) == records


@given(files)
def test_line_ends_and_indentation_do_not_matter(records: list[Record]) -> None:
    buffer = io.BytesIO()
    write_sie(buffer, records)
    data = buffer.getvalue().replace(b"\r\n   #", b"\n\t#").replace(b"\r\n", b"\n")
    assert read_back(data) == records


@given(st.lists(vouchers(), min_size=1, max_size=3), st.text(min_size=1, max_size=8))
def test_a_utf8_file_reads_back_the_same(written: list[Voucher], text: str) -> None:
    text = "".join(char for char in text if char.isprintable())
    written[0].text = text
    data = "\r\n".join(format_record(voucher) for voucher in written).encode("utf-8")
    assert read_back(codecs_bom() + data) == written


def codecs_bom() -> bytes:
    return "\ufeff".encode()


def test_the_writer_quotes_and_escapes() -> None:
    voucher = Voucher(
        1,
        "A",
        "7",
        dt.date(2025, 1, 2),
        'Sa "hej" \\ {ö}',
        None,
        "",
        [
            Transaction(3, RowKind.TRANS, "4610", ((6, "STEG"),), Decimal("100.5"), None, "", Decimal("2")),
            Transaction(4, RowKind.TRANS, "1930", (), Decimal("-100.50")),
        ],
    )
    assert format_record(voucher) == (
        '#VER A 7 20250102 "Sa \\"hej\\" \\\\ {ö}"\r\n{\r\n'
        '   #TRANS 4610 {6 "STEG"} 100.5 "" "" 2\r\n'
        "   #TRANS 1930 {} -100.50\r\n}"
    )
    assert format_record(OrgNumber(1, "")) == '#ORGNR ""'
    assert format_record(Dimension(1, 61, "Del", 6)) == '#UNDERDIM 61 "Del" 6'


@pytest.mark.parametrize(
    "record",
    [
        Balance(1, BalanceKind.IB, 0, None, "1930", ((6, "P"),), Decimal(1)),
        Balance(1, BalanceKind.IB, 0, None, "1930", (), Decimal("0.001")),
        Balance(1, BalanceKind.IB, 0, None, "1930", (), Decimal("1" * 20)),
        Balance(1, BalanceKind.PSALDO, 0, None, "1930", (), Decimal(1)),
        Comment(1, "two\nlines"),
    ],
)
def test_the_writer_refuses_what_sie_cannot_hold(record: Record) -> None:
    with pytest.raises(ValueError, match=r"."):
        write_sie(io.BytesIO(), [record])


def test_the_writer_refuses_letters_outside_cp437() -> None:
    with pytest.raises(UnicodeEncodeError):
        write_sie(io.BytesIO(), [Comment(1, "€")])


# The fast paths of the reader (plain #TRANS rows, plain #VER lines, lines without braces) must read a
# line exactly as the tokenizer and the record handlers do, or leave it to them.

line_chars = st.sampled_from([" ", " ", "\t", '"', '"', "\\", "{", "}", "a", "#", "ö", "1", "\xa0", "\x0b"])


@given(st.text(line_chars, min_size=1, max_size=14))
@settings(max_examples=500)
def test_quick_fields_agree_with_the_tokenizer(text: str) -> None:
    quick = _quick_fields(text)
    if quick is not None:
        assert quick == tokenize(text, 1)[0]


def joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


blank = st.sampled_from(["", " ", "\t", "  "])
gap = st.sampled_from([" ", " ", "\t", "  ", "\x0b", ""])
# What may end a line before its line end: the tokenizer's separators, and what only looks like one.
line_end = st.sampled_from(["", "", " ", "\t", "\r", "\x0b", "\x1f", "\xa0", "\u2028"])
# Amounts that the fast way checks without the tokenizer: forms Decimal reads but SIE does not, and lengths
# around the limit of 19 characters.
amount_texts = st.one_of(
    st.sampled_from(["100.00", "-5", "0.5", ".5", "5.", "1.234", "1e3", '"7.00"', "x", "1" * 16 + ".0"]),
    st.sampled_from(["--1", "1-2", "-", ".", "-.5", "1.2.3", "-0", "+1", "1_0", "١", "Inf", "NaN", "1.2-"]),
    st.sampled_from(["1" * 19, "1" * 20, "-" + "1" * 18, "1" * 16 + ".05", "-" + "1" * 15 + ".05", "0.00"]),
    st.text("-.0123456789", max_size=21),
)
row_lines = joined(
    blank,
    st.sampled_from(["#TRANS", "#TRANS", '"#TRANS"', "#trans", "#TRANSX"]),
    gap,
    st.sampled_from(["1930", "1930", "4610", '"1930"', "19a0", ""]),
    gap,
    st.sampled_from(["{}", '{6 "P"}', "{6 P}", "{ }", '{1 "Nord" 6 "ö"}', '{6 "a}b"}', "{6}", '{6 "P"']),
    gap,
    amount_texts,
    st.one_of(
        st.just(""),
        joined(gap, st.sampled_from(["20240101", "20240230", '""', '"20240105"', "2024"])),
        joined(
            gap,
            st.sampled_from(["20240101", "20240131", '""']),
            gap,
            st.sampled_from(['"text"', '"ö \\"x\\""', '""', "bare", '"a"b"', '"unclosed']),
            st.sampled_from(["", " 1.5", ' "" "KS"', " 2 x"]),
        ),
    ),
    line_end,
)


@given(row_lines)
@settings(max_examples=500)
def test_the_fast_row_path_reads_as_the_general_way(row_line: str) -> None:
    head = "#VER A 1 20240101\n{\n"
    _, row = _Parser(10).parse_line(3, row_line)
    parser = _Parser(10, keep_unbalanced=True)  # an amount of 19 digits has no counter row of 19 characters
    if isinstance(row, Transaction):
        [voucher] = parser.records([*head.splitlines(True), row_line + "\n", "}\n"])
        assert isinstance(voucher, Voucher)
        assert voucher.transactions[0] == row
        assert voucher.transactions[0].line == 3
    elif isinstance(row, UnknownRecord):  # such as '#TRANS" 1900 {} 1': ignored, as the standard says
        [voucher] = parser.records([*head.splitlines(True), row_line + "\n", "}\n"])
        assert voucher == Voucher(0, "A", "1", dt.date(2024, 1, 1))
    else:
        with pytest.raises(SieErrors):
            list(parser.records([*head.splitlines(True), row_line + "\n", "}\n"]))
            parser.raise_errors()


ver_lines = joined(
    st.sampled_from(["", " ", "\t", "\x0b", "\x1c"]),
    st.sampled_from(["#VER", "#VER", '"#VER"']),
    gap,
    st.sampled_from(["A", '"A"', '""', "ö", '"A B"']),
    gap,
    st.sampled_from(["1", '"12"', '""', "x1"]),
    gap,
    st.sampled_from(["20240131", "20240132", '"20240131"', '""']),
    st.one_of(
        st.just(""),
        joined(gap, st.sampled_from(['"Text"', '"ö"', "Bare", '""', '"a \\"b\\""', '"a"b"'])),
        joined(
            gap,
            st.sampled_from(['"Text"', "Bare", '""']),
            gap,
            st.sampled_from(["20240201", '""', "20241301", '"20240201"']),
            st.sampled_from(["", ' "KS"', " KS", ' "K S" extra']),
        ),
    ),
    line_end,
)


@given(ver_lines)
@settings(max_examples=500)
def test_the_fast_voucher_path_reads_as_the_general_way(ver_line: str) -> None:
    _, expected = _Parser(10).parse_line(1, ver_line)
    parser = _Parser(10)
    if isinstance(expected, Voucher):
        [voucher] = parser.records([ver_line + "\n", "{\n", "}\n"])
        assert voucher == expected
    else:
        with pytest.raises(SieErrors):
            list(parser.records([ver_line + "\n", "{\n", "}\n"]))
            parser.raise_errors()
