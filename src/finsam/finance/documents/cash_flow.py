"""The cash-flow statement (indirect method), with the previous year beside it when there is one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, Period, Table
from finsam.core.money import json_amount
from finsam.finance import annual
from finsam.finance.documents.common import dated
from finsam.organisation.models import Association


def _amounts(flow: annual.CashFlow) -> dict[str, str]:
    return {
        "result": json_amount(flow.result),
        "receivables_change": json_amount(flow.receivables_change),
        "liabilities_change": json_amount(flow.liabilities_change),
        "operating": json_amount(flow.operating),
        "investing": "0.00",
        "financing": json_amount(flow.financing),
        "total": json_amount(flow.total),
        "cash_start": json_amount(flow.cash_start),
        "cash_end": json_amount(flow.cash_end),
        # cash_end − (cash_start + total): zero unless the data or the mapping leaves cash unexplained.
        "difference": json_amount(flow.difference),
    }


def as_json(association: Association, flow: annual.CashFlow, date: dt.date) -> dict[str, Any]:
    before = flow.previous
    return {
        "association": association.slug,
        "date": date.isoformat(),
        **_amounts(flow),
        "previous_year": (
            {"date": before.date.isoformat() if before.date else None, **_amounts(before)} if before else None
        ),
    }


def as_document(association: Association, flow: annual.CashFlow, date: dt.date) -> Document:
    flows = {"amount": flow}
    columns = [Column("name", _("Belopp i kr")), Column("amount", date.isoformat(), Kind.MONEY)]
    if flow.previous is not None:
        flows["previous"] = flow.previous
        before = flow.previous.date
        columns.append(Column("previous", before.isoformat() if before else _("Föregående år"), Kind.MONEY))

    def row(name: str, value: Callable[[annual.CashFlow], Decimal]) -> dict[str, Cell]:
        return {"name": name, **{key: value(f) for key, f in flows.items()}}

    def heading(name: str) -> dict[str, Cell]:
        return {"name": name, **dict.fromkeys(flows)}

    # The headings and lines of LKBR ch. 8 (RKR R13): an association has no depreciation or provisions to
    # adjust for, and neither invests nor borrows, so those lines are zero.
    rows: list[dict[str, Cell]] = [
        heading(_("Den löpande verksamheten")),
        row(_("Årets resultat"), lambda f: f.result),
        row(_("Justering för ej likviditetspåverkande poster"), lambda f: Decimal(0)),
        row(_("Ökning(-)/minskning(+) kortfristiga fordringar"), lambda f: f.receivables_change),
        row(_("Ökning(+)/minskning(-) kortfristiga skulder"), lambda f: f.liabilities_change),
        row(_("Kassaflöde från den löpande verksamheten"), lambda f: f.operating),
        heading(_("Investeringsverksamheten")),
        row(_("Kassaflöde från investeringsverksamheten"), lambda f: Decimal(0)),
        heading(_("Finansieringsverksamheten")),
        row(_("Kassaflöde från finansieringsverksamheten"), lambda f: f.financing),
        row(_("Årets kassaflöde"), lambda f: f.total),
        row(_("Likvida medel vid årets början"), lambda f: f.cash_start),
    ]
    unexplained = any(f.difference for f in flows.values())
    if unexplained:
        # Never hidden: cash that the flows do not explain is shown as a row of its own.
        rows.append(row(_("Ej avstämd skillnad i likvida medel"), lambda f: f.difference))
    table = Table(
        _("Kassaflödesanalys"),
        columns,
        rows,
        row(_("Likvida medel vid årets slut"), lambda f: f.cash_end),
    )
    if any(f.financing for f in flows.values()):
        table.notes.append(
            _(
                "Kassaflödet från finansieringsverksamheten är förändringen av eget kapital utöver årets "
                "resultat."
            )
        )
    if unexplained:
        table.notes.append(
            _(
                "Kassaflödet stämmer inte med förändringen av likvida medel. Kontrollera ingående "
                "balanser och vilka konton balansräkningens rader tar."
            )
        )
    return dated(
        association.name, _("Kassaflödesanalys"), date, [table], association.slug, "kassaflodesanalys"
    )


def gathered(association: Association, period: Period) -> Gathered:
    flow = annual.cash_flow(association, period.end)
    return Gathered(as_json(association, flow, period.end), as_document(association, flow, period.end))
