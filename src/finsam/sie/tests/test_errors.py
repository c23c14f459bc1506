"""Bad files are refused whole, naming every bad line: where, what was found and what was expected."""

from __future__ import annotations

import io

import pytest

from finsam.sie import (
    Account,
    Record,
    SieBalanceError,
    SieError,
    SieErrors,
    SieStructureError,
    SieSyntaxError,
    SieValueError,
    Voucher,
    iter_records,
    read_sie,
)
from finsam.sie.model import EXPECTED, MESSAGES

HEAD = ["#FLAGGA 0", "#FORMAT PC8", "#SIETYP 4", "#RAR 0 20240101 20241231", '#KONTO 1930 "Bank"']


def sie(*lines: str) -> io.BytesIO:
    """An SIE file: the head above (lines 1 to 5), then the lines given from line 6 on."""
    return io.BytesIO("\r\n".join([*HEAD, *lines, ""]).encode("cp437"))


def refused(*lines: str, max_errors: int = 100) -> list[SieError]:
    with pytest.raises(SieErrors) as raised:
        read_sie(sie(*lines), max_errors=max_errors)
    return raised.value.errors


def voucher(number: int, *rows: str) -> list[str]:
    return [f'#VER A {number} 20240115 "Text {number}"', "{", *(f"   {row}" for row in rows), "}"]


def test_an_unbalanced_voucher_is_refused_at_its_ver_line() -> None:
    [error] = refused(*voucher(1, "#TRANS 1930 {} 100.00", "#TRANS 3010 {} -90.00"))
    assert isinstance(error, SieBalanceError)
    assert (error.code, error.line, error.record, error.column) == ("unbalanced", 6, "#VER", None)
    assert error.value == "10.00"
    assert str(error) == "line 6: voucher A 1 does not balance: its rows sum to 10.00, expected 0"


def test_a_broken_quote() -> None:
    [error] = refused('#VER A 1 20240115 "Text without its end', "{", "   #TRANS 1930 {} 0", "}")
    assert isinstance(error, SieSyntaxError)
    assert (error.code, error.line, error.column) == ("unclosed_quote", 6, 19)
    assert error.value == '"Text without its end'
    assert str(error) == "line 6, column 19: this quoted text has no closing quote"


def test_a_date_that_does_not_exist() -> None:
    [error] = refused(*voucher(1, "#TRANS 1930 {} 100.00 20241341", "#TRANS 3010 {} -100.00"))
    assert isinstance(error, SieValueError)
    assert (error.line, error.record, error.column, error.value) == (8, "#TRANS", 26, "20241341")
    assert error.expected == EXPECTED["optional_date"]
    assert str(error) == "line 8, column 26: '20241341' is not a date YYYYMMDD or \"\""


def test_a_voucher_without_its_closing_brace_at_the_end_of_the_file() -> None:
    [error] = refused("#VER A 1 20240115", "{", "   #TRANS 1930 {} 0")
    assert isinstance(error, SieStructureError)
    assert (error.code, error.line) == ("voucher_not_closed", 6)
    assert str(error) == "line 6: the voucher opened on line 6 is not closed with '}'"


def test_a_voucher_without_its_closing_brace_before_the_next_record() -> None:
    lines = ["#VER A 1 20240115", "{", "   #TRANS 1930 {} 0", *voucher(2, "#TRANS 1930 {} 0")]
    [error] = refused(*lines)
    assert isinstance(error, SieStructureError)
    assert (error.code, error.line, error.record) == ("record_in_voucher", 9, "#VER")
    assert "voucher opened on line 6" in str(error)


def test_the_voucher_after_a_missing_brace_is_still_read() -> None:
    unclosed = ["#VER A 1 20240115", "{", "   #TRANS 1930 {} 0"]
    lines = [*unclosed, *voucher(2, "#TRANS 1930 {} 0"), "#TRANS 1930 {} 0"]
    records: list[Record] = []
    with pytest.raises(SieErrors) as raised:
        for record in iter_records(sie(*lines)):
            records.append(record)
    assert [error.code for error in raised.value.errors] == ["record_in_voucher", "row_outside_voucher"]
    assert [record.number for record in records if isinstance(record, Voucher)] == ["2"]


@pytest.mark.parametrize("amount", ["12,50", "abc", "1e3", "+5", "1_000", "100.001", "NaN", "1" * 18 + ".00"])
def test_an_amount_that_is_not_one(amount: str) -> None:
    [error] = refused(*voucher(1, f"#TRANS 1930 {{}} {amount}", "#TRANS 3010 {} -1"))
    assert isinstance(error, SieValueError)
    assert (error.line, error.record, error.column, error.value) == (8, "#TRANS", 19, amount)
    assert error.expected == EXPECTED["amount"]


def test_every_error_of_a_file_is_reported_together() -> None:
    lines = [
        *voucher(1, "#TRANS 1930 {} 100.00", "#TRANS 3010 {} -90.00"),  # 6: unbalanced
        '#VER A 2 20240115 "broken',  # 11
        "{",
        "   #TRANS 1930 {} 0",
        "}",
        *voucher(3, "#TRANS 1930 {} 1.00 20241341", "#TRANS 3010 {} -1.00"),  # 17: bad date
        *voucher(4, "#TRANS 1930 {} ten", "#TRANS 3010 {} -10"),  # 22: not an amount
        "#TRANS 1930 {} 5.00",  # 25: outside a voucher
        "#VER A 5 20240115",  # 26: never closed
        "{",
    ]
    errors = refused(*lines)
    assert [(error.line, error.code) for error in errors] == [
        (6, "unbalanced"),
        (11, "unclosed_quote"),
        (17, "bad_value"),
        (22, "bad_value"),
        (25, "row_outside_voucher"),
        (26, "voucher_not_closed"),
    ]
    with pytest.raises(SieErrors) as raised:
        read_sie(sie(*lines))
    report = str(raised.value)
    assert report.startswith("the SIE file has 6 errors:\nline 6: voucher A 1 does not balance")
    assert "line 22, column 19: 'ten' is not an amount" in report


def test_errors_stop_at_the_limit() -> None:
    errors = refused(*[f"#KONTO 19{index:02d} x" for index in range(30)], *["#KONTO x"] * 30, max_errors=10)
    assert len(errors) == 10
    with pytest.raises(SieErrors) as raised:
        read_sie(sie(*["#KONTO x"] * 30), max_errors=10)
    assert raised.value.truncated
    assert "reading stopped there" in str(raised.value)


@pytest.mark.parametrize(
    ("line", "code", "column", "value"),
    [
        ("#SIETYP 5", "bad_value", 9, "5"),
        ("#FLAGGA 2", "bad_value", 9, "2"),
        ("#KTYP 1930 X", "bad_value", 12, "X"),
        ("#KONTO 19A0 Bank", "bad_value", 8, "19A0"),
        ("#RAR 1 20240101 20241231", "bad_value", 6, "1"),
        ("#RAR 0 20240101", "missing_field", 16, None),
        ("#GEN 2024", "bad_value", 6, "2024"),
        ("#IB 0 1930 100.00 x", "bad_value", 19, "x"),
        ("#OIB 0 1930 {6} 100.00", "bad_value", 13, "{6}"),
        ("#OIB 0 1930 {x P1} 100.00", "bad_value", 13, "{x P1}"),
        ("#PSALDO 0 202413 1930 {} 1.00", "bad_value", 11, "202413"),
        ("#PSALDO 0 202412 1930 100", "bad_value", 23, "100"),
        ('#OBJEKT 6 "" "Tomt"', "bad_value", 11, ""),
        ("#DIM P Projekt", "bad_value", 6, "P"),
        ("   #SRU 1930", "missing_field", 13, None),
        ("Bank 1930", "expected_label", 1, "Bank 1930"),
        ("#OIB 0 1930 {6 {7}} 1", "nested_brace", 16, "{"),
        ('#OIB 0 1930 {6 "P1" 1', "unclosed_object_list", 13, "{6 P1 1"),
        ("   }", "stray_brace", 4, "}"),
    ],
)
def test_a_bad_record(line: str, code: str, column: int, value: str | None) -> None:
    [error] = refused(line)
    assert (error.code, error.line, error.column, error.value) == (code, 6, column, value)
    assert str(error).startswith(f"line 6, column {column}: ")


def test_rows_outside_and_braces_around_vouchers() -> None:
    errors = refused(
        "#TRANS 1930 {} 1.00",
        "#VER A 1 20240101",
        "#TRANS 1930 {} 0",
        "{",
        "}",
        *voucher(2, "#TRANS 1930 {} 0"),
        "{",
    )
    assert [(error.line, error.code) for error in errors] == [
        (6, "row_outside_voucher"),
        (8, "missing_voucher_open"),
        (8, "row_outside_voucher"),
        (9, "stray_brace"),
        (10, "stray_brace"),
        (15, "stray_brace"),
    ]


def test_an_added_row_needs_the_row_that_repeats_it() -> None:
    [error] = refused(
        *voucher(1, "#RTRANS 1930 {} 100.00", "#TRANS 1930 {} 100.00", "#TRANS 3010 {} -100.00"),
        *voucher(2, "#RTRANS 1930 {} 100.00", "#TRANS 3010 {} -100.00", "#TRANS 1930 {} 100.00"),
    )
    assert isinstance(error, SieBalanceError)
    assert (error.code, error.line, error.record) == ("rtrans_without_trans", 14, "#RTRANS")


def test_a_voucher_with_a_bad_row_is_not_also_reported_unbalanced() -> None:
    [error] = refused(*voucher(1, "#TRANS 1930 {} 100.00", "#TRANS 3010 {} x"))
    assert error.code == "bad_value"


def test_records_before_an_error_come_out_and_the_errors_at_the_end() -> None:
    seen = []
    with pytest.raises(SieErrors):
        for record in iter_records(sie(*voucher(1, "#TRANS 1930 {} 1.00"), '#KONTO 3010 "Sales"')):
            seen.append(record)
    assert any(isinstance(record, Account) and record.number == "3010" for record in seen)
    assert not any(isinstance(record, Voucher) for record in seen)


def test_every_message_has_a_code_and_takes_its_fields() -> None:
    for code, template in MESSAGES.items():
        error = SieError(code, 1, "#VER", 2, "x", "date", opened=3, series="A", number="1")
        assert error.message == template.format(
            value="x", expected=EXPECTED["date"], record="#VER", opened=3, series="A", number="1"
        )
