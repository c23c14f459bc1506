"""Real SIE files from eleven accounting programs, and the project's worked example."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from finsam.sie import (
    AccountType,
    BalanceKind,
    RowKind,
    SieBalanceError,
    SieErrors,
    SieFile,
    Voucher,
    iter_records,
    read_sie,
)
from finsam.sie import reader as sie_reader
from finsam.testdata import EXAMPLES, SIE_CORPUS

UNBALANCED = {
    # Deliberately altered: voucher B 1 sums to -12 771.
    "avendo-transaktioner-unbalanced-sie4.se": (3905, "-12771.00"),
    # As SoftOne XE wrote it: voucher 1 1 debits 1010 with 12.00 and credits 3520 with 10.00. Its #UB
    # includes the 12.00, so the exporter's own books hold the unbalanced voucher.
    "softone-xe-sie4.se": (1356, "2.00"),
}


def corpus() -> list[Path]:
    files = sorted(path for path in SIE_CORPUS.iterdir() if path.suffix.lower() in (".se", ".si"))
    assert len(files) == 11, f"expected the eleven SIE files of {SIE_CORPUS}, found {len(files)}"
    return files


@pytest.mark.parametrize("path", corpus(), ids=lambda path: path.name)
def test_every_corpus_file_reads_or_is_refused_for_its_unbalanced_voucher(path: Path) -> None:
    if path.name in UNBALANCED:
        line, total = UNBALANCED[path.name]
        with pytest.raises(SieErrors) as refused:
            read_sie(path)
        [error] = refused.value.errors
        assert isinstance(error, SieBalanceError)
        assert (error.line, error.record, error.value) == (line, "#VER", total)
        assert f"line {line}: voucher" in str(refused.value)
        return
    sie = read_sie(path)
    assert sie.sie_type in (2, 3, 4)
    assert sie.program is not None and sie.program.name
    assert sie.voucher_count == len(sie.vouchers)
    assert sie.row_count == sum(len(voucher.counted()) for voucher in sie.vouchers)
    assert not sie.unknown_labels
    for voucher in sie.vouchers:
        assert sum(row.amount for row in voucher.counted()) == 0


def balance_check(sie: SieFile) -> list[tuple[str, Decimal, Decimal, Decimal]]:
    """Balance accounts whose opening balance plus the year's vouchers is not their closing balance."""
    year = sie.fiscal_years[0]
    opening: dict[str, Decimal] = defaultdict(Decimal)
    closing: dict[str, Decimal] = defaultdict(Decimal)
    moved: dict[str, Decimal] = defaultdict(Decimal)
    for balance in sie.balances:
        if balance.year == 0 and balance.kind is BalanceKind.IB:
            opening[balance.account] += balance.amount
        elif balance.year == 0 and balance.kind is BalanceKind.UB:
            closing[balance.account] += balance.amount
    for voucher in sie.vouchers:
        if year.start <= voucher.date <= year.end:
            for row in voucher.counted():
                moved[row.account] += row.amount

    def on_balance_sheet(account: str) -> bool:
        kind = sie.account_types.get(account)
        return kind in (AccountType.ASSET, AccountType.LIABILITY) if kind else account[0] in "12"

    accounts = sorted(filter(on_balance_sheet, {*opening, *closing, *moved}))
    assert accounts
    return [
        (account, opening[account], moved[account], closing[account])
        for account in accounts
        if opening[account] + moved[account] != closing[account]
    ]


EXPORTS_4E = [
    "avendo-transaktioner-sie4.se",
    "bl-administration-sie4.se",
    "magenta-sie4e.se",
    "visma-administration-underdim-sie4.se",
]


def test_the_4e_files_are_the_type_4_exports_of_the_corpus() -> None:
    exports = {path.name for path in corpus() if path.suffix == ".se" and path.name not in UNBALANCED}
    type_4 = {name for name in exports if read_sie(SIE_CORPUS / name).sie_type == 4}
    assert type_4 == set(EXPORTS_4E)


@pytest.mark.parametrize("name", EXPORTS_4E)
def test_opening_balance_plus_vouchers_is_the_closing_balance_in_4e_files(name: str) -> None:
    sie = read_sie(SIE_CORPUS / name)
    assert sie.vouchers
    assert balance_check(sie) == []


def test_softone_reads_whole_once_its_unbalanced_voucher_is_made_to_balance(tmp_path: Path) -> None:
    data = (SIE_CORPUS / "softone-xe-sie4.se").read_bytes()
    row = b'\t#TRANS\t3520 { } -10.00 20150912 "" ""'
    assert data.count(row) == 1
    fixed = tmp_path / "softone.se"
    fixed.write_bytes(data.replace(row, row.replace(b"-10.00", b"-12.00")))
    sie = read_sie(fixed)
    assert sie.voucher_count == 65
    assert balance_check(sie) == []
    # SoftOne writes some letters as a bare quote: the text is kept as written.
    assert sie.accounts["1288"].name == 'F"rskott till Lind" Park'
    assert sie.accounts["2440"].name == 'Leverant"rsskulder'
    assert sie.accounts["2153"].name == 'Ack "veravskr, mask,inv,t'


def test_fortnox_4i_has_vouchers_whose_sum_is_not_its_closing_balance() -> None:
    sie = read_sie(SIE_CORPUS / "fortnox-sie4i.si")
    assert (sie.voucher_count, sie.row_count) == (165, 869)
    assert balance_check(sie) != []  # an import file covers part of the year only


def test_undeclared_accounts_and_objects_are_accepted_and_reported() -> None:
    kontek = read_sie(SIE_CORPUS / "kontek-lon-sie4i.si")
    assert not kontek.accounts
    assert {"1940", "7010", "7510"} <= kontek.undeclared_accounts
    assert (20, "ABC500") in kontek.undeclared_objects
    visma = read_sie(SIE_CORPUS / "visma-administration-underdim-sie4.se")
    assert visma.undeclared_objects == {(6, "0037")}
    assert visma.dimensions[61].parent == 6
    bl = read_sie(SIE_CORPUS / "bl-administration-sie4.se")
    assert (1, "1010") in bl.undeclared_objects
    assert not bl.undeclared_accounts


def test_added_and_removed_rows_count_once_and_never() -> None:
    sie = read_sie(SIE_CORPUS / "bl-administration-sie4.se")
    voucher = next(voucher for voucher in sie.vouchers if voucher.line == 612)
    kinds = [row.kind for row in voucher.transactions]
    assert kinds.count(RowKind.BTRANS) == 3
    assert kinds.count(RowKind.RTRANS) == 2
    assert [(row.account, row.amount) for row in voucher.counted()] == [
        ("1930", Decimal("0")),
        ("2640", Decimal("0")),
    ]
    assert {row.date for row in voucher.counted()} == {dt.date(2009, 12, 10)}
    assert sie.row_count == 405


def test_period_and_object_balances_of_types_2_and_3() -> None:
    sie2 = read_sie(SIE_CORPUS / "avendo-periodsaldo-sie2.se")
    psaldo = [balance for balance in sie2.balances if balance.kind is BalanceKind.PSALDO]
    assert len(psaldo) == 705
    first = psaldo[0]
    assert (first.year, first.period, first.account, first.objects) == (0, 201102, "1221", ())
    assert first.amount == Decimal("13960.00")
    sie3 = read_sie(SIE_CORPUS / "avendo-objektsaldo-sie3.se")
    psaldo = [balance for balance in sie3.balances if balance.kind is BalanceKind.PSALDO]
    per_object = [balance for balance in psaldo if balance.objects]
    assert (len(psaldo), len(per_object)) == (975, 583)
    assert per_object[0].objects == ((7, "1"),)
    assert sum(1 for balance in sie3.balances if balance.kind is BalanceKind.PBUDGET) == 1248


def test_tabs_utf8_and_exporter_quirks() -> None:
    avendo = read_sie(SIE_CORPUS / "avendo-transaktioner-sie4.se")
    assert avendo.encoding == "cp437"
    assert avendo.company_name == "Övningsbolaget AB (Ekonomi 60)"
    assert avendo.vouchers[0].text == "Övriga personalkostnader"
    visma = read_sie(SIE_CORPUS / "visma-administration-underdim-sie4.se")
    assert visma.encoding == "utf-8"  # declares PC8, writes UTF-8
    assert visma.vouchers[0].text == "Kaffebr\ufffdd"  # Visma had already lost the letter
    bl = read_sie(SIE_CORPUS / "bl-administration-sie4.se")
    assert bl.vouchers[0].series == "#"
    assert bl.vouchers[0].transactions[0].text == "1820\\A012 Cykel"  # a backslash kept as written
    kontek = read_sie(SIE_CORPUS / "kontek-lon-sie4i.si")
    [voucher] = kontek.vouchers
    assert (voucher.series, voucher.number, voucher.registered) == ("", "", dt.date(2011, 3, 1))
    assert voucher.transactions[7].quantity == Decimal("1.00")
    assert voucher.transactions[7].date is None
    fortnox = read_sie(SIE_CORPUS / "fortnox-sie4i.si")
    assert fortnox.org_number == ""
    assert (fortnox.vouchers[0].series, fortnox.vouchers[0].number) == ("A", "1")


def test_the_worked_example() -> None:
    sie = read_sie(EXAMPLES / "exempel-2025.se")
    assert sie.encoding == "cp437"
    assert sie.company_name == "Samordningsförbundet Exempeldalen"
    assert sie.org_number == "222000-0000"
    assert sie.fiscal_years[0].start == dt.date(2025, 1, 1)
    assert sie.fiscal_years[-1].end == dt.date(2024, 12, 31)
    assert (sie.voucher_count, sie.row_count) == (15, 32)
    numbers = [(voucher.series, voucher.number) for voucher in sie.vouchers]
    assert numbers == [("A", str(number)) for number in range(1, 16)]
    assert sie.vouchers[-1].date == dt.date(2025, 8, 15)
    per_account: dict[str, Decimal] = defaultdict(Decimal)
    per_object: dict[tuple[int, str], Decimal] = defaultdict(Decimal)
    for voucher in sie.vouchers:
        for row in voucher.counted():
            per_account[row.account] += row.amount
            for ref in row.objects:
                per_object[ref] += row.amount
    assert per_account == {
        "1510": Decimal("-12000.00"),
        "1930": Decimal("815661.00"),
        "2440": Decimal("-120000.00"),
        "3611": Decimal("-187500.00"),
        "3612": Decimal("-71000.00"),
        "3620": Decimal("-258500.00"),
        "3630": Decimal("-775500.00"),
        "4610": Decimal("511651.50"),
        "6990": Decimal("67600.25"),
        "7010": Decimal("30000.00"),
        "8311": Decimal("-412.75"),
    }
    assert per_object == {
        (6, "STEG"): Decimal("252751.50"),
        (6, "TEAM"): Decimal("240000.00"),
        (6, "KANSLI"): Decimal("75600.25"),
        (6, "KOMP"): Decimal("18900.00"),
        (6, "REV"): Decimal("22000.00"),
    }
    debit = sum(row.amount for voucher in sie.vouchers for row in voucher.counted() if row.amount > 0)
    assert debit == Decimal("1986415.00")
    assert {balance.account: balance.amount for balance in sie.balances} == {
        "1510": Decimal("12000.00"),
        "1930": Decimal("905300.40"),
        "2440": Decimal("-98000.00"),
        "2010": Decimal("-819300.40"),
    }
    assert not sie.undeclared_accounts and not sie.undeclared_objects


def read_or_refuse(path: Path) -> tuple[SieFile | None, list[str], list[int]]:
    try:
        sie = read_sie(path)
    except SieErrors as refused:
        return None, [str(error) for error in refused.errors], []
    lines = [row.line for voucher in sie.vouchers for row in voucher.transactions]
    return sie, [], [*lines, *(voucher.line for voucher in sie.vouchers)]


@pytest.mark.parametrize("path", [*corpus(), EXAMPLES / "exempel-2025.se"], ids=lambda p: p.name)
def test_the_fast_paths_change_nothing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fast = read_or_refuse(path)
    monkeypatch.setattr(sie_reader, "_FAST_HEAD", lambda text: None)
    monkeypatch.setattr(sie_reader, "_FAST_VOUCHER", lambda text: None)
    monkeypatch.setattr(sie_reader, "_quick_fields", lambda text: None)
    assert read_or_refuse(path) == fast


def test_an_unbalanced_voucher_can_be_handed_over_for_the_caller_to_judge() -> None:
    vouchers = [
        r
        for r in iter_records(SIE_CORPUS / "softone-xe-sie4.se", keep_unbalanced=True)
        if isinstance(r, Voucher)
    ]
    sums = {(v.series, v.number): sum((t.amount for t in v.counted()), Decimal(0)) for v in vouchers}
    assert sums[("1", "1")] == Decimal("2.00")
    assert [key for key, total in sums.items() if total] == [("1", "1")]
