"""The business plan: the association's tasks and organisation, the year's commitments with their targets and
the budget for the year and the two after."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core.documents import Cell, Column, Document, Kind, Section, Table
from finsam.finance import statements
from finsam.finance.models import BudgetLine, StatementRow
from finsam.goals import follow_up
from finsam.organisation.models import Association
from finsam.reports.board import common
from finsam.reports.models import ReportVersion

KIND = "business-plan"
# The sections with a narrative, in the order printed.
TEXTS = ("tasks", "target_group", "organisation", "planned_work", "financial_goals")


def _budget_tables(association: Association, year: int) -> list[Table]:
    """Income and costs budgeted for the year and the two after, by statement row."""
    years = (year, year + 1, year + 2)
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

    def block(title: str, income: bool, total_label: str) -> Table:
        chosen = [r for r in rows if (r.section in statements.INCOME_SIDE) == income]
        table_rows: list[dict[str, Cell]] = [
            {"name": r.name, **{str(y): budgets.get((r.pk, y), Decimal(0)) for y in years}}
            for r in chosen
            # A row without a budget in any of the years (an intervention not yet started) is left out.
            if any(budgets.get((r.pk, y)) for y in years)
        ]
        total: dict[str, Cell] = {"name": total_label}
        for y in years:
            total[str(y)] = sum((budgets.get((r.pk, y), Decimal(0)) for r in chosen), Decimal(0))
        return Table(title, columns, table_rows, total)

    return [
        block(_("Intäkter"), True, _("Summa intäkter")),
        block(_("Kostnader"), False, _("Summa kostnader")),
    ]


def business_plan(association: Association, end: dt.date, version: ReportVersion | None = None) -> Document:
    """The plan for the year of the date, with the budget for that year and the two after."""
    year = end.year
    values = common.figures(association, dt.date(year, 1, 1), end)
    texts = common.texts(version, values, common.default_texts(KIND, TEXTS))
    goals = common.other_kind(association, "goals", dt.date(year, 1, 1), dt.date(year, 12, 31))
    chapters = [
        Section(_("Samordningsförbundets uppgifter"), html=texts.html("tasks")),
        Section(_("Målgrupp"), html=texts.html("target_group")),
        Section(_("Organisation"), html=texts.html("organisation")),
        Section(_("Verksamhet under %s") % year, html=texts.html("planned_work")),
        # A plan states its goals: the commitments with their targets, never their follow-up (seed 004 §6).
        Section(_("Mål"), tables=follow_up.plan_tables(association, year) if goals else []),
        Section(
            _("Budget %(a)s–%(b)s") % {"a": year, "b": year + 2}, tables=_budget_tables(association, year)
        ),
    ]
    sections = [
        *chapters[:5],
        Section(_("Finansiella mål"), level=3, html=texts.html("financial_goals")),
        chapters[5],
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
