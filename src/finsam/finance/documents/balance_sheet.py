"""The balance sheet at a date beside the opening balances of its year, with the equity broken down."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, Period, Section, Table
from finsam.core.formatting import long_date
from finsam.core.money import json_amount
from finsam.finance import statements
from finsam.finance.statements import BalanceSheet, Equity

if TYPE_CHECKING:
    from finsam.organisation.models import Association


def as_json(sheet: BalanceSheet) -> dict[str, Any]:
    return {
        "association": sheet.association.slug,
        "date": sheet.date.isoformat(),
        "rows": [
            {
                "code": line.code,
                "name": line.name,
                "section": line.section,
                "amount": json_amount(line.amount),
                "previous_year_end": json_amount(line.previous_year_end),
                **({"accounts": line.accounts} if line.accounts else {}),
            }
            for line in sheet.lines
        ],
        "totals": {
            "assets": json_amount(sheet.total("assets")),
            "equity": json_amount(sheet.equity.retained),
            "liabilities": json_amount(sheet.total("liabilities")),
        },
        "totals_previous_year_end": {
            "assets": json_amount(sheet.total("assets", previous=True)),
            "equity": json_amount(sheet.equity_previous_year_end),
            "liabilities": json_amount(sheet.total("liabilities", previous=True)),
        },
        "equity": _equity_json(sheet.equity),
        "equity_previous_year_end": _equity_json(before) if (before := sheet.equity_previous) else None,
    }


def _equity_json(equity: Equity) -> dict[str, str]:
    return {
        "retained_earlier": json_amount(equity.retained_earlier),
        "result_for_year": json_amount(equity.result_for_year),
        "retained": json_amount(equity.retained),
    }


def as_document(sheet: BalanceSheet) -> Document:
    columns = [
        Column("name", _("Belopp i kr")),
        Column("amount", sheet.date.isoformat(), Kind.MONEY),
        Column("previous", _("Ingående %s") % sheet.start.isoformat(), Kind.MONEY),
    ]

    def rows(section: str) -> list[dict[str, Cell]]:
        return [
            {"name": ln.name, "amount": ln.amount, "previous": ln.previous_year_end}
            for ln in sheet.lines
            if ln.section == section
        ]

    assets = sheet.total("assets")
    assets_before = sheet.total("assets", previous=True)
    before = sheet.equity_previous
    equity_rows: list[dict[str, Cell]] = [
        {
            "name": _("Balanserat från föregående år"),
            "amount": sheet.equity.retained_earlier,
            "previous": before.retained_earlier if before else None,
        },
        {
            "name": _("Årets resultat"),
            "amount": sheet.equity.result_for_year,
            "previous": before.result_for_year if before else None,
        },
    ]
    liabilities = sheet.total("liabilities")
    return Document(
        title=_("Balansräkning per %s") % sheet.date.isoformat(),
        association=sheet.association.name,
        period=long_date(sheet.date),
        sections=[
            Section(
                _("Balansräkning"),
                [],
                [
                    Table(
                        _("Tillgångar"),
                        columns,
                        rows("assets"),
                        {"name": _("Summa tillgångar"), "amount": assets, "previous": assets_before},
                    ),
                    Table(
                        _("Eget kapital"),
                        columns,
                        equity_rows,
                        {
                            "name": _("Årets balanserade resultat"),
                            "amount": sheet.equity.retained,
                            "previous": sheet.equity_previous_year_end,
                        },
                    ),
                    Table(
                        _("Skulder"),
                        columns,
                        rows("liabilities"),
                        {
                            "name": _("Summa eget kapital och skulder"),
                            "amount": sheet.equity.retained + liabilities,
                            "previous": sheet.equity_previous_year_end
                            + sheet.total("liabilities", previous=True),
                        },
                    ),
                ],
            )
        ],
        filename=f"balansrakning-{sheet.association.slug}-{sheet.date.isoformat()}",
    )


def gathered(association: Association, period: Period) -> Gathered:
    sheet = statements.balance_sheet(association, period.end)
    return Gathered(as_json(sheet), as_document(sheet))
