"""What the interim report (LKBR ch. 13) adds to the ledger's statements: the year's known amounts accrued to
the period, retained equity that the budget uses shown as such, and the year's forecast (ADR 0024).

The ledger's statements stay as booked (`statements.income_statement`, `statements.balance_sheet`); this
module computes beside them what the period's own figures are:

- **Members' contributions** are decided for the whole year and often booked in January. Each member row's
  part of the year's decision (`organisation.contributions`) is accrued to the period by the share of the year
  it covers; the difference to what is booked is an adjustment of its own.
- **Known yearly amounts**: a row the office marks `yearly_amount` is accrued the same way from its full-year
  forecast (the budget when there is none).
- **Use of retained equity**: a row marked `use_of_equity` budgets retained earnings of earlier years as if
  they were income. Its budget and forecast are not income: the budgeted result is taken before them.

At the end of the fiscal year nothing is accrued: the year's books are the year's figures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from finsam.finance import statements
from finsam.finance.models import StatementRow
from finsam.finance.statements import COST_SIDE, INCOME_SIDE, IncomeStatement
from finsam.organisation import contributions
from finsam.organisation.models import ContributionTotal

CONTRIBUTION = "contribution"
YEARLY = "yearly"
# The columns in which a use of retained equity is planned, not booked.
PLANNED = ("budget", "forecast")
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Share:
    """The part of the fiscal year a period covers: whole months when it ends at a month's end, else days."""

    elapsed: int
    of: int
    months: bool

    @classmethod
    def of_period(cls, start: dt.date, end: dt.date, year_end: dt.date) -> Share:
        after, after_year = end + dt.timedelta(days=1), year_end + dt.timedelta(days=1)
        if after.day == 1 and after_year.day == 1:
            return cls(_months(start, after), _months(start, after_year), True)
        return cls((after - start).days, (after_year - start).days, False)

    def of_amount(self, yearly: Decimal) -> Decimal:
        return (yearly * self.elapsed / self.of).quantize(CENT, rounding=ROUND_HALF_UP)


def _months(start: dt.date, until: dt.date) -> int:
    return (until.year - start.year) * 12 + until.month - start.month


@dataclass(frozen=True)
class Accrual:
    """A row whose amount for the period is its share of a yearly amount, not what is booked."""

    code: str
    name: str
    section: str
    basis: str  # CONTRIBUTION (the contribution decision) or YEARLY (the row's full-year forecast)
    yearly: Decimal
    booked: Decimal
    accrued: Decimal

    @property
    def adjustment(self) -> Decimal:
        return self.accrued - self.booked


@dataclass(frozen=True)
class Interim:
    statement: IncomeStatement
    year_end: dt.date
    share: Share
    accruals: list[Accrual]
    # The contribution decision the members' rows follow; None when the year has none (nothing accrued then).
    decision: ContributionTotal | None
    # The planned use of retained equity per planned column, and the rows that budget it.
    equity_use: dict[str, Decimal]
    equity_use_rows: list[str]
    # Equity at the start of the year (the balance sheet's opening equity).
    opening_equity: Decimal

    @property
    def accrues(self) -> bool:
        """Whether the period ends before the year does, so that anything is accrued."""
        return self.statement.date < self.year_end

    def adjustment(self, side: set[str], basis: str | None = None) -> Decimal:
        return sum(
            (
                a.adjustment
                for a in self.accruals
                if a.section in side and (basis is None or a.basis == basis)
            ),
            Decimal(0),
        )

    @property
    def totals(self) -> dict[str, dict[str, Decimal]]:
        """The statement's totals as the period's own figures: the outcome to date accrued, and the budget and
        forecast without the planned use of retained equity (which is no income)."""
        booked = self.statement.totals
        income = dict(booked["income"])
        costs = dict(booked["costs"])
        income["outcome_to_date"] += self.adjustment(INCOME_SIDE)
        costs["outcome_to_date"] += self.adjustment(COST_SIDE)
        for column in PLANNED:
            income[column] -= self.equity_use[column]
        result = {c: income[c] - costs[c] for c in self.statement.columns}
        return {"income": income, "costs": costs, "result": result}

    @property
    def booked_result(self) -> Decimal:
        """The result to date as the ledger holds it, before accruals."""
        return self.statement.totals["result"]["outcome_to_date"]

    @property
    def result_adjustment(self) -> Decimal:
        return self.adjustment(INCOME_SIDE) - self.adjustment(COST_SIDE)

    @property
    def forecast_result(self) -> Decimal:
        """The year's result as forecast, before any use of retained equity: the balance requirement's."""
        return self.totals["result"]["forecast"]

    @property
    def forecast_equity(self) -> Decimal:
        """Equity at the year's end if the forecast holds."""
        return self.opening_equity + self.forecast_result

    @property
    def planned_equity(self) -> Decimal:
        """Equity at the year's end as the budget planned it: the retained equity it brings in plus its result
        before it; a budget that brings in none planned from the opening equity."""
        budget = self.totals["result"]["budget"]
        if self.equity_use_rows:
            return self.equity_use["budget"] + budget
        return self.opening_equity + budget

    def balance_lines(self) -> list[tuple[str, str, Decimal]]:
        """The accruals as the balance sheet holds them (code, section, amount), each kind on its own line:
        income booked ahead is prepaid income and income not yet booked accrued income; costs booked ahead
        are prepaid costs and costs not yet booked accrued costs."""
        income, costs = self.adjustment(INCOME_SIDE), self.adjustment(COST_SIDE)
        lines = [
            (ACCRUED_INCOME, "assets", income if income > 0 else Decimal(0)),
            (PREPAID_COSTS, "assets", -costs if costs < 0 else Decimal(0)),
            (PREPAID_INCOME, "liabilities", -income if income < 0 else Decimal(0)),
            (ACCRUED_COSTS, "liabilities", costs if costs > 0 else Decimal(0)),
        ]
        return [line for line in lines if line[2]]


# The balance sheet's lines of accruals (BAS 17 and 29, interimsfordringar and interimsskulder).
ACCRUED_INCOME = "UPPLUPNA_INTAKTER"
PREPAID_COSTS = "FORUTBETALDA_KOSTNADER"
PREPAID_INCOME = "FORUTBETALDA_INTAKTER"
ACCRUED_COSTS = "UPPLUPNA_KOSTNADER"


def _contribution_parts(statement: IncomeStatement) -> tuple[ContributionTotal | None, dict[int, Decimal]]:
    """The year's decision and each member's part of it, by member id."""
    year = statement.start.year
    decision = ContributionTotal.objects.filter(association=statement.association, year=year).first()
    if decision is None:
        return None, {}
    try:
        split = contributions.compute(statement.association, year)
    except contributions.ContributionError:
        return None, {}
    return decision, {line.member.pk: line.amount for line in split.lines}


def of(statement: IncomeStatement) -> Interim:
    """The interim figures beside an income statement in its interim form (statements.income_statement)."""
    association = statement.association
    _start, year_end = statements.fiscal_year(association, statement.date)
    share = Share.of_period(statement.start, statement.date, year_end)
    rows = {
        r.code: r
        for r in StatementRow.objects.filter(association=association, statement=StatementRow.Statement.INCOME)
    }
    decision, parts = _contribution_parts(statement) if statement.date < year_end else (None, {})
    accruals = []
    for line in statement.lines:
        row = rows.get(line.code)
        if row is None or statement.date >= year_end:
            continue
        if row.section == StatementRow.Section.INCOME and row.member_id in parts:
            basis, yearly = CONTRIBUTION, parts[row.member_id]
        elif row.yearly_amount:
            basis, yearly = YEARLY, line.values["forecast"]
        else:
            continue
        booked = line.values["outcome_to_date"]
        accruals.append(
            Accrual(line.code, line.name, line.section, basis, yearly, booked, share.of_amount(yearly))
        )
    equity_rows = [line for line in statement.lines if line.code in rows and rows[line.code].use_of_equity]
    equity_use = {c: sum((ln.values[c] for ln in equity_rows), Decimal(0)) for c in PLANNED}
    sheet = statements.balance_sheet(association, statement.date)
    return Interim(
        statement,
        year_end,
        share,
        accruals,
        decision,
        equity_use,
        [ln.code for ln in equity_rows],
        sheet.equity.retained_earlier,
    )
