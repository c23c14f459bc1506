"""The invoice basis of the office costs shared with partners, by the association's cost-sharing rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, Period, Section, Table
from finsam.core.formatting import long_date
from finsam.core.money import json_amount
from finsam.finance import annual
from finsam.organisation.models import Association


def as_json(
    association: Association, start: dt.date, end: dt.date, basis: list[annual.SharedCost]
) -> dict[str, Any]:
    return {
        "association": association.slug,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "rows": [
            {
                "partner": b.rule.partner,
                "description": b.rule.description,
                "accounts": b.rule.accounts,
                "object": b.rule.object,
                "share": f"{b.rule.share:.4f}",
                "cost": json_amount(b.cost),
                "invoiced": json_amount(b.invoiced),
            }
            for b in basis
        ],
        "total_invoiced": json_amount(sum((b.invoiced for b in basis), Decimal(0))),
    }


def as_document(
    association: Association, start: dt.date, end: dt.date, basis: list[annual.SharedCost]
) -> Document:
    columns = [
        Column("partner", _("Faktureras")),
        Column("description", _("Avser")),
        Column("cost", _("Kostnad"), Kind.MONEY),
        Column("share", _("Andel"), Kind.SHARE),
        Column("invoiced", _("Att fakturera"), Kind.MONEY),
    ]
    rows: list[dict[str, Cell]] = [
        {
            "partner": b.rule.partner,
            "description": b.rule.description,
            "cost": b.cost,
            "share": b.rule.share,
            "invoiced": b.invoiced,
        }
        for b in basis
    ]
    total: dict[str, Cell] = {"partner": _("Summa"), "invoiced": sum((b.invoiced for b in basis), Decimal(0))}
    table = Table(_("Fakturaunderlag för delade kostnader"), columns, rows, total)
    return Document(
        title=_("Delade kostnader"),
        association=association.name,
        period=f"{long_date(start)} – {long_date(end)}",
        sections=[Section(_("Fakturaunderlag"), [], [table])],
        filename=f"delade-kostnader-{association.slug}-{start.isoformat()}-{end.isoformat()}",
    )


def gathered(association: Association, period: Period) -> Gathered:
    basis = annual.shared_costs(association, period.start, period.end)
    return Gathered(
        as_json(association, period.start, period.end, basis),
        as_document(association, period.start, period.end, basis),
    )
