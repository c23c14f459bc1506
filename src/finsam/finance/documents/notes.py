"""The notes of the annual accounts: income, costs, receivables and short-term liabilities."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, Period, Table
from finsam.core.money import json_amount
from finsam.finance import annual
from finsam.finance.documents.common import dated
from finsam.finance.statements import INCOME_SIDE, IncomeStatement
from finsam.organisation.models import Association


def as_json(
    association: Association,
    date: dt.date,
    statement: IncomeStatement,
    notes: dict[str, list[annual.AccountNote]],
) -> dict[str, Any]:
    return {
        "association": association.slug,
        "date": date.isoformat(),
        "income": [
            {
                "code": ln.code,
                "name": ln.name,
                "outcome": json_amount(ln.values["outcome"]),
                "previous_year": json_amount(ln.values["outcome_previous_year"]),
            }
            for ln in statement.lines
            if ln.section in INCOME_SIDE
        ],
        "costs": [
            {
                "code": ln.code,
                "name": ln.name,
                "budget": json_amount(ln.values["budget"]),
                "outcome": json_amount(ln.values["outcome"]),
                "previous_year": json_amount(ln.values["outcome_previous_year"]),
            }
            for ln in statement.lines
            if ln.section not in INCOME_SIDE
        ],
        **{
            kind: [
                {
                    "account": n.account,
                    "name": n.name,
                    "amount": json_amount(n.amount),
                    "previous_year_end": json_amount(n.previous),
                }
                for n in items
            ]
            for kind, items in notes.items()
        },
    }


def as_document(
    association: Association,
    date: dt.date,
    statement: IncomeStatement,
    notes: dict[str, list[annual.AccountNote]],
) -> Document:
    this, last = date.isoformat(), statement.start.replace(day=1) - dt.timedelta(days=1)
    two = [
        Column("name", _("Belopp i kr")),
        Column("amount", this, Kind.MONEY),
        Column("previous", last.isoformat(), Kind.MONEY),
    ]
    income_rows: list[dict[str, Cell]] = [
        {"name": ln.name, "amount": ln.values["outcome"], "previous": ln.values["outcome_previous_year"]}
        for ln in statement.lines
        if ln.section in INCOME_SIDE
    ]
    totals = statement.totals
    income = Table(
        _("Not 2 Verksamhetens intäkter"),
        two,
        income_rows,
        {
            "name": _("Summa"),
            "amount": totals["income"]["outcome"],
            "previous": totals["income"]["outcome_previous_year"],
        },
    )
    three = [two[0], Column("budget", _("Budget %s") % statement.start.year, Kind.MONEY), *two[1:]]
    cost_rows: list[dict[str, Cell]] = [
        {
            "name": ln.name,
            "budget": ln.values["budget"],
            "amount": ln.values["outcome"],
            "previous": ln.values["outcome_previous_year"],
        }
        for ln in statement.lines
        if ln.section not in INCOME_SIDE
    ]
    costs = Table(
        _("Not 3 Verksamhetens kostnader"),
        three,
        cost_rows,
        {
            "name": _("Totalt"),
            "budget": totals["costs"]["budget"],
            "amount": totals["costs"]["outcome"],
            "previous": totals["costs"]["outcome_previous_year"],
        },
    )

    def accounts(title: str, items: list[annual.AccountNote]) -> Table:
        rows: list[dict[str, Cell]] = [
            {"name": n.name or str(n.account), "amount": n.amount, "previous": n.previous} for n in items
        ]
        total: dict[str, Cell] = {
            "name": _("Summa"),
            "amount": sum((n.amount for n in items), Decimal(0)),
            "previous": sum((n.previous for n in items), Decimal(0)),
        }
        return Table(title, two, rows, total)

    tables = [
        income,
        costs,
        accounts(_("Not 4 Fordringar"), notes["receivables"]),
        accounts(_("Not 5 Kortfristiga skulder"), notes["liabilities"]),
    ]
    return dated(association.name, _("Noter"), date, tables, association.slug, "noter")


def gathered(association: Association, period: Period) -> Gathered:
    statement = annual.annual_income_statement(association, period.end)
    notes = annual.balance_notes(association, period.end)
    return Gathered(
        as_json(association, period.end, statement, notes),
        as_document(association, period.end, statement, notes),
    )
