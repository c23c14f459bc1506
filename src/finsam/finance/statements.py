"""The income statement and balance sheet, computed from the ledger, the mapping and the budget.

Amounts are summed in whole öre and turned into Decimal kronor only at the end; nothing is rounded here.
Ledger rows that no statement row takes are shown in rows of their own ("Ej fördelat"), so a statement always
reconciles with the ledger. Rows dated after the report date never count.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Min, Q

from finsam.core.money import from_ore
from finsam.finance import balances
from finsam.finance.accounts_spec import (
    RESULT_CLOSING_ACCOUNT,
    AccountRange,
    is_balance_account,
    parse_accounts,
    parse_object,
)
from finsam.finance.models import BudgetLine, LedgerBalance, LedgerImport, LedgerRow, StatementRow
from finsam.organisation.models import Association

INCOME_SIDE: set[str] = {StatementRow.Section.INCOME, StatementRow.Section.FINANCIAL}
COST_SIDE: set[str] = {StatementRow.Section.OPERATIONS, StatementRow.Section.ADMINISTRATION}
# BAS classes of unmapped result accounts: 3 income and 8 financial on the income side, 4–7 costs, and 9
# (internal accounts, rarely exported) with the costs, so that nothing in the ledger is left out; so does
# NOT_A_NUMBER_ACCOUNT (0), where rows go whose account in the file was no number.
UNMAPPED_RESULT = (
    ("EJ_FORDELAT_INTAKTER", "Ej fördelat på rad: intäkter", StatementRow.Section.INCOME, "38"),
    ("EJ_FORDELAT_KOSTNADER", "Ej fördelat på rad: kostnader", StatementRow.Section.OPERATIONS, "045679"),
)
INTERIM_COLUMNS = ("outcome_previous_year", "budget", "outcome_to_date", "forecast")
UNMAPPED_ASSETS = "EJ_FORDELAT_TILLGANGAR"
UNMAPPED_LIABILITIES = "EJ_FORDELAT_SKULDER"


def fiscal_year(association: Association, day: dt.date) -> tuple[dt.date, dt.date]:
    """The fiscal year holding the day, as the imported ledger defines it (the calendar year otherwise)."""
    imported = (
        LedgerImport.objects.filter(
            association=association, in_force=True, year_start__lte=day, year_end__gte=day
        )
        .values_list("year_start", "year_end")
        .first()
    )
    return imported or (dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))


def last_booked_day(association: Association) -> dt.date | None:
    """The date of the latest voucher in force."""
    return (
        LedgerRow.objects.filter(association=association, source__in_force=True)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )


def previous_year(start: dt.date) -> tuple[dt.date, dt.date]:
    end = start - dt.timedelta(days=1)
    return start.replace(year=start.year - 1), end


@dataclass(frozen=True)
class Matcher:
    """Which statement row takes a ledger row: the first whose accounts and object fit."""

    rows: list[tuple[StatementRow, tuple[AccountRange, ...], str | None]]

    @classmethod
    def of(cls, rows: list[StatementRow]) -> Matcher:
        return cls(
            [
                (r, parse_accounts(r.accounts), ":".join(parse_object(r.object)) if r.object else None)
                for r in rows
                if not r.budget_only and r.accounts
            ]
        )

    def match(self, account: int, object_key: str) -> StatementRow | None:
        objects = set(object_key.split("|")) if object_key else set()
        for row, ranges, wanted in self.rows:
            if any(account in r for r in ranges) and (wanted is None or wanted in objects):
                return row
        return None


@dataclass
class Mapped:
    by_row: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unmapped: dict[int, int] = field(default_factory=lambda: defaultdict(int))  # account -> öre


def _map(matcher: Matcher, sums: dict[tuple[int, str], int]) -> Mapped:
    mapped = Mapped()
    for (account, object_key), ore in sums.items():
        row = matcher.match(account, object_key)
        if row is None:
            mapped.unmapped[account] += ore
        else:
            mapped.by_row[row.code] += ore
    return mapped


def _shown(row_section: str, ore: int) -> Decimal:
    """Income shown positive (credit), costs positive (debit)."""
    return from_ore(-ore if row_section in INCOME_SIDE else ore)


@dataclass
class Line:
    code: str
    name: str
    section: str
    category: str
    values: dict[str, Decimal]
    accounts: list[int] = field(default_factory=list)  # for unmapped rows: which accounts


@dataclass
class IncomeStatement:
    association: Association
    date: dt.date
    start: dt.date
    columns: tuple[str, ...]
    lines: list[Line]
    # Columns where a cost row already reads budget − outcome, so that positive is better on both sides: their
    # result is the sum of the two sides, not income less costs.
    better_columns: tuple[str, ...] = ()

    def total(self, side: set[str] | None, column: str) -> Decimal:
        lines = self.lines if side is None else [ln for ln in self.lines if ln.section in side]
        return sum((ln.values[column] for ln in lines), Decimal(0))

    def cost_rows(self) -> list[tuple[str, Decimal, Decimal]]:
        """Cost rows with a budget or an outcome: name, budget, outcome to date (for the budget chart)."""
        return [
            (ln.name, ln.values["budget"], ln.values["outcome_to_date"])
            for ln in self.lines
            if ln.section in COST_SIDE and (ln.values["budget"] or ln.values["outcome_to_date"])
        ]

    @property
    def totals(self) -> dict[str, dict[str, Decimal]]:
        income = {c: self.total(INCOME_SIDE, c) for c in self.columns}
        costs = {c: self.total(COST_SIDE, c) for c in self.columns}
        better = self.better_columns
        result = {c: income[c] + costs[c] if c in better else income[c] - costs[c] for c in self.columns}
        return {"income": income, "costs": costs, "result": result}


def _outcome(association: Association, rows: list[StatementRow], start: dt.date, end: dt.date) -> Mapped:
    return _map(Matcher.of(rows), balances.ledger_sums(association, start, end, balance_accounts=False))


def _budget(association: Association, year: int) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    budget: dict[str, Decimal] = {}
    forecast: dict[str, Decimal] = {}
    for line in BudgetLine.objects.filter(association=association, year=year).select_related("row"):
        (budget if line.kind == BudgetLine.Kind.BUDGET else forecast)[line.row.code] = line.amount
    return budget, forecast


def _unmapped_lines(outcomes: dict[str, Mapped], columns: tuple[str, ...]) -> list[Line]:
    lines = []
    for code, name, section, classes in UNMAPPED_RESULT:
        per_column = {
            c: {a: o for a, o in m.unmapped.items() if str(a)[0] in classes} for c, m in outcomes.items()
        }
        if not any(per_column.values()):
            continue
        accounts = sorted({a for found in per_column.values() for a in found})
        values = {c: _shown(section, sum(per_column.get(c, {}).values())) for c in columns}
        lines.append(Line(code, name, section, "", values, accounts))
    return lines


def income_statement(association: Association, date: dt.date) -> IncomeStatement:
    """Interim form: last year's outcome, this year's budget, outcome to date, full-year forecast."""
    start, _ = fiscal_year(association, date)
    last_start, last_end = previous_year(start)
    rows = list(StatementRow.objects.filter(association=association, statement=StatementRow.Statement.INCOME))
    outcomes = {
        "outcome_previous_year": _outcome(association, rows, last_start, last_end),
        "outcome_to_date": _outcome(association, rows, start, date),
    }
    budget, forecast = _budget(association, start.year)
    lines = []
    for row in rows:
        values = {
            "outcome_previous_year": _shown(
                row.section, outcomes["outcome_previous_year"].by_row.get(row.code, 0)
            ),
            "budget": budget.get(row.code, Decimal(0)),
            "outcome_to_date": _shown(row.section, outcomes["outcome_to_date"].by_row.get(row.code, 0)),
            "forecast": forecast.get(row.code, budget.get(row.code, Decimal(0))),
        }
        lines.append(Line(row.code, row.name, row.section, row.category, values))
    lines += _unmapped_lines(outcomes, INTERIM_COLUMNS)
    for line in lines:
        for column in INTERIM_COLUMNS:
            line.values.setdefault(column, Decimal(0))
    return IncomeStatement(association, date, start, INTERIM_COLUMNS, lines)


@dataclass
class BalanceLine:
    code: str
    name: str
    section: str
    amount: Decimal
    previous_year_end: Decimal
    accounts: list[int] = field(default_factory=list)


@dataclass
class Equity:
    retained_earlier: Decimal
    result_for_year: Decimal

    @property
    def retained(self) -> Decimal:
        return self.retained_earlier + self.result_for_year


@dataclass
class BalanceSheet:
    association: Association
    date: dt.date
    start: dt.date
    lines: list[BalanceLine]
    equity: Equity
    equity_previous_year_end: Decimal
    # The previous fiscal year's result, when its ledger is here: splits the equity at the previous year end.
    result_previous_year: Decimal | None

    @property
    def equity_previous(self) -> Equity | None:
        """Equity at the previous year end as retained from earlier years and that year's result."""
        if self.result_previous_year is None:
            return None
        return Equity(self.equity_previous_year_end - self.result_previous_year, self.result_previous_year)

    def total(self, section: str, previous: bool = False) -> Decimal:
        return sum(
            (ln.previous_year_end if previous else ln.amount for ln in self.lines if ln.section == section),
            Decimal(0),
        )

    @property
    def equity_ratio(self) -> Decimal | None:
        assets = self.total("assets")
        return self.equity.retained / assets if assets else None


# BAS 2099 "Årets resultat": where a year's result not yet closed to equity is carried into the next year.
RESULT_EQUITY_ACCOUNT = 2099


def has_ledger(association: Association, start: dt.date) -> bool:
    """Is the ledger of the fiscal year starting on the day here (an import of that year in force)?"""
    return LedgerImport.objects.filter(association=association, year_start=start, in_force=True).exists()


def _stored_balances(
    association: Association, start: dt.date, kind: str
) -> tuple[dict[int, int], dict[int, int]]:
    """The balances of a kind that files gave of the year: its own file's, and what other years' files say."""
    own: dict[int, int] = {}
    other: dict[int, int] = {}
    for b in LedgerBalance.objects.filter(
        association=association, year_start=start, kind=kind, source__in_force=True
    ):
        (own if b.own_year else other)[b.account] = b.ore
    return own, other


def _with_result_closed(balances: dict[int, int]) -> dict[int, int]:
    """Closing balances as the next year opens with them: a result not closed to equity (the balances do not
    sum to zero) is carried on 2099."""
    unclosed = sum(balances.values())
    if not unclosed:
        return balances
    carried = dict(balances)
    carried[RESULT_EQUITY_ACCOUNT] = carried.get(RESULT_EQUITY_ACCOUNT, 0) - unclosed
    return carried


def _year_closing(association: Association, start: dt.date, end: dt.date) -> dict[int, int] | None:
    """A year's closing balances from what the data holds: its opening balances and movements when its ledger
    is here, else the closing balances a file gave of it (#UB), else its own opening balances (a year without
    vouchers); None when nothing of the year is here."""
    if has_ledger(association, start):
        closing = dict(opening_balances(association, start))
        for (account, _), ore in balances.ledger_sums(association, start, end, balance_accounts=True).items():
            closing[account] = closing.get(account, 0) + ore
        return closing
    own, other = _stored_balances(association, start, LedgerBalance.Kind.CLOSING)
    if own or other:
        return own or other
    own, other = _stored_balances(association, start, LedgerBalance.Kind.OPENING)
    return own or other or None


def _earliest_year(association: Association) -> dt.date | None:
    imported = LedgerImport.objects.filter(association=association, in_force=True).aggregate(
        first=Min("year_start")
    )["first"]
    balanced = LedgerBalance.objects.filter(association=association, source__in_force=True).aggregate(
        first=Min("year_start")
    )["first"]
    return min((d for d in (imported, balanced) if d is not None), default=None)


def opening_balances(association: Association, start: dt.date) -> dict[int, int]:
    """Opening balances of the fiscal year: the year's own file first; else the previous year's closing
    balances when its ledger is here (its opening balances and movements); else what the next year's file says
    (#IB -1); else the closing position of the latest earlier year the data knows, carried through the years
    between (so a balance sheet of a year without a ledger of its own carries the last closing forward)."""
    own, other = _stored_balances(association, start, LedgerBalance.Kind.OPENING)
    if own:
        return own
    last_start, last_end = previous_year(start)
    if has_ledger(association, last_start):
        closing = _year_closing(association, last_start, last_end)
        return _with_result_closed(closing or {})
    if other:
        return other
    earliest = _earliest_year(association)
    while earliest is not None and last_start >= earliest:
        closing = _year_closing(association, last_start, last_end)
        if closing is not None:
            return _with_result_closed(closing)
        last_start, last_end = previous_year(last_start)
    return {}


def balance_movements(
    association: Association, start: dt.date, end: dt.date, date: dt.date, opening: dict[int, int]
) -> tuple[dict[tuple[int, str], int], bool]:
    """Movements of the balance accounts from the opening of the fiscal year start..end to the date, per
    (account, objects): the ledger's; or, at the end of a year without a ledger of its own, the difference
    between the opening balances and the closing balances a file gave of the year (#UB, also #UB -1 of the
    next year's file). The flag says the closing balances were used."""
    if date >= end and not has_ledger(association, start):
        own, other = _stored_balances(association, start, LedgerBalance.Kind.CLOSING)
        closing = own or other
        if closing:
            moved = {
                (account, ""): closing.get(account, 0) - opening.get(account, 0)
                for account in set(closing) | set(opening)
            }
            return {key: ore for key, ore in moved.items() if ore}, True
    return balances.ledger_sums(association, start, date, balance_accounts=True), False


def _is_equity(account: int) -> bool:
    return str(account).startswith("20")


def balance_sheet(association: Association, date: dt.date) -> BalanceSheet:
    start, end = fiscal_year(association, date)
    opening = opening_balances(association, start)
    moved, from_closing = balance_movements(association, start, end, date, opening)
    now: dict[tuple[int, str], int] = defaultdict(int)
    for account, ore in opening.items():
        now[(account, "")] += ore
    for key, ore in moved.items():
        now[key] += ore
    rows = list(
        StatementRow.objects.filter(association=association, statement=StatementRow.Statement.BALANCE)
    )
    matcher = Matcher.of(rows)
    current = _map(matcher, {k: v for k, v in now.items() if not _is_equity(k[0])})
    before = _map(matcher, {(a, ""): o for a, o in opening.items() if not _is_equity(a)})
    sign = {"assets": 1, "liabilities": -1}
    lines = [
        BalanceLine(
            r.code,
            r.name,
            r.section,
            from_ore(sign[r.section] * current.by_row.get(r.code, 0)),
            from_ore(sign[r.section] * before.by_row.get(r.code, 0)),
        )
        for r in rows
    ]
    for code, name, section, first in (
        (UNMAPPED_ASSETS, "Ej fördelat på rad: tillgångar", "assets", "1"),
        (UNMAPPED_LIABILITIES, "Ej fördelat på rad: skulder", "liabilities", "2"),
    ):
        accounts = sorted(a for a in set(current.unmapped) | set(before.unmapped) if str(a)[0] == first)
        if any(current.unmapped.get(a) or before.unmapped.get(a) for a in accounts):
            lines.append(
                BalanceLine(
                    code,
                    name,
                    section,
                    from_ore(sign[section] * sum(current.unmapped.get(a, 0) for a in accounts)),
                    from_ore(sign[section] * sum(before.unmapped.get(a, 0) for a in accounts)),
                    accounts,
                )
            )
    equity_opening = sum(o for a, o in opening.items() if _is_equity(a))
    # A closing entry moved the result to equity (8999 against 2099): counted as the result, not twice.
    closing = sum(balances.sums(association, start, date, Q(account=RESULT_CLOSING_ACCOUNT)).values())
    equity_moved = sum(o for (a, _), o in moved.items() if _is_equity(a)) + closing
    if from_closing:
        # No ledger of the year: its result is what the closing balances moved beyond the opening ones.
        result = sum(moved.values())
    else:
        result = -sum(balances.ledger_sums(association, start, date, balance_accounts=False).values())
    before_year = balances.ledger_sums(association, *previous_year(start), balance_accounts=False)
    return BalanceSheet(
        association,
        date,
        start,
        lines,
        Equity(from_ore(-(equity_opening + equity_moved)), from_ore(result)),
        from_ore(-equity_opening),
        from_ore(-sum(before_year.values())) if before_year else None,
    )


@dataclass(frozen=True)
class Unmapped:
    """An "Ej fördelat" line of the statements on a day: its amount and how many ledger rows of the year."""

    name: str
    accounts: list[int]
    amount: Decimal
    rows: int


def unmapped_row_counts(association: Association, start: dt.date, end: dt.date) -> Counter[int]:
    """Ledger rows dated start..end that no statement row takes, per account (equity is computed)."""
    rows = list(StatementRow.objects.filter(association=association))
    matchers = {
        kind: Matcher.of([r for r in rows if r.statement == kind]) for kind in StatementRow.Statement.values
    }
    found: Counter[int] = Counter()
    for (account, object_key), count in balances.row_counts(association, start, end).items():
        if _is_equity(account) or account == RESULT_CLOSING_ACCOUNT:
            continue
        kind = (
            StatementRow.Statement.BALANCE if is_balance_account(account) else StatementRow.Statement.INCOME
        )
        if matchers[kind].match(account, object_key) is None:
            found[account] += count
    return found


def unmapped(
    association: Association, date: dt.date, income: IncomeStatement | None = None
) -> list[Unmapped]:
    """The "Ej fördelat" lines of the income statement (outcome to date) and the balance sheet on the date;
    pass the income statement to that date if it is at hand."""
    income = income or income_statement(association, date)
    counts = unmapped_row_counts(association, income.start, date)
    lines = [
        (line.name, line.accounts, line.values["outcome_to_date"]) for line in income.lines if line.accounts
    ]
    lines += [
        (line.name, line.accounts, line.amount)
        for line in balance_sheet(association, date).lines
        if line.accounts
    ]
    return [
        Unmapped(name, accounts, amount, sum(counts[a] for a in accounts)) for name, accounts, amount in lines
    ]
