"""The annual accounts beyond the two main statements: the annual-form income statement, the cash-flow
statement (indirect method), the operating statement, the notes, the five-year overview, the balance
requirement result, cost shares and the contributions as booked against those computed from population."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from finsam.core.money import from_ore
from finsam.finance import balances
from finsam.finance.accounts_spec import parse_accounts, parse_object
from finsam.finance.models import CostSharing, LedgerAccount, LedgerImport, StatementRow
from finsam.finance.statements import (
    COST_SIDE,
    INCOME_SIDE,
    BalanceSheet,
    IncomeStatement,
    balance_movements,
    balance_sheet,
    fiscal_year,
    has_ledger,
    income_statement,
    opening_balances,
    previous_year,
)
from finsam.organisation import contributions
from finsam.organisation.models import Association

ANNUAL_COLUMNS = ("budget", "outcome", "outcome_previous_year", "deviation")


def annual_income_statement(association: Association, date: dt.date) -> IncomeStatement:
    """Budget, this year, last year and the deviation (positive where the outcome is better than budget)."""
    interim = income_statement(association, date)
    for line in interim.lines:
        values = line.values
        outcome = values["outcome_to_date"]
        better = outcome - values["budget"] if line.section in INCOME_SIDE else values["budget"] - outcome
        line.values = {
            "budget": values["budget"],
            "outcome": outcome,
            "outcome_previous_year": values["outcome_previous_year"],
            "deviation": better,
        }
    interim.columns = ANNUAL_COLUMNS
    interim.better_columns = ("deviation",)
    return interim


@dataclass(frozen=True)
class CashFlow:
    result: Decimal
    receivables_change: Decimal  # increase negative
    liabilities_change: Decimal  # increase positive
    cash_start: Decimal
    cash_end: Decimal
    # Equity moved other than by the year's result (a capital contribution): the financing activities. An
    # association may neither invest nor borrow, so nothing else is financing and nothing is investing.
    financing: Decimal = Decimal(0)
    date: dt.date | None = None
    # The previous fiscal year's cash flow, when its ledger is here (the annual report's second column).
    previous: CashFlow | None = None

    @property
    def operating(self) -> Decimal:
        return self.result + self.receivables_change + self.liabilities_change

    @property
    def total(self) -> Decimal:
        return self.operating + self.financing

    @property
    def difference(self) -> Decimal:
        """What the flows leave unexplained of the change in cash (zero unless the data or the mapping is odd:
        opening balances that do not balance, a cash account on a row of its own without 19xx)."""
        return self.cash_end - (self.cash_start + self.total)

    @property
    def reconciles(self) -> bool:
        return self.difference == 0


def cash_rows(sheet: BalanceSheet) -> tuple[set[str], set[str]]:
    """Which balance-sheet rows hold cash (accounts of 19xx) and which other assets."""
    rows = StatementRow.objects.filter(
        association=sheet.association, statement=StatementRow.Statement.BALANCE
    )
    cash = {r.code for r in rows if r.section == "assets" and r.accounts.strip().startswith("19")}
    return cash, {ln.code for ln in sheet.lines if ln.section == "assets"} - cash


def cash_flow(association: Association, date: dt.date, *, previous: bool = True) -> CashFlow:
    """The cash flow of the fiscal year to the date (indirect method) and, when the previous year's ledger is
    here and previous is true, that of the whole previous year."""
    sheet = balance_sheet(association, date)
    cash_codes, receivable_codes = cash_rows(sheet)

    def total(codes: set[str], before: bool) -> Decimal:
        return sum(
            (ln.previous_year_end if before else ln.amount for ln in sheet.lines if ln.code in codes),
            Decimal(0),
        )

    liabilities = sheet.total("liabilities") - sheet.total("liabilities", previous=True)
    result = sheet.equity.result_for_year
    last_start, last_end = previous_year(sheet.start)
    return CashFlow(
        result=result,
        receivables_change=-(total(receivable_codes, False) - total(receivable_codes, True)),
        liabilities_change=liabilities,
        cash_start=total(cash_codes, True),
        cash_end=total(cash_codes, False),
        financing=sheet.equity.retained - sheet.equity_previous_year_end - result,
        date=date,
        previous=cash_flow(association, last_end, previous=False)
        if previous and has_ledger(association, last_start)
        else None,
    )


@dataclass(frozen=True)
class OperatingStatement:
    """Net cost and member fees against budget, with last year's outcome (seed 001, section 5)."""

    net_cost: tuple[Decimal, Decimal, Decimal]  # outcome, budget, last year
    member_fees: tuple[Decimal, Decimal, Decimal]
    result: tuple[Decimal, Decimal]  # outcome, last year
    equity: tuple[Decimal, Decimal]
    cash: tuple[Decimal, Decimal]
    result_budget: Decimal


def operating_statement(association: Association, date: dt.date) -> OperatingStatement:
    statement = annual_income_statement(association, date)
    costs = [ln for ln in statement.lines if ln.section in COST_SIDE]
    income = [ln for ln in statement.lines if ln.section in INCOME_SIDE]

    def add(lines: list, column: str) -> Decimal:  # type: ignore[type-arg]
        return sum((ln.values[column] for ln in lines), Decimal(0))

    sheet = balance_sheet(association, date)
    flow = cash_flow(association, date)
    result = statement.totals["result"]
    return OperatingStatement(
        net_cost=(add(costs, "outcome"), add(costs, "budget"), add(costs, "outcome_previous_year")),
        member_fees=(add(income, "outcome"), add(income, "budget"), add(income, "outcome_previous_year")),
        result=(result["outcome"], result["outcome_previous_year"]),
        equity=(sheet.equity.retained, sheet.equity_previous_year_end),
        cash=(flow.cash_end, flow.cash_start),
        result_budget=result["budget"],
    )


@dataclass(frozen=True)
class AccountNote:
    account: int
    name: str
    amount: Decimal
    previous: Decimal


def balance_notes(association: Association, date: dt.date) -> dict[str, list[AccountNote]]:
    """Receivables and liabilities per account at the date and at the previous year end (notes 4 and 5)."""
    start, end = fiscal_year(association, date)
    names = dict(LedgerAccount.objects.filter(association=association).values_list("number", "name"))
    opening = opening_balances(association, start)
    moved: dict[int, int] = {}
    for (account, _), ore in balance_movements(association, start, end, date, opening)[0].items():
        moved[account] = moved.get(account, 0) + ore
    accounts = sorted(set(opening) | set(moved))
    cash = {a for a in accounts if str(a).startswith("19")}
    notes: dict[str, list[AccountNote]] = {"receivables": [], "liabilities": []}
    for account in accounts:
        if account in cash or str(account).startswith("20"):
            continue
        now = opening.get(account, 0) + moved.get(account, 0)
        before = opening.get(account, 0)
        if not now and not before:
            continue
        sign, kind = (1, "receivables") if str(account)[0] == "1" else (-1, "liabilities")
        notes[kind].append(
            AccountNote(account, names.get(account, ""), from_ore(sign * now), from_ore(sign * before))
        )
    return notes


@dataclass(frozen=True)
class YearFigures:
    year: int
    income: Decimal
    costs: Decimal
    result: Decimal
    equity_ratio: Decimal | None


def five_year_overview(association: Association, date: dt.date, years: int = 5) -> list[YearFigures]:
    """Income, costs, result and equity ratio for the year of the date and the years before it."""
    start, end = fiscal_year(association, date)
    figures = []
    for _ in range(years):
        if not LedgerImport.objects.filter(association=association, year_start=start, in_force=True).exists():
            break
        day = end if date >= end else date
        statement = income_statement(association, day)
        totals = statement.totals
        figures.append(
            YearFigures(
                start.year,
                totals["income"]["outcome_to_date"],
                totals["costs"]["outcome_to_date"],
                totals["result"]["outcome_to_date"],
                balance_sheet(association, day).equity_ratio,
            )
        )
        start, end = previous_year(start)
        date = end
    return figures


@dataclass(frozen=True)
class BalanceRequirement:
    """Kommunallagen's balance requirement result: the year's result less realised gains (none here)."""

    result: Decimal
    realised_gains: Decimal = Decimal(0)

    @property
    def balance_result(self) -> Decimal:
        return self.result - self.realised_gains


def balance_requirement(association: Association, date: dt.date) -> BalanceRequirement:
    return BalanceRequirement(income_statement(association, date).totals["result"]["outcome_to_date"])


@dataclass(frozen=True)
class CostShares:
    total: Decimal
    by_category: dict[str, Decimal]

    def share(self, category: str) -> Decimal | None:
        return self.by_category.get(category, Decimal(0)) / self.total if self.total else None


def cost_shares(association: Association, date: dt.date, column: str = "outcome_to_date") -> CostShares:
    """Costs by category (individual, structural, administration) of the statement rows."""
    statement = income_statement(association, date)
    by: dict[str, Decimal] = {}
    for line in statement.lines:
        if line.section in COST_SIDE:
            category = line.category or ("administration" if line.section == "administration" else "")
            by[category] = by.get(category, Decimal(0)) + line.values[column]
    return CostShares(sum(by.values(), Decimal(0)), by)


@dataclass(frozen=True)
class ContributionCheck:
    code: str
    name: str
    computed: Decimal
    booked: Decimal

    @property
    def difference(self) -> Decimal:
        return self.booked - self.computed


def contributions_booked(association: Association, date: dt.date) -> list[ContributionCheck]:
    """Each member's contribution computed from population next to what the ledger holds on its row."""
    split = contributions.compute(association, date.year)
    statement = income_statement(association, date)
    rows = StatementRow.objects.filter(association=association, member__isnull=False).select_related("member")
    booked = {r.member_id: statement_line_value(statement, r.code) for r in rows}
    return [
        ContributionCheck(ln.member.code, ln.member.name, ln.amount, booked.get(ln.member.pk, Decimal(0)))
        for ln in split.lines
        if ln.amount or booked.get(ln.member.pk)
    ]


def statement_line_value(statement: IncomeStatement, code: str, column: str = "outcome_to_date") -> Decimal:
    return next((ln.values[column] for ln in statement.lines if ln.code == code), Decimal(0))


def with_object(key: str) -> Q:
    """Ledger rows carrying the object (alone or among others in "1:10|6:ENTER")."""
    return (
        Q(object_key=key)
        | Q(object_key__startswith=f"{key}|")
        | Q(object_key__endswith=f"|{key}")
        | Q(object_key__contains=f"|{key}|")
    )


@dataclass(frozen=True)
class SharedCost:
    rule: CostSharing
    cost: Decimal
    invoiced: Decimal


def shared_costs(association: Association, start: dt.date, end: dt.date) -> list[SharedCost]:
    """The invoice basis of every cost-sharing agreement for a period: the cost and the partner's part."""
    basis = []
    for rule in CostSharing.objects.filter(association=association):
        selected = Q()
        for part in parse_accounts(rule.accounts):
            selected |= Q(account__gte=part.low, account__lte=part.high)
        if rule.object:
            selected &= with_object(":".join(parse_object(rule.object)))
        ore = sum(balances.sums(association, start, end, selected).values())
        cost = from_ore(ore)
        basis.append(
            SharedCost(rule, cost, (cost * rule.share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
        )
    return basis
