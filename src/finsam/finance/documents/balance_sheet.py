"""The balance sheet at a date beside the opening balances of its year, with the equity broken down."""

from __future__ import annotations

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
from finsam.finance import statements
from finsam.finance.documents.common import NOTE
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
        # The subtotals of LKBR ch. 6 (every asset is a current asset), beside the totals above.
        "subtotals": _subtotals(sheet.total("assets"), sheet.equity.retained, sheet.total("liabilities")),
        "subtotals_previous_year_end": _subtotals(
            sheet.total("assets", previous=True),
            sheet.equity_previous_year_end,
            sheet.total("liabilities", previous=True),
        ),
        "equity": _equity_json(sheet.equity),
        "equity_previous_year_end": _equity_json(before) if (before := sheet.equity_previous) else None,
    }


def _subtotals(assets: Decimal, equity: Decimal, liabilities: Decimal) -> dict[str, str]:
    return {
        "current_assets": json_amount(assets),
        "equity_and_liabilities": json_amount(equity + liabilities),
    }


def _equity_json(equity: Equity) -> dict[str, str]:
    return {
        "retained_earlier": json_amount(equity.retained_earlier),
        "result_for_year": json_amount(equity.result_for_year),
        "retained": json_amount(equity.retained),
    }


def as_document(sheet: BalanceSheet, notes: dict[str, str] | None = None) -> Document:
    """The balance sheet with the subtotals of LKBR ch. 6. With notes (balance row code → note number), a
    column "Not" refers each row to its note, as in the annual report."""
    columns = [
        Column("name", _("Belopp i kr")),
        *([Column(NOTE, _("Not"))] if notes is not None else []),
        Column("amount", sheet.date.isoformat(), Kind.MONEY),
        Column("previous", _("Ingående %s") % sheet.start.isoformat(), Kind.MONEY),
    ]

    def line(name: str, amount: Decimal, previous: Decimal | None, note: str = "") -> dict[str, Cell]:
        row: dict[str, Cell] = {"name": name, "amount": amount, "previous": previous}
        return row | {NOTE: note} if note else row

    def rows(section: str) -> list[dict[str, Cell]]:
        return [
            line(ln.name, ln.amount, ln.previous_year_end, (notes or {}).get(ln.code, ""))
            for ln in sheet.lines
            if ln.section == section
        ]

    # An association holds no fixed assets (it may neither invest nor borrow): every asset is current.
    assets = line(
        _("Summa omsättningstillgångar"), sheet.total("assets"), sheet.total("assets", previous=True)
    )
    before = sheet.equity_previous
    equity_rows = [
        line(
            _("Övrigt eget kapital (balanserat)"),
            sheet.equity.retained_earlier,
            before.retained_earlier if before else None,
        ),
        line(_("Årets resultat"), sheet.equity.result_for_year, before.result_for_year if before else None),
    ]
    liabilities = line(
        _("Summa skulder"), sheet.total("liabilities"), sheet.total("liabilities", previous=True)
    )
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
                        [*rows("assets"), assets],
                        assets | {"name": _("Summa tillgångar")},
                    ),
                    Table(
                        _("Eget kapital"),
                        columns,
                        equity_rows,
                        line(_("Summa eget kapital"), sheet.equity.retained, sheet.equity_previous_year_end),
                    ),
                    Table(
                        _("Skulder"),
                        columns,
                        [*rows("liabilities"), liabilities],
                        line(
                            _("Summa eget kapital och skulder"),
                            sheet.equity.retained + sheet.total("liabilities"),
                            sheet.equity_previous_year_end + sheet.total("liabilities", previous=True),
                        ),
                    ),
                ],
            )
        ],
        filename=f"balansrakning-{sheet.association.slug}-{sheet.date.isoformat()}",
    )


def gathered(association: Association, period: Period) -> Gathered:
    sheet = statements.balance_sheet(association, period.end)
    return Gathered(as_json(sheet), as_document(sheet))
