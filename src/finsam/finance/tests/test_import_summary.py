"""What an import says of the year it changes (ADR 0029): its result and equity are the balance sheet's, its
row and voucher counts come from what it stored, and they are what the ledger holds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from finsam import testing
from finsam.core.formatting import amount_text
from finsam.finance import sie_import, statements
from finsam.finance.models import LedgerImport, LedgerRow
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db
YEAR_END = dt.date(2024, 12, 31)
OPENING = ["#IB 0 1930 80000.00", "#IB 0 2010 -80000.00"]


def write(path: Path, opening: list[str], vouchers: list[str], *, generated: str = "20250110") -> Path:
    lines = ["#FLAGGA 0", "#SIETYP 4", f"#GEN {generated}", "#RAR 0 20240101 20241231", *opening]
    for number, voucher in enumerate(vouchers, 1):
        lines += [f"#VER A {number} 20240{number}15", "{", *voucher.split(";"), "}"]
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp437")
    return path


def equity_line(association: Association) -> str:
    return amount_text(statements.balance_sheet(association, YEAR_END).equity.retained)


def test_an_import_says_the_result_and_equity_of_the_balance_sheet_before_and_after(tmp_path: Path) -> None:
    association = testing.association()
    first = write(
        tmp_path / "a.se",
        OPENING,
        [
            "#TRANS 3010 {} -12000.00;#TRANS 1930 {} 12000.00",
            "#TRANS 5410 {} 2500.50;#TRANS 1930 {} -2500.50",
        ],
    )
    result = sie_import.import_file(first, association, testing.SYSTEM)
    year = statements.balance_sheet(association, YEAR_END).equity.result_for_year
    assert f"årets resultat 2024: {amount_text(year)} kr" in result.details
    assert f"eget kapital 2024-12-31: {equity_line(association)} kr" in result.details
    before = equity_line(association)
    # The year closed (8999 against 2099), and a third voucher: the full export replaces the first.
    second = write(
        tmp_path / "b.se",
        OPENING,
        [
            "#TRANS 3010 {} -12000.00;#TRANS 1930 {} 12000.00",
            "#TRANS 5410 {} 2500.50;#TRANS 1930 {} -2500.50",
            "#TRANS 6110 {} 400.00;#TRANS 1930 {} -400.00",
            "#TRANS 8999 {} 9099.50;#TRANS 2099 {} -9099.50",
        ],
        generated="20250120",
    )
    result = sie_import.import_file(second, association, testing.SYSTEM)
    after = equity_line(association)
    assert before != after
    assert f"eget kapital 2024-12-31: {before} → {after} kr" in result.details
    assert "verifikationer: 2 nya, 0 ändrade, 0 borttagna; rader: 4 nya, 0 borttagna" in result.details


def test_a_file_that_adds_vouchers_counts_those_it_stored(tmp_path: Path) -> None:
    association = testing.association()
    sie_import.import_file(
        write(tmp_path / "a.se", [], ["#TRANS 5410 {} 100.00;#TRANS 1930 {} -100.00"]),
        association,
        testing.SYSTEM,
    )
    added = tmp_path / "b.se"
    added.write_text(
        "\r\n".join(
            [
                "#FLAGGA 0",
                "#SIETYP 4",
                "#VER B 1 20240301",
                "{",
                "#TRANS 5410 {} 50.00",
                "#TRANS 1930 {} -50.00",
                "}",
                "#VER B 2 20240302",  # a voucher without rows stores none and is not counted
                "{",
                "}",
                '#VER B "" 20240303',  # a voucher of its series alone is counted by its series
                "{",
                "#TRANS 5410 {} 7.00",
                "#TRANS 1930 {} -7.00",
                "}",
                '#VER B "" 20240304',  # ... once, as a name is
                "{",
                "#TRANS 5410 {} 3.00",
                "#TRANS 1930 {} -3.00",
                "}",
                '#VER "" "" 20240305',  # a voucher of no name is no voucher the summary can count
                "{",
                "#TRANS 5410 {} 1.00",
                "#TRANS 1930 {} -1.00",
                "}",
            ]
        )
        + "\r\n",
        encoding="cp437",
    )
    result = sie_import.import_file(added, association, testing.SYSTEM)
    assert "verifikationer: 2 nya, 0 ändrade, 0 borttagna; rader: 8 nya, 0 borttagna" in result.details
    source = LedgerImport.objects.get(association=association, filename="b.se")
    assert source.rows == LedgerRow.objects.filter(source=source).count() == 8
