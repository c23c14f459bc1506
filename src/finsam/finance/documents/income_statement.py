"""The income statement: interim form (outcome to date against budget, previous year and forecast) and annual
form (outcome against budget with the deviation)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from finsam.core.documents import (
    Cell,
    Column,
    Document,
    Gathered,
    Kind,
    Period,
    Section,
    Table,
)
from finsam.core.formatting import long_date
from finsam.core.money import json_amount
from finsam.finance import lkbr, statements
from finsam.finance.documents.common import NOTE, dated
from finsam.finance.lkbr import Item
from finsam.finance.statements import INCOME_SIDE, IncomeStatement

if TYPE_CHECKING:
    from finsam.organisation.models import Association


def as_json(statement: IncomeStatement) -> dict[str, Any]:
    return {
        "association": statement.association.slug,
        "date": statement.date.isoformat(),
        "from": statement.start.isoformat(),
        "columns": list(statement.columns),
        "rows": [
            {
                "code": line.code,
                "name": line.name,
                "section": line.section,
                **({"category": line.category} if line.category else {}),
                **({"accounts": line.accounts} if line.accounts else {}),
                **{c: json_amount(line.values[c]) for c in statement.columns},
            }
            for line in statement.lines
        ],
        "totals": {
            kind: {c: json_amount(v) for c, v in values.items()} for kind, values in statement.totals.items()
        },
    }


def as_document(statement: IncomeStatement) -> Document:
    year = statement.start.year
    labels = {
        "outcome_previous_year": _("Utfall %s") % (year - 1),
        "budget": _("Budget %s") % year,
        "outcome_to_date": _("Utfall %s") % statement.date.isoformat(),
        "forecast": _("Helårsprognos %s") % year,
    }
    columns = [Column("name", _("Belopp i kr"))] + [
        Column(c, labels[c], Kind.MONEY) for c in statement.columns
    ]
    totals = statement.totals

    def block(title: str, side: bool) -> Table:
        # A row with nothing in any column (an intervention of other years) is left out of the printed table.
        rows: list[dict[str, Cell]] = [
            {"name": ln.name, **ln.values}
            for ln in statement.lines
            if (ln.section in INCOME_SIDE) == side and any(ln.values.values())
        ]
        key = "income" if side else "costs"
        total: dict[str, Cell] = {
            "name": _("Summa intäkter") if side else _("Summa kostnader"),
            **totals[key],
        }
        return Table(title, columns, rows, total)

    result = Table(
        _("Periodens resultat"), columns, [], {"name": _("Periodens resultat"), **totals["result"]}
    )
    notes = [
        _("Ej fördelat: konton %s") % ", ".join(map(str, ln.accounts))
        for ln in statement.lines
        if ln.accounts
    ]
    result.notes = notes
    return Document(
        title=_("Resultaträkning per %s") % statement.date.isoformat(),
        association=statement.association.name,
        period=_("%(start)s – %(end)s")
        % {"start": long_date(statement.start), "end": long_date(statement.date)},
        sections=[
            Section(
                _("Resultaträkning"),
                [],
                [block(_("Intäkter"), True), block(_("Kostnader"), False), result],
            )
        ],
        filename=f"resultatrakning-{statement.association.slug}-{statement.date.isoformat()}",
    )


def summary_json(summary: lkbr.Summary) -> dict[str, dict[str, str]]:
    """The LKBR summary by line, each with budget, outcome and last year (income positive, costs negative)."""
    lines = {item.value: summary.items[item] for item in Item}
    for key, value in (
        ("net_cost", summary.net_cost),
        ("result_after_financial_items", summary.result),
        ("result", summary.result),
    ):
        lines[key] = {c: value(c) for c in lkbr.COLUMNS}
    return {key: {c: json_amount(v) for c, v in values.items()} for key, values in lines.items()}


def summary_table(accounts: lkbr.Accounts) -> Table:
    """Resultaträkning in the layout of LKBR ch. 5, with the note each line refers to."""
    summary, year = accounts.summary, accounts.statement.start.year
    last_end = accounts.statement.start - dt.timedelta(days=1)
    columns = [
        Column("name", _("Belopp i kr")),
        Column(NOTE, _("Not")),
        Column("budget", _("Budget %s") % year, Kind.MONEY),
        Column("outcome", accounts.statement.date.isoformat(), Kind.MONEY),
        Column("outcome_previous_year", last_end.isoformat(), Kind.MONEY),
    ]

    def line(name: str, value: Callable[[str], Decimal], note: str = "") -> dict[str, Cell]:
        return {"name": name, NOTE: note, **{c: value(c) for c in lkbr.COLUMNS}}

    def item(name: str, key: Item) -> dict[str, Cell]:
        return line(name, lambda c: summary.value(key, c), accounts.note(key))

    rows = [
        item(_("Verksamhetens intäkter"), Item.OPERATING_INCOME),
        item(_("Verksamhetens kostnader"), Item.OPERATING_COSTS),
        line(_("Verksamhetens nettokostnad"), summary.net_cost),
        item(_("Finansiella intäkter"), Item.FINANCIAL_INCOME),
        item(_("Finansiella kostnader"), Item.FINANCIAL_COSTS),
        line(_("Resultat efter finansiella poster"), summary.result),
    ]
    return Table(_("Resultaträkning"), columns, rows, line(_("Årets resultat"), summary.result))


def annual_document(accounts: lkbr.Accounts) -> Document:
    statement = accounts.statement
    year = statement.start.year
    columns = [
        Column("name", _("Belopp i kr")),
        Column("budget", _("Budget %s") % year, Kind.MONEY),
        Column("outcome", str(statement.date.isoformat()), Kind.MONEY),
        Column("outcome_previous_year", _("Föregående år"), Kind.MONEY),
        Column("deviation", _("Avvikelse mot budget"), Kind.MONEY),
    ]
    totals = statement.totals

    def block(title: str, side: bool, key: str, label: str) -> Table:
        # A row with nothing in any column (an intervention of other years) is left out of the printed table.
        rows: list[dict[str, Cell]] = [
            {"name": ln.name, **ln.values}
            for ln in statement.lines
            if (ln.section in INCOME_SIDE) == side and any(ln.values.values())
        ]
        return Table(title, columns, rows, {"name": label, **totals[key]})

    result = Table(_("Årets resultat"), columns, [], {"name": _("Årets resultat"), **totals["result"]})
    return dated(
        statement.association.name,
        _("Resultaträkning"),
        statement.date,
        [
            summary_table(accounts),
            block(_("Intäkter"), True, "income", _("Summa intäkter")),
            block(_("Kostnader"), False, "costs", _("Summa kostnader")),
            result,
        ],
        statement.association.slug,
        "resultatrakning-helar",
    )


def gathered(association: Association, period: Period) -> Gathered:
    statement = statements.income_statement(association, period.end)
    return Gathered(as_json(statement), as_document(statement))


def gathered_annual(association: Association, period: Period) -> Gathered:
    """The LKBR summary first, then the statement row by row against budget."""
    accounts = lkbr.accounts(association, period.end)
    data = as_json(accounts.statement) | {"summary": summary_json(accounts.summary)}
    return Gathered(data, annual_document(accounts))
