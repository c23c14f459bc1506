"""The worked example (testdata/examples): organisation, SIE export, budget → the expected statements."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.finance import annual, balances, budget, sie_import, statements
from finsam.finance.documents import balance_sheet, cash_flow, income_statement
from finsam.finance.models import LedgerImport, LedgerRow
from finsam.organisation import orgfile
from finsam.organisation.models import Association
from finsam.testdata import EXAMPLES

pytestmark = pytest.mark.django_db
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
JUNE = dt.date(2025, 6, 30)


@pytest.fixture
def exempel() -> Association:
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    sie_import.import_file(EXAMPLES / "exempel-2025.se", association, testing.SYSTEM)
    budget.import_file(EXAMPLES / "budget-2025.csv", association, testing.SYSTEM)
    return association


def test_the_income_statement_gives_the_expected_figures(exempel: Association) -> None:
    data = income_statement.as_json(statements.income_statement(exempel, JUNE))
    expected = EXPECTED["income-statement --date 2025-06-30"]
    assert data["columns"] == expected["columns"]
    rows = {row["code"]: [row[c] for c in data["columns"]] for row in data["rows"]}
    for code, values in expected["rows"].items():
        assert rows[code] == values, code
    for total, values in expected["totals"].items():
        assert [data["totals"][total][c] for c in data["columns"]] == values, total
    assert not any(code.startswith("EJ_FORDELAT") for code in rows)


def test_the_balance_sheet_gives_the_expected_figures(exempel: Association) -> None:
    data = balance_sheet.as_json(statements.balance_sheet(exempel, JUNE))
    expected = EXPECTED["balance-sheet --date 2025-06-30"]
    amounts = {row["code"]: row["amount"] for row in data["rows"]}
    for code in ("FORDRINGAR", "KASSA", "SKULDER"):
        assert amounts[code] == expected[code]
    assert data["totals"]["assets"] == expected["assets"]
    for key in ("retained_earlier", "result_for_year", "retained"):
        assert data["equity"][key] == expected[key]
    # The example holds no ledger of 2024, so the opening equity is not split into an invented result.
    assert data["equity_previous_year_end"] is None
    # Assets equal equity and liabilities, to the öre.
    assert (
        data["totals"]["assets"]
        == f"{float(data['totals']['equity']) + float(data['totals']['liabilities']):.2f}"
    )


def test_vouchers_after_the_report_date_do_not_count(exempel: Association) -> None:
    def costs(day: dt.date) -> str:
        return f"{statements.income_statement(exempel, day).totals['costs']['outcome_to_date']:.2f}"

    # A 12 and A 13 are dated 30 June, A 14 (Revision, 22 000) 15 July.
    assert costs(dt.date(2025, 6, 29)) == "298750.75"  # A 5, A 7, A 8, A 11
    assert costs(JUNE) == "587251.75"
    assert costs(dt.date(2025, 8, 31)) == "609251.75"


def test_an_unmapped_account_shows_in_a_row_of_its_own(exempel: Association) -> None:
    exempel.statement_rows.filter(code="KANSLI").delete()
    data = income_statement.as_json(statements.income_statement(exempel, JUNE))
    unmapped = next(r for r in data["rows"] if r["code"] == "EJ_FORDELAT_KOSTNADER")
    assert unmapped["accounts"] == [6990, 7010]
    assert unmapped["outcome_to_date"] == "75600.25"
    assert data["totals"]["result"]["outcome_to_date"] == "447161.00"  # still reconciles with the ledger


def test_unmapped_rows_are_counted_with_their_amount(exempel: Association, client: Client) -> None:
    exempel.statement_rows.filter(code="KANSLI").delete()
    # A 8 books 6990 and 7010 on object 6:KANSLI: two ledger rows up to 30 June, none taken by a row now.
    [line] = statements.unmapped(exempel, JUNE)
    assert (line.name, line.accounts, line.amount, line.rows) == (
        "Ej fördelat på rad: kostnader",
        [6990, 7010],
        Decimal("75600.25"),
        2,
    )
    client.force_login(testing.user("erik", (exempel, Role.ECONOMIST)))
    page = client.get(f"/f/{exempel.slug}/ekonomi/rader/?datum=2025-06-30").content.decode()
    assert "konton 6990, 7010 (75\xa0600 kr, 2 bokförda rader i år)" in page


def _example_variant(tmp_path: Path, change: str, to: str, added: str = "") -> Path:
    text = (EXAMPLES / "exempel-2025.se").read_bytes().decode("cp437")
    assert change in text
    path = tmp_path / "variant.se"
    path.write_bytes((text.replace(change, to) + added).encode("cp437"))
    return path


def test_a_closed_year_gives_the_same_result_as_an_open_one(tmp_path: Path) -> None:
    # The exporter booked the year-end closing entry: the result moved from 8999 to equity on 2099.
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    closing = (
        '#VER B 1 20250630 "Årets resultat"\r\n{\r\n'
        "   #TRANS 8999 {} 447161.00\r\n   #TRANS 2099 {} -447161.00\r\n}\r\n"
    )
    sie_import.import_file(
        _example_variant(tmp_path, "#GEN 20250820", "#GEN 20250821", closing), association, testing.SYSTEM
    )
    data = balance_sheet.as_json(statements.balance_sheet(association, JUNE))
    expected = EXPECTED["balance-sheet --date 2025-06-30"]
    assert {key: data["equity"][key] for key in ("retained_earlier", "result_for_year", "retained")} == {
        key: expected[key] for key in ("retained_earlier", "result_for_year", "retained")
    }
    totals = statements.income_statement(association, JUNE).totals
    assert f"{totals['result']['outcome_to_date']:.2f}" == "447161.00"
    assert not statements.unmapped_row_counts(association, dt.date(2025, 1, 1), JUNE)


def test_five_digit_accounts_count_by_their_class(tmp_path: Path) -> None:
    # The bank as 19301: a balance account by its first digit, shown as not mapped to a row but counted.
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    sie_import.import_file(
        _example_variant(tmp_path, "#TRANS 1930 ", "#TRANS 19301 "), association, testing.SYSTEM
    )
    sheet = statements.balance_sheet(association, JUNE)
    moved = {line.code: f"{line.amount - line.previous_year_end:.2f}" for line in sheet.lines}
    assert moved["EJ_FORDELAT_TILLGANGAR"] == f"{Decimal('1484461.40') - Decimal('905300.40'):.2f}"
    assert f"{sheet.equity.result_for_year:.2f}" == "447161.00"
    assert (
        f"{statements.income_statement(association, JUNE).totals['result']['outcome_to_date']:.2f}"
        == "447161.00"
    )


def _imported(tmp_path: Path, change: str, to: str, added: str = "") -> Association:
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    sie_import.import_file(_example_variant(tmp_path, change, to, added), association, testing.SYSTEM)
    return association


CAPITAL_CONTRIBUTION = (
    '#VER A 16 20250601 "Tillskott eget kapital" 20250820\r\n{\r\n'
    "   #TRANS 1930 {} 10000.00\r\n   #TRANS 2010 {} -10000.00\r\n}\r\n"
)


def test_equity_moved_other_than_by_the_result_is_financing_and_the_cash_flow_reconciles(
    tmp_path: Path,
) -> None:
    association = _imported(tmp_path, "#GEN 20250820", "#GEN 20250821", CAPITAL_CONTRIBUTION)
    flow = annual.cash_flow(association, JUNE)
    data = cash_flow.as_json(association, flow, JUNE)
    assert {key: data[key] for key in ("result", "operating", "financing", "total", "difference")} == {
        "result": "447161.00",
        "operating": "579161.00",
        "financing": "10000.00",
        "total": "589161.00",
        "difference": "0.00",
    }
    assert (data["cash_start"], data["cash_end"]) == ("905300.40", "1494461.40")
    assert flow.reconciles
    assert data["previous_year"] is None  # no ledger of 2024 here
    [table] = cash_flow.as_document(association, flow, JUNE).sections[0].tables
    printed = {row["name"]: row["amount"] for row in table.rows}
    assert printed["Kassaflöde från finansieringsverksamheten"] == Decimal("10000.00")
    assert printed["Årets kassaflöde"] == Decimal("589161.00")
    assert "Ej avstämd skillnad i likvida medel" not in printed
    assert table.notes  # what the financing row holds


def test_cash_the_flows_do_not_explain_is_shown_in_a_row_of_its_own(exempel: Association) -> None:
    # A bank row without a counterpart (as an unbalanced voucher the exporter's books held would give).
    source = LedgerImport.objects.get(association=exempel, in_force=True)
    LedgerRow.objects.create(
        source=source, association=exempel, date=dt.date(2025, 3, 1), account=1930, ore=50_000
    )
    balances.rebuild(testing.SYSTEM, exempel)  # a row put in by hand: its month's balance computed again
    flow = annual.cash_flow(exempel, JUNE)
    assert flow.difference == Decimal("500.00")
    assert not flow.reconciles
    assert cash_flow.as_json(exempel, flow, JUNE)["difference"] == "500.00"
    [table] = cash_flow.as_document(exempel, flow, JUNE).sections[0].tables
    printed = {row["name"]: row["amount"] for row in table.rows}
    assert printed["Ej avstämd skillnad i likvida medel"] == Decimal("500.00")
    assert (
        printed["Likvida medel vid årets början"] + printed["Årets kassaflöde"] + Decimal("500.00")  # type: ignore[operator]
        == table.total["amount"]  # type: ignore[index]
    )


def test_a_balance_sheet_after_the_last_ledger_carries_its_closing_position_forward(
    exempel: Association,
) -> None:
    # The example's whole year 2025 (A 14 and A 15 after June included): its closing position opens 2026.
    year_end = balance_sheet.as_json(statements.balance_sheet(exempel, dt.date(2025, 12, 31)))
    for day in (dt.date(2026, 1, 31), dt.date(2027, 5, 31)):
        data = balance_sheet.as_json(statements.balance_sheet(exempel, day))
        assert {row["code"]: row["amount"] for row in data["rows"]} == {
            "FORDRINGAR": "0.00",
            "KASSA": "1720961.40",
            "SKULDER": "218000.00",
        }
        assert [row["amount"] for row in data["rows"]] == [row["amount"] for row in year_end["rows"]]
        assert data["totals"] == {"assets": "1720961.40", "equity": "1502961.40", "liabilities": "218000.00"}
        assert data["equity"] == {
            "retained_earlier": "1502961.40",
            "result_for_year": "0.00",
            "retained": "1502961.40",
        }
    data = balance_sheet.as_json(statements.balance_sheet(exempel, dt.date(2026, 1, 31)))
    assert data["totals_previous_year_end"]["equity"] == "1502961.40"
    assert data["equity_previous_year_end"] == {
        "retained_earlier": "819300.40",
        "result_for_year": "683661.00",
        "retained": "1502961.40",
    }
    flow = cash_flow.as_json(exempel, annual.cash_flow(exempel, dt.date(2026, 3, 31)), dt.date(2026, 3, 31))
    assert (flow["cash_start"], flow["cash_end"], flow["total"]) == ("1720961.40", "1720961.40", "0.00")
    assert flow["previous_year"]["total"] == "815661.00"
    assert flow["previous_year"]["cash_start"] == "905300.40"


PREVIOUS_YEAR = (
    "#IB -1 1930 500000.00\r\n#IB -1 2010 -500000.00\r\n"
    "#UB -1 1930 905300.40\r\n#UB -1 1510 12000.00\r\n#UB -1 2440 -98000.00\r\n#UB -1 2010 -500000.00\r\n"
    "#RES -1 3611 -500000.00\r\n#RES -1 3630 -12000.00\r\n#RES -1 4610 94699.60\r\n#RES -1 6990 98000.00\r\n"
)


def test_the_previous_year_end_without_its_ledger_is_the_closing_balances_the_file_gives(
    tmp_path: Path,
) -> None:
    association = _imported(tmp_path, "#IB 0 1510 12000.00", PREVIOUS_YEAR + "#IB 0 1510 12000.00")
    data = balance_sheet.as_json(statements.balance_sheet(association, dt.date(2024, 12, 31)))
    assert {row["code"]: (row["amount"], row["previous_year_end"]) for row in data["rows"]} == {
        "FORDRINGAR": ("12000.00", "0.00"),
        "KASSA": ("905300.40", "500000.00"),
        "SKULDER": ("98000.00", "0.00"),
    }
    # The year's result is what its closing balances hold beyond its opening ones: 319 300.40 as #RES -1 says.
    assert data["equity"] == {
        "retained_earlier": "500000.00",
        "result_for_year": "319300.40",
        "retained": "819300.40",
    }
    assert data["totals"] == {"assets": "917300.40", "equity": "819300.40", "liabilities": "98000.00"}
    # Within 2024 nothing is known beyond its opening balances (#IB -1).
    mid = balance_sheet.as_json(statements.balance_sheet(association, dt.date(2024, 6, 30)))
    assert {row["code"]: row["amount"] for row in mid["rows"]}["KASSA"] == "500000.00"
    flow = annual.cash_flow(association, dt.date(2024, 12, 31))
    assert flow.reconciles and flow.total == Decimal("405300.40")
    notes = annual.balance_notes(association, dt.date(2024, 12, 31))
    assert [(n.account, n.amount, n.previous) for n in notes["receivables"]] == [
        (1510, Decimal("12000.00"), Decimal("0.00"))
    ]
    # 2025 itself is as without the previous year's lines.
    data = balance_sheet.as_json(statements.balance_sheet(association, JUNE))
    expected = EXPECTED["balance-sheet --date 2025-06-30"]
    assert {row["code"]: row["amount"] for row in data["rows"]} == {
        code: expected[code] for code in ("FORDRINGAR", "KASSA", "SKULDER")
    }
    assert data["equity"]["retained"] == expected["retained"]


def test_a_class_9_account_counts_with_the_costs_in_both_statements(tmp_path: Path) -> None:
    association = _imported(tmp_path, '#TRANS 7010 {6 "KANSLI"} 30000.00', "#TRANS 9010 {} 30000.00")
    statement = statements.income_statement(association, JUNE)
    [line] = [ln for ln in statement.lines if ln.accounts]
    assert (line.code, line.accounts, line.values["outcome_to_date"]) == (
        "EJ_FORDELAT_KOSTNADER",
        [9010],
        Decimal("30000.00"),
    )
    assert statement.totals["result"]["outcome_to_date"] == Decimal("447161.00")
    sheet = statements.balance_sheet(association, JUNE)
    assert sheet.equity.result_for_year == Decimal("447161.00")
    assert sheet.total("assets") == sheet.equity.retained + sheet.total("liabilities")
    assert annual.cash_flow(association, JUNE).reconciles
    [unmapped] = statements.unmapped(association, JUNE)
    assert (unmapped.accounts, unmapped.amount, unmapped.rows) == ([9010], Decimal("30000.00"), 1)
