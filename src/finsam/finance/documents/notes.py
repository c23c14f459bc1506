"""The notes of the annual accounts, numbered in the order the statements refer to them (`lkbr.NOTE_ORDER`):
operating income, operating costs, financial items, receivables, short-term liabilities and the audit cost.
Note 1, the accounting principles, is the annual report's narrative text."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, Period, Table
from finsam.core.money import json_amount
from finsam.finance import lkbr
from finsam.finance.documents.common import dated
from finsam.finance.lkbr import Item
from finsam.finance.statements import INCOME_SIDE, Line
from finsam.organisation.models import Association

INCOME_ITEMS = {Item.OPERATING_INCOME, Item.FINANCIAL_INCOME}
TITLES = {
    Item.OPERATING_INCOME: gettext_lazy("Verksamhetens intäkter"),
    Item.OPERATING_COSTS: gettext_lazy("Verksamhetens kostnader"),
    Item.FINANCIAL_INCOME: gettext_lazy("Finansiella intäkter"),
    Item.FINANCIAL_COSTS: gettext_lazy("Finansiella kostnader"),
    "receivables": gettext_lazy("Fordringar"),
    "liabilities": gettext_lazy("Kortfristiga skulder"),
    "audit": gettext_lazy("Kostnad för revision"),
}


def _shown(item: Item, line: Line, column: str) -> Decimal:
    """A line's amount in its note: income positive on an income item, costs positive on a cost item."""
    value = line.values[column]
    return value if (line.section in INCOME_SIDE) == (item in INCOME_ITEMS) else -value


def as_json(association: Association, date: dt.date, accounts: lkbr.Accounts) -> dict[str, Any]:
    statement = accounts.statement
    audit = accounts.audit
    return {
        "association": association.slug,
        "date": date.isoformat(),
        "numbers": {str(key): number for key, number in accounts.notes.items()},
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
            item.value: [
                {
                    "code": ln.code,
                    "name": ln.name,
                    "outcome": json_amount(_shown(item, ln, "outcome")),
                    "previous_year": json_amount(_shown(item, ln, "outcome_previous_year")),
                }
                for ln in accounts.summary.lines[item]
            ]
            for item in (Item.FINANCIAL_INCOME, Item.FINANCIAL_COSTS)
        },
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
            for kind, items in accounts.balances.items()
        },
        "audit": (
            {
                "amount": json_amount(audit.amount),
                "previous_year": json_amount(audit.previous),
                "source": audit.source,
            }
            if audit
            else None
        ),
    }


def tables(accounts: lkbr.Accounts) -> list[Table]:
    """Note 2 onwards, each titled "Not N …" with the number the statements print."""
    statement = accounts.statement
    last = statement.start - dt.timedelta(days=1)
    two = [
        Column("name", _("Belopp i kr")),
        Column("amount", statement.date.isoformat(), Kind.MONEY),
        Column("previous", last.isoformat(), Kind.MONEY),
    ]
    three = [two[0], Column("budget", _("Budget %s") % statement.start.year, Kind.MONEY), *two[1:]]

    def title(key: str) -> str:
        return _("Not %(number)d %(title)s") % {"number": accounts.notes[key], "title": str(TITLES[key])}

    def item_table(item: Item) -> Table:
        costs = item is Item.OPERATING_COSTS  # printed with its budget, as seed 001's note 3
        columns = three if costs else two
        lines = [ln for ln in accounts.summary.lines[item] if any(ln.values.values())]
        rows: list[dict[str, Cell]] = [
            {
                "name": ln.name,
                "amount": _shown(item, ln, "outcome"),
                "previous": _shown(item, ln, "outcome_previous_year"),
                **({"budget": _shown(item, ln, "budget")} if costs else {}),
            }
            for ln in lines
        ]
        sign = 1 if item in INCOME_ITEMS else -1
        values = accounts.summary.items[item]
        total: dict[str, Cell] = {
            "name": _("Summa"),
            "amount": sign * values["outcome"],
            "previous": sign * values["outcome_previous_year"],
            **({"budget": sign * values["budget"]} if costs else {}),
        }
        table = Table(title(item), columns, rows, total)
        if costs and "audit" in accounts.notes:
            table.notes.append(_("Kostnaden för revision redovisas i not %d.") % accounts.notes["audit"])
        return table

    def account_table(kind: str) -> Table:
        items = accounts.balances[kind]
        rows: list[dict[str, Cell]] = [
            {"name": n.name or str(n.account), "amount": n.amount, "previous": n.previous} for n in items
        ]
        total: dict[str, Cell] = {
            "name": _("Summa"),
            "amount": sum((n.amount for n in items), Decimal(0)),
            "previous": sum((n.previous for n in items), Decimal(0)),
        }
        return Table(title(kind), two, rows, total)

    found = [item_table(item) for item in Item if item in accounts.notes]
    found += [account_table(kind) for kind in ("receivables", "liabilities") if kind in accounts.notes]
    if accounts.audit is not None:
        audit = accounts.audit
        table = Table(
            title("audit"),
            two,
            [{"name": _("Revision"), "amount": audit.amount, "previous": audit.previous}],
        )
        table.notes.append(
            _("Kostnaden för revisionen är bokförd på konto 6420–6429 (BAS: ersättning till revisor).")
            if audit.source == "accounts"
            else _("Kostnaden för revisionen är resultaträkningens rad med koden %s.") % lkbr.AUDIT_ROW
        )
        found.append(table)
    return found


def as_document(association: Association, date: dt.date, accounts: lkbr.Accounts) -> Document:
    return dated(association.name, _("Noter"), date, tables(accounts), association.slug, "noter")


def gathered(association: Association, period: Period) -> Gathered:
    accounts = lkbr.accounts(association, period.end)
    return Gathered(
        as_json(association, period.end, accounts),
        as_document(association, period.end, accounts),
    )
