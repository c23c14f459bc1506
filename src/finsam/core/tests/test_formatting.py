from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from finsam.core import formatting
from finsam.core.money import AmountTooLarge, json_amount, parse_amount, round_to, to_ore

NBSP = "\u00a0"


def test_kronor_are_grouped_with_no_break_spaces_and_a_true_minus() -> None:
    assert formatting.kronor(Decimal("2238400")) == f"2{NBSP}238{NBSP}400"
    assert formatting.kronor(Decimal("-504695.49")) == f"\u2212504{NBSP}695"
    assert formatting.kronor(Decimal("-504694.5")) == f"\u2212504{NBSP}695"
    assert formatting.kronor(Decimal("-0.4")) == "0"  # rounds to zero: no sign before it
    assert formatting.kronor(0) == "0"
    assert formatting.kronor(999) == "999"


def test_decimals_use_a_comma() -> None:
    assert formatting.number(Decimal("1234.5"), 2) == f"1{NBSP}234,50"


def test_percent_and_long_dates() -> None:
    assert formatting.percent(Decimal("0.75")) == f"75{NBSP}%"
    assert formatting.percent(Decimal("0.1234"), 1) == f"12,3{NBSP}%"
    assert formatting.long_date(dt.date(2024, 8, 30)) == "30 augusti 2024"


def test_money_rounding_is_half_up_and_exact() -> None:
    assert to_ore("0.005") == Decimal("0.01")
    assert round_to(Decimal(161350), Decimal(100)) == Decimal(161400)
    assert round_to(Decimal("161349.99"), Decimal(100)) == Decimal(161300)
    assert json_amount(Decimal(204100)) == "204100.00"


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1 234 567,50", "1234567.50"),
        ("1234567.50", "1234567.50"),
        ("1\u00a0234", "1234"),
        ("-504 695", "-504695"),
        ("\u2212504 695", "-504695"),
        ("160 000,00", "160000.00"),
        ("1\u202f234,5", "1234.5"),
        (" 12 345 ", "12345"),
    ],
)
def test_amounts_are_read_as_people_write_them(text: str, amount: str) -> None:
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(
    "text",
    # A space is a thousands separator only between groups of three digits: "12 34" is not 1234.
    [
        *("", "12 tkr", "1.234,50", "1,2,3", "abc", "--5"),
        *("12 34", "1 2345", "1234 567", "1  234", "1 234,5 0", "12\u00a034", "1\t234"),
    ],
)
def test_anything_else_is_not_an_amount(text: str) -> None:
    with pytest.raises(ValueError, match="is not an amount"):
        parse_amount(text)


def test_an_amount_beyond_what_the_books_hold_is_refused_before_anything_computes_with_it() -> None:
    assert parse_amount("−999 999 999 999,99") == Decimal("-999999999999.99")
    for text in ("1 000 000 000 000", "-1000000000000", "1" + "0" * 40 + ",5", "9" * 5000):
        with pytest.raises(AmountTooLarge):
            parse_amount(text)


def test_amounts_in_messages_have_a_true_minus_and_times_are_local() -> None:
    assert formatting.amount_text(Decimal("-12771")) == f"\u221212{NBSP}771,00"
    assert formatting.amount_text(1330, 0) == f"1{NBSP}330"
    winter = dt.datetime(2024, 2, 10, 13, 5, tzinfo=dt.UTC)
    summer = dt.datetime(2024, 7, 10, 13, 5, tzinfo=dt.UTC)
    assert (formatting.local_time(winter), formatting.local_time(summer)) == (
        "2024-02-10 14:05",
        "2024-07-10 15:05",
    )
