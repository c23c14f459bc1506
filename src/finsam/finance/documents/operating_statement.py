"""The operating statement: net cost, member fees, result, equity and cash against budget and last year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, Period, Table
from finsam.core.money import json_amount
from finsam.finance import annual
from finsam.finance.documents.common import dated
from finsam.organisation.models import Association


def as_json(association: Association, op: annual.OperatingStatement, date: dt.date) -> dict[str, Any]:
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
        "result": {"outcome": json_amount(op.result[0]), "previous_year": json_amount(op.result[1])},
        "equity": {"outcome": json_amount(op.equity[0]), "previous_year": json_amount(op.equity[1])},
        "cash": {"outcome": json_amount(op.cash[0]), "previous_year": json_amount(op.cash[1])},
    }


def as_document(association: Association, op: annual.OperatingStatement, date: dt.date) -> Document:
    year = date.year
    columns = [
        Column("name", _("Belopp i kr")),
        Column("outcome", _("Utfall %s") % year, Kind.MONEY),
        Column("budget", _("Aktuell budget %s") % year, Kind.MONEY),
        Column("deviation", _("Avvikelse utfall – budget"), Kind.MONEY),
        Column("previous", _("Bokslut %s") % (year - 1), Kind.MONEY),
    ]
    rows: list[dict[str, Cell]] = [
        {
            "name": _("Nettokostnad"),
            "outcome": op.net_cost[0],
            "budget": op.net_cost[1],
            "deviation": op.net_cost[1] - op.net_cost[0],
            "previous": op.net_cost[2],
        },
        {
            "name": _("Medlemsbidrag och övriga intäkter"),
            "outcome": op.member_fees[0],
            "budget": op.member_fees[1],
            "deviation": op.member_fees[0] - op.member_fees[1],
            "previous": op.member_fees[2],
        },
        {"name": _("Resultat"), "outcome": op.result[0], "previous": op.result[1]},
        {"name": _("Utgående eget kapital"), "outcome": op.equity[0], "previous": op.equity[1]},
        {"name": _("Likvida medel"), "outcome": op.cash[0], "previous": op.cash[1]},
    ]
    table = Table(_("Driftsredovisning"), columns, rows)
    return dated(
        association.name, _("Driftsredovisning"), date, [table], association.slug, "driftsredovisning"
    )


def gathered(association: Association, period: Period) -> Gathered:
    statement = annual.operating_statement(association, period.end)
    return Gathered(
        as_json(association, statement, period.end), as_document(association, statement, period.end)
    )
