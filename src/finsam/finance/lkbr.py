"""The annual accounts in the layouts of lag (2018:597) om kommunal bokföring och redovisning (LKBR) and RKR's
recommendations: the income statement's summary form (ch. 5), the numbering of the notes the statements refer
to, and the audit cost the notes disclose.

Which rows are financial (ADR 0021): a row of the income statement is a financial item when its section in the
organisation file is `financial`, or when every account it takes lies in BAS class 8 (financial items); the
rows of unmapped ledger accounts follow their accounts the same way. A financial row is a financial cost when
every account it takes lies in BAS group 84 (räntekostnader och liknande resultatposter), else a financial
income. Every other row is operating income (income side) or operating cost (cost side).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from finsam.core.money import from_ore
from finsam.finance import annual, balances, statements
from finsam.finance.accounts_spec import AccountRange, parse_accounts
from finsam.finance.annual import AccountNote
from finsam.finance.models import StatementRow
from finsam.finance.statements import (
    INCOME_SIDE,
    BalanceSheet,
    IncomeStatement,
    Line,
    previous_year,
)
from finsam.organisation.models import Association

# The columns of the summary: the annual statement's, without its deviation.
COLUMNS = ("budget", "outcome", "outcome_previous_year")
FINANCIAL_CLASS = "8"
FINANCIAL_COST_GROUP = "84"
# BAS group 642 "Ersättning till revisor": where the ledger keeps the audit cost.
AUDIT_ACCOUNTS = AccountRange(6420, 6429)
AUDIT_ROW = "REVISION"


class Item(StrEnum):
    OPERATING_INCOME = "operating_income"
    OPERATING_COSTS = "operating_costs"
    FINANCIAL_INCOME = "financial_income"
    FINANCIAL_COSTS = "financial_costs"


def _within(ranges: Iterable[AccountRange], prefix: str) -> bool:
    """Every account of the ranges starts with prefix (an account's class or group is its leading digits)."""
    parts = [(str(r.low), str(r.high)) for r in ranges]
    return bool(parts) and all(
        low.startswith(prefix) and high.startswith(prefix) and len(low) == len(high) for low, high in parts
    )


def item_of(section: str, ranges: tuple[AccountRange, ...]) -> Item:
    """The LKBR income-statement item of a row of the section taking the account ranges (module docstring)."""
    if section == StatementRow.Section.FINANCIAL or _within(ranges, FINANCIAL_CLASS):
        return Item.FINANCIAL_COSTS if _within(ranges, FINANCIAL_COST_GROUP) else Item.FINANCIAL_INCOME
    return Item.OPERATING_INCOME if section in INCOME_SIDE else Item.OPERATING_COSTS


def _ranges(line: Line, specs: dict[str, str]) -> tuple[AccountRange, ...]:
    if line.accounts:  # a row of unmapped accounts
        return tuple(AccountRange(a, a) for a in line.accounts)
    return parse_accounts(specs[line.code]) if specs.get(line.code) else ()


def _signed(line: Line, column: str) -> Decimal:
    """The line's amount as the result sees it: income positive, cost negative."""
    value = line.values[column]
    return value if line.section in INCOME_SIDE else -value


@dataclass(frozen=True)
class Summary:
    """The income statement as LKBR ch. 5 lays it out, per column: income positive, costs negative."""

    items: dict[Item, dict[str, Decimal]]
    lines: dict[Item, list[Line]]  # the statement rows behind each item, for its note

    def value(self, item: Item, column: str) -> Decimal:
        return self.items[item][column]

    def net_cost(self, column: str) -> Decimal:
        """Verksamhetens nettokostnad: operating income less operating costs."""
        return self.value(Item.OPERATING_INCOME, column) + self.value(Item.OPERATING_COSTS, column)

    def result(self, column: str) -> Decimal:
        """Resultat efter finansiella poster, which is also the year's result (no extraordinary items)."""
        financial = self.value(Item.FINANCIAL_INCOME, column) + self.value(Item.FINANCIAL_COSTS, column)
        return self.net_cost(column) + financial

    def has(self, item: Item) -> bool:
        return any(self.items[item].values()) or any(any(ln.values.values()) for ln in self.lines[item])


def summary(statement: IncomeStatement) -> Summary:
    """The summary of an annual income statement (`annual.annual_income_statement`)."""
    rows = StatementRow.objects.filter(
        association=statement.association, statement=StatementRow.Statement.INCOME
    )
    specs = dict(rows.values_list("code", "accounts"))
    lines: dict[Item, list[Line]] = {item: [] for item in Item}
    for line in statement.lines:
        lines[item_of(line.section, _ranges(line, specs))].append(line)
    items = {
        item: {c: sum((_signed(ln, c) for ln in found), Decimal(0)) for c in COLUMNS}
        for item, found in lines.items()
    }
    return Summary(items, lines)


@dataclass(frozen=True)
class AuditCost:
    """The cost of the audit this year and the year before, and where the figure comes from."""

    amount: Decimal
    previous: Decimal
    source: str  # "accounts": the ledger's BAS 6420–6429; "row": the statement row coded REVISION


def audit_cost(statement: IncomeStatement) -> AuditCost | None:
    """From the ledger's audit accounts (BAS 6420–6429) when it has any in either year, else from the
    statement row coded REVISION; None when the data knows neither."""
    association, start = statement.association, statement.start
    last_start, last_end = previous_year(start)

    def booked(first: dt.date, last: dt.date) -> int:
        sums = balances.ledger_sums(association, first, last, balance_accounts=False)
        return sum(ore for (account, _obj), ore in sums.items() if account in AUDIT_ACCOUNTS)

    this, before = booked(start, statement.date), booked(last_start, last_end)
    if this or before:
        return AuditCost(from_ore(this), from_ore(before), "accounts")
    row = next((ln for ln in statement.lines if ln.code == AUDIT_ROW), None)
    if row is None:
        return None
    return AuditCost(row.values["outcome"], row.values["outcome_previous_year"], "row")


# The notes in the order the statements refer to them; Not 1 is the accounting principles.
NOTE_ORDER = (
    "principles",
    Item.OPERATING_INCOME,
    Item.OPERATING_COSTS,
    Item.FINANCIAL_INCOME,
    Item.FINANCIAL_COSTS,
    "receivables",
    "liabilities",
    "audit",
)


@dataclass(frozen=True)
class Accounts:
    """What the annual accounts print, gathered once so that every statement refers to the same notes."""

    statement: IncomeStatement  # the annual form, row by row (`annual.annual_income_statement`)
    summary: Summary
    sheet: BalanceSheet
    balances: dict[str, list[AccountNote]]  # receivables and liabilities per account
    audit: AuditCost | None
    notes: dict[str, int]  # note key (NOTE_ORDER) → its number

    def note(self, key: str) -> str:
        """The note reference a statement prints beside a line ("" when that note is not printed)."""
        return str(self.notes[key]) if key in self.notes else ""

    def balance_references(self) -> dict[str, str]:
        """Balance-sheet row code → its note: assets other than cash to the receivables, liabilities to the
        short-term liabilities (the notes by account, `annual.balance_notes`, take the same accounts)."""
        _cash, receivables = annual.cash_rows(self.sheet)
        liabilities = [ln.code for ln in self.sheet.lines if ln.section == "liabilities"]
        references = {code: self.note("receivables") for code in receivables}
        return references | {code: self.note("liabilities") for code in liabilities}


def accounts(association: Association, date: dt.date) -> Accounts:
    statement = annual.annual_income_statement(association, date)
    found = summary(statement)
    balances = annual.balance_notes(association, date)
    audit = audit_cost(statement)
    present = {item for item in Item if found.has(item)} | {kind for kind, items in balances.items() if items}
    if audit is not None:
        present.add("audit")
    kept = [key for key in NOTE_ORDER if key == "principles" or key in present]
    numbers = {key: number for number, key in enumerate(kept, 1)}
    sheet = statements.balance_sheet(association, date)
    return Accounts(statement, found, sheet, balances, audit, numbers)
