"""The business plan, in the parts of seed 004: introduction and history, the association's tasks, the local
target group, the organisation, the year's planned work, the goals at three levels with the financial goals,
the budget for the year and the two after with its result and use of equity, and the consultation with the
members. Each narrative part is drafted from the data and completed by the office."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core.documents import Cell, Column, Document, Kind, Section, Table
from finsam.finance import statements
from finsam.finance.models import BudgetLine, StatementRow
from finsam.goals import follow_up
from finsam.organisation import names as member_names
from finsam.organisation.models import Association
from finsam.reports.board import common
from finsam.reports.models import ReportVersion

KIND = "business-plan"
# The sections with a narrative, in the order printed.
TEXTS = (
    "introduction",
    "tasks",
    "target_group",
    "organisation",
    "planned_work",
    "goals",
    "financial_goals",
    "budget",
    "consultation",
)


def _plan_years(association: Association, year: int) -> list[int]:
    """The year and those of the two after that have a budget: a plan without one for them is for one year."""
    budgeted = BudgetLine.objects.filter(
        association=association, kind=BudgetLine.Kind.BUDGET, year__in=(year + 1, year + 2)
    ).values_list("year", flat=True)
    return sorted({year, *budgeted})


def _budget_tables(association: Association, year: int, years: list[int]) -> list[Table]:
    """Income and costs budgeted for the years, by statement row (a member's row named as the member was in
    the plan's year), and the result before and after the use of equity."""
    names = member_names.names_on(association, dt.date(year, 12, 31))
    rows = StatementRow.objects.filter(association=association, statement=StatementRow.Statement.INCOME)
    budgets = {
        (b.row_id, b.year): b.amount
        for b in BudgetLine.objects.filter(
            association=association, kind=BudgetLine.Kind.BUDGET, year__in=years
        )
    }
    columns = [Column("name", _("Belopp i kr"))] + [
        Column(str(y), _("Budget %s") % y, Kind.MONEY) for y in years
    ]

    def sums(chosen: list[StatementRow]) -> dict[str, Decimal]:
        return {str(y): sum((budgets.get((r.pk, y), Decimal(0)) for r in chosen), Decimal(0)) for y in years}

    def block(title: str, chosen: list[StatementRow], total_label: str) -> Table:
        table_rows: list[dict[str, Cell]] = [
            {"name": names.text(r.name), **{str(y): budgets.get((r.pk, y), Decimal(0)) for y in years}}
            for r in chosen
            # A row without a budget in any of the years (an intervention not yet started) is left out.
            if any(budgets.get((r.pk, y)) for y in years)
        ]
        return Table(title, columns, table_rows, {"name": total_label, **sums(chosen)})

    income = [r for r in rows if r.section in statements.INCOME_SIDE]
    costs = [r for r in rows if r.section not in statements.INCOME_SIDE]
    earned, spent = sums([r for r in income if not r.use_of_equity]), sums(costs)
    use = sums([r for r in income if r.use_of_equity])
    before = {y: earned[y] - spent[y] for y in earned}
    result_rows: list[dict[str, Cell]] = [
        {"name": _("Resultat före användning av eget kapital"), **before},
        {"name": _("Användning av eget kapital"), **use},
    ]
    result: dict[str, Cell] = {"name": _("Budgeterat resultat"), **{y: before[y] + use[y] for y in before}}
    return [
        block(_("Intäkter"), income, _("Summa intäkter")),
        block(_("Kostnader"), costs, _("Summa kostnader")),
        Table(
            _("Resultat"),
            columns,
            result_rows,
            result,
            notes=[
                _(
                    "Användning av eget kapital: medel från tidigare år som budgeten tar i anspråk, bland "
                    "intäkterna ovan."
                )
            ],
        ),
    ]


def business_plan(association: Association, end: dt.date, version: ReportVersion | None = None) -> Document:
    """The plan for the year of the date, with the budget for that year and the two after."""
    year = end.year
    values = common.figures(association, dt.date(year, 1, 1), end)
    texts = common.texts(version, values, common.default_texts(KIND, TEXTS))
    goals = common.other_kind(association, "goals", dt.date(year, 1, 1), dt.date(year, 12, 31))
    years = _plan_years(association, year)
    budget = (
        _("Budget %s") % year if len(years) == 1 else _("Budget %(a)s–%(b)s") % {"a": year, "b": years[-1]}
    )
    chapters = [
        Section(_("Inledning"), html=texts.html("introduction")),
        Section(_("Samordningsförbundets uppgifter"), html=texts.html("tasks")),
        Section(_("Lokal målgrupp"), html=texts.html("target_group")),
        Section(_("Samordningsförbundets organisation"), html=texts.html("organisation")),
        Section(_("Verksamhet under %s") % year, html=texts.html("planned_work")),
        # A plan states its goals: at each level with their targets, never their follow-up (seed 004 §6).
        Section(
            _("Målsättning"),
            html=texts.html("goals"),
            tables=follow_up.plan_tables(association, year) if goals else [],
        ),
        Section(budget, html=texts.html("budget"), tables=_budget_tables(association, year, years)),
        Section(_("Samråd med medlemmarna"), html=texts.html("consultation")),
    ]
    sections = [
        *chapters[:6],
        Section(_("Finansiella mål"), level=3, html=texts.html("financial_goals")),
        *chapters[6:],
    ]
    return Document(
        title=_("Verksamhetsplan %s") % year,
        association=association.name,
        period=str(year),
        sections=common.printed(sections, chapters),
        filename=common.filename(KIND, association, end),
        signature=common.signature(association, version, end),
        signatures=common.approvals(version),
    )
