"""The annual accounts in LKBR's layouts: which rows are financial, the income statement's summary of seed
001, the notes' numbers and the audit cost, and the driftredovisning's deviation as its heading says."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from finsam import testing
from finsam.core.documents import Period, gather
from finsam.finance import annual, balances, lkbr
from finsam.finance.accounts_spec import parse_accounts
from finsam.finance.documents import operating_statement
from finsam.finance.lkbr import Item
from finsam.finance.models import LedgerRow
from finsam.organisation.models import Association

END = dt.date(2023, 12, 31)


def kr(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@pytest.mark.parametrize(
    ("section", "accounts", "item"),
    [
        ("income", "3611", Item.OPERATING_INCOME),
        ("income", "3000-3599,3700-3999", Item.OPERATING_INCOME),
        ("operations", "4000-7999", Item.OPERATING_COSTS),
        ("administration", "", Item.OPERATING_COSTS),
        ("financial", "8300-8399", Item.FINANCIAL_INCOME),
        ("financial", "", Item.FINANCIAL_INCOME),
        ("financial", "8400-8499", Item.FINANCIAL_COSTS),
        # BAS class 8 is financial whatever section the organisation file gave the row.
        ("income", "8310", Item.FINANCIAL_INCOME),
        ("administration", "8410,8490", Item.FINANCIAL_COSTS),
        # A row that takes anything outside class 8 is an operating row.
        ("income", "3000-8999", Item.OPERATING_INCOME),
        ("income", "8300-83999", Item.OPERATING_INCOME),
        ("financial", "8300-8499", Item.FINANCIAL_INCOME),
    ],
)
def test_a_row_is_financial_by_its_section_or_its_bas_class(section: str, accounts: str, item: Item) -> None:
    assert lkbr.item_of(section, parse_accounts(accounts) if accounts else ()) == item


@pytest.mark.django_db
def test_finnvedens_2023_income_statement_in_the_lkbr_layout_is_seed_001s(
    demo: dict[str, Association],
) -> None:
    accounts = lkbr.accounts(demo["finnveden"], END)
    summary = accounts.summary

    def printed(value: object) -> list[int]:
        return [kr(value(c)) for c in ("outcome", "outcome_previous_year")]  # type: ignore[operator]

    assert printed(lambda c: summary.value(Item.OPERATING_INCOME, c)) == [5125592, 5069996]
    assert printed(lambda c: summary.value(Item.OPERATING_COSTS, c)) == [-5782239, -4646493]
    assert printed(summary.net_cost) == [-656647, 423503]
    assert printed(lambda c: summary.value(Item.FINANCIAL_INCOME, c)) == [151952, 28504]
    assert printed(lambda c: summary.value(Item.FINANCIAL_COSTS, c)) == [0, 0]
    assert printed(summary.result) == [-504695, 452007]
    # The summary adds up to the row-by-row statement's result, to the öre, in every column.
    for column in lkbr.COLUMNS:
        assert summary.result(column) == accounts.statement.totals["result"][column]
    assert [ln.code for ln in summary.lines[Item.FINANCIAL_INCOME]] == ["RANTA"]
    # The notes in the order the statements refer to them, none left without content.
    assert accounts.notes == {
        "principles": 1,
        Item.OPERATING_INCOME: 2,
        Item.OPERATING_COSTS: 3,
        Item.FINANCIAL_INCOME: 4,
        "receivables": 5,
        "liabilities": 6,
        "audit": 7,
    }
    assert accounts.balance_references() == {"FORDRINGAR": "5", "SKULDER": "6"}
    assert accounts.audit is not None
    assert (kr(accounts.audit.amount), kr(accounts.audit.previous), accounts.audit.source) == (
        51260,
        51149,
        "accounts",
    )


@pytest.mark.django_db
def test_the_audit_cost_comes_from_the_row_coded_revision_when_the_ledger_has_no_audit_account(
    demo: dict[str, Association],
) -> None:
    finnveden = demo["finnveden"]
    assert LedgerRow.objects.filter(association=finnveden, account=6420).update(account=6990)
    balances.rebuild(testing.SYSTEM, finnveden)  # rows changed by hand: the month balances computed again
    audit = lkbr.audit_cost(annual.annual_income_statement(finnveden, END))
    assert audit is not None
    assert (kr(audit.amount), kr(audit.previous), audit.source) == (51260, 51149, "row")
    # Södra Vätterbygden books no audit account and has no such row: no audit note, and no gap in the numbers.
    accounts = lkbr.accounts(demo["sodra-vatterbygden"], END)
    assert accounts.audit is None
    assert "audit" not in accounts.notes
    assert sorted(accounts.notes.values()) == list(range(1, len(accounts.notes) + 1))


@pytest.mark.django_db
def test_the_driftredovisning_deviation_is_the_outcome_less_the_budget_on_every_row(
    demo: dict[str, Association],
) -> None:
    finnveden = demo["finnveden"]
    statement = annual.operating_statement(finnveden, END)
    summary = operating_statement.table(statement, END)
    rows = operating_statement.rows_table(annual.annual_income_statement(finnveden, END))
    for table in (summary, rows):
        assert [c.label for c in table.columns][3] == "Avvikelse utfall − budget"
        lines = [*table.rows, *([table.total] if table.total else [])]
        budgeted = [row for row in lines if row.get("budget") is not None]
        assert budgeted
        for row in budgeted:
            assert row["deviation"] == row["outcome"] - row["budget"], row  # type: ignore[operator]
    by_name = {row["name"]: row for row in summary.rows}
    # Seed 001: the net cost 626 761 below budget, printed as the outcome less the budget of a negative cost.
    net = by_name["Verksamhetens nettokostnad"]
    assert [kr(net[k]) for k in ("outcome", "budget", "deviation", "previous")] == [  # type: ignore[arg-type]
        -5782239,
        -6409000,
        626761,
        -4646493,
    ]
    result = by_name["Årets resultat"]
    assert [kr(result[k]) for k in ("outcome", "budget", "deviation")] == [-504695, -1339000, 834305]  # type: ignore[arg-type]
    costs = {row["name"]: row for row in rows.rows}["Styrelse"]
    assert [kr(costs[k]) for k in ("outcome", "budget", "deviation")] == [-54404, -3000, -51404]  # type: ignore[arg-type]


@pytest.mark.django_db
def test_the_json_gains_the_lkbr_figures_and_keeps_its_fields(demo: dict[str, Association]) -> None:
    finnveden, period = demo["finnveden"], Period(dt.date(2023, 1, 1), END)
    income = gather("income-statement-annual", finnveden, period).data
    summary = income["summary"]
    assert {key: kr(Decimal(values["outcome"])) for key, values in summary.items()} == {
        "operating_income": 5125592,
        "operating_costs": -5782239,
        "net_cost": -656647,
        "financial_income": 151952,
        "financial_costs": 0,
        "result_after_financial_items": -504695,
        "result": -504695,
    }
    assert summary["result"]["outcome"] == income["totals"]["result"]["outcome"]  # the same, to the öre

    sheet = gather("balance-sheet", finnveden, period).data
    assert set(sheet["totals"]) == {"assets", "equity", "liabilities"}
    subtotals = sheet["subtotals"]
    assert subtotals["current_assets"] == sheet["totals"]["assets"]
    assert kr(Decimal(subtotals["equity_and_liabilities"])) == 3501495
    assert kr(Decimal(sheet["subtotals_previous_year_end"]["current_assets"])) == 4319546

    operating = gather("operating-statement", finnveden, period).data
    assert kr(Decimal(operating["net_cost"]["deviation"])) == 626761  # its meaning kept: below budget
    assert operating["result"]["budget"] == "-1339000.00"
    assert kr(Decimal(operating["result"]["deviation"])) == 834305

    notes = gather("notes", finnveden, period).data
    assert notes["numbers"]["audit"] == 7
    assert notes["audit"] == {"amount": "51260.00", "previous_year": "51149.00", "source": "accounts"}
    assert [n["code"] for n in notes["financial_income"]] == ["RANTA"]
    assert "RANTA" in {n["code"] for n in notes["income"]}  # "income" keeps every income-side row
