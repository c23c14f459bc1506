"""The worked example of ../shared/examples: organisation, SIE export, budget → the expected statements."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.finance import budget, reports, sie_import, statements
from finsam.organisation import orgfile
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[5] / "shared" / "examples"
EXPECTED = json.loads((EXAMPLES / "expected.json").read_text(encoding="utf-8"))
JUNE = dt.date(2025, 6, 30)


@pytest.fixture
def exempel() -> Association:
    association = orgfile.setup(EXAMPLES / "organisation.yaml", testing.SYSTEM)
    sie_import.import_file(EXAMPLES / "exempel-2025.se", association, testing.SYSTEM)
    budget.import_file(EXAMPLES / "budget-2025.csv", association, testing.SYSTEM)
    return association


def test_the_income_statement_gives_the_expected_figures(exempel: Association) -> None:
    data = reports.income_statement_json(statements.income_statement(exempel, JUNE))
    expected = EXPECTED["income-statement --date 2025-06-30"]
    assert data["columns"] == expected["columns"]
    rows = {row["code"]: [row[c] for c in data["columns"]] for row in data["rows"]}
    for code, values in expected["rows"].items():
        assert rows[code] == values, code
    for total, values in expected["totals"].items():
        assert [data["totals"][total][c] for c in data["columns"]] == values, total
    assert not any(code.startswith("EJ_FORDELAT") for code in rows)


def test_the_balance_sheet_gives_the_expected_figures(exempel: Association) -> None:
    data = reports.balance_sheet_json(statements.balance_sheet(exempel, JUNE))
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
    data = reports.income_statement_json(statements.income_statement(exempel, JUNE))
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
    data = reports.balance_sheet_json(statements.balance_sheet(association, JUNE))
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
