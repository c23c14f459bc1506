"""The operating statement (driftredovisning, LKBR ch. 10): net cost, member fees, result, equity and cash
against budget and last year, and the statement row by row signed the same way."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, Period, Table
from finsam.core.money import json_amount
from finsam.finance import annual
from finsam.finance.documents.common import dated
from finsam.finance.models import StatementRow
from finsam.finance.statements import INCOME_SIDE, IncomeStatement
from finsam.organisation.models import Association


def as_json(association: Association, op: annual.OperatingStatement, date: dt.date) -> dict[str, Any]:
    """Net cost and member fees as positive amounts with the deviation positive where the outcome is better
    than budget; the printed statement signs the net cost negative, so that there its deviation is outcome −
    budget."""

    def triple(values: tuple[Decimal, Decimal, Decimal], better: Decimal) -> dict[str, str]:
        return {
            "outcome": json_amount(values[0]),
            "budget": json_amount(values[1]),
            "deviation": json_amount(better),
            "previous_year": json_amount(values[2]),
        }

    return {
        "association": association.slug,
        "date": date.isoformat(),
        "net_cost": triple(op.net_cost, op.net_cost[1] - op.net_cost[0]),
        "member_fees": triple(op.member_fees, op.member_fees[0] - op.member_fees[1]),
        "result": {
            "outcome": json_amount(op.result[0]),
            "previous_year": json_amount(op.result[1]),
            "budget": json_amount(op.result_budget),
            "deviation": json_amount(op.result[0] - op.result_budget),
        },
        "equity": {"outcome": json_amount(op.equity[0]), "previous_year": json_amount(op.equity[1])},
        "cash": {"outcome": json_amount(op.cash[0]), "previous_year": json_amount(op.cash[1])},
    }


DEVIATION = gettext_lazy("Avvikelse utfall − budget")


def table(op: annual.OperatingStatement, date: dt.date) -> Table:
    """Driftredovisning (LKBR ch. 10) as seed 001 prints it, but signed as the result sees it: the net cost
    negative, so that every deviation is the outcome less the budget, positive where the outcome is better."""
    year = date.year
    columns = [
        Column("name", _("Belopp i kr")),
        Column("outcome", _("Utfall %s") % year, Kind.MONEY),
        Column("budget", _("Aktuell budget %s") % year, Kind.MONEY),
        Column("deviation", str(DEVIATION), Kind.MONEY),
        Column("previous", _("Bokslut %s") % (year - 1), Kind.MONEY),
    ]

    def line(name: str, outcome: Decimal, budget: Decimal, previous: Decimal) -> dict[str, Cell]:
        return {
            "name": name,
            "outcome": outcome,
            "budget": budget,
            "deviation": outcome - budget,
            "previous": previous,
        }

    net_cost = [-value for value in op.net_cost]
    rows: list[dict[str, Cell]] = [
        line(_("Verksamhetens nettokostnad"), *net_cost),
        line(_("Medlemsbidrag och övriga intäkter"), *op.member_fees),
        line(_("Årets resultat"), op.result[0], op.result_budget, op.result[1]),
        {"name": _("Utgående eget kapital"), "outcome": op.equity[0], "previous": op.equity[1]},
        {"name": _("Likvida medel"), "outcome": op.cash[0], "previous": op.cash[1]},
    ]
    return Table(_("Driftredovisning"), columns, rows)


def rows_table(statement: IncomeStatement) -> Table:
    """The annual statement row by row (`annual.annual_income_statement`), signed as `table`: income positive,
    costs negative, the deviation the outcome less the budget."""
    year = statement.start.year
    columns = [
        Column("name", _("Belopp i kr")),
        Column("outcome", _("Utfall %s") % year, Kind.MONEY),
        Column("budget", _("Budget %s") % year, Kind.MONEY),
        Column("deviation", str(DEVIATION), Kind.MONEY),
        Column("previous", _("Utfall %s") % (year - 1), Kind.MONEY),
    ]

    def signed(section: str, values: dict[str, Decimal]) -> dict[str, Cell]:
        sign = 1 if section in INCOME_SIDE else -1
        outcome, budget = sign * values["outcome"], sign * values["budget"]
        return {
            "outcome": outcome,
            "budget": budget,
            "deviation": outcome - budget,
            "previous": sign * values["outcome_previous_year"],
        }

    # A row with nothing in any column (an intervention of other years) is left out, as in the statement.
    rows: list[dict[str, Cell]] = [
        {"name": ln.name, **signed(ln.section, ln.values)}
        for ln in statement.lines
        if any(ln.values.values())
    ]
    result = statement.totals["result"]
    total = {"name": _("Årets resultat"), **signed(StatementRow.Section.INCOME, result)}
    return Table(_("Driftredovisning per verksamhet"), columns, rows, total)


def as_document(association: Association, op: annual.OperatingStatement, date: dt.date) -> Document:
    return dated(
        association.name, _("Driftredovisning"), date, [table(op, date)], association.slug, "driftredovisning"
    )


def gathered(association: Association, period: Period) -> Gathered:
    statement = annual.operating_statement(association, period.end)
    return Gathered(
        as_json(association, statement, period.end), as_document(association, statement, period.end)
    )
