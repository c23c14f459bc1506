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
from finsam.core.formatting import kronor, long_date
from finsam.core.money import json_amount
from finsam.finance import interim, statements
from finsam.finance.documents.common import NOTE
from finsam.finance.interim import ACCRUED_COSTS, ACCRUED_INCOME, PREPAID_COSTS, PREPAID_INCOME, Interim
from finsam.finance.statements import BalanceSheet, Equity

if TYPE_CHECKING:
    from finsam.organisation.models import Association


def as_json(sheet: BalanceSheet, interim: Interim | None = None) -> dict[str, Any]:
    """The public JSON (docs/finance.md); with the interim figures, `interim` beside the booked totals."""
    data = {
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
    return data | {"interim": _interim_json(sheet, interim)} if interim else data


def _interim_json(sheet: BalanceSheet, interim: Interim) -> dict[str, Any]:
    """The accruals as balance lines with the equity they give, and the equity at the year's end as forecast
    (none at the year's end)."""
    return {
        "accruals": [
            {"code": code, "section": section, "amount": json_amount(amount)}
            for code, section, amount in _accruals(interim)
        ],
        "equity": _equity_json(_accrued_equity(sheet, interim)),
        "forecast": (
            _equity_json(Equity(interim.opening_equity, interim.forecast_result)) if interim.accrues else None
        ),
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


# The computed equity lines, by the code a footnote to them is written under (they are no statement rows).
EQUITY_RETAINED_EARLIER = "EK_BALANSERAT"
EQUITY_RESULT = "EK_ARETS_RESULTAT"
EQUITY_TOTAL = "EK_SUMMA"


def equity_labels() -> dict[str, str]:
    return {
        EQUITY_RETAINED_EARLIER: _("Övrigt eget kapital (balanserat)"),
        EQUITY_RESULT: _("Årets resultat"),
        EQUITY_TOTAL: _("Summa eget kapital"),
    }


def accrual_labels() -> dict[str, str]:
    return {
        ACCRUED_INCOME: _("Upplupna intäkter (periodisering)"),
        PREPAID_COSTS: _("Förutbetalda kostnader (periodisering)"),
        PREPAID_INCOME: _("Förutbetalda intäkter (periodisering)"),
        ACCRUED_COSTS: _("Upplupna kostnader (periodisering)"),
    }


def as_document(
    sheet: BalanceSheet, notes: dict[str, str] | None = None, interim: Interim | None = None
) -> Document:
    """The balance sheet with the subtotals of LKBR ch. 6. With notes (balance row code → note number), a
    column "Not" refers each row to its note, as in the annual report. With the interim figures, the
    period's accruals are lines of their own, the year's result is the accrued one, and a column gives the
    equity at the year's end as forecast."""
    forecast_end = interim.year_end if interim and interim.accrues else None
    columns = [
        Column("name", _("Belopp i kr")),
        *([Column(NOTE, _("Not"))] if notes is not None else []),
        Column("amount", sheet.date.isoformat(), Kind.MONEY),
        Column("previous", _("Ingående %s") % sheet.start.isoformat(), Kind.MONEY),
        *(
            [Column("forecast", _("Prognos %s") % forecast_end.isoformat(), Kind.MONEY)]
            if forecast_end
            else []
        ),
    ]
    accruals = _accruals(interim)
    labels = equity_labels()

    def line(name: str, amount: Decimal, previous: Decimal | None, note: str = "") -> dict[str, Cell]:
        row: dict[str, Cell] = {"name": name, "amount": amount, "previous": previous}
        return row | {NOTE: note} if note else row

    def rows(section: str) -> list[dict[str, Cell]]:
        booked = [
            line(ln.name, ln.amount, ln.previous_year_end, (notes or {}).get(ln.code, ""))
            for ln in sheet.lines
            if ln.section == section
        ]
        accrued = [
            line(accrual_labels()[code], amount, None) for code, side, amount in accruals if side == section
        ]
        return booked + accrued

    def total(section: str) -> Decimal:
        return sheet.total(section) + sum((a for _code, side, a in accruals if side == section), Decimal(0))

    # An association holds no fixed assets (it may neither invest nor borrow): every asset is current.
    assets = line(_("Summa omsättningstillgångar"), total("assets"), sheet.total("assets", previous=True))
    before = sheet.equity_previous
    accrued = _accrued_equity(sheet, interim)
    result, equity = accrued.result_for_year, accrued.retained
    equity_rows = [
        line(
            labels[EQUITY_RETAINED_EARLIER],
            sheet.equity.retained_earlier,
            before.retained_earlier if before else None,
        ),
        line(labels[EQUITY_RESULT], result, before.result_for_year if before else None),
    ]
    equity_total = line(labels[EQUITY_TOTAL], equity, sheet.equity_previous_year_end)
    if forecast_end and interim:
        for row, value in zip(
            [*equity_rows, equity_total],
            [interim.opening_equity, interim.forecast_result, interim.forecast_equity],
            strict=True,
        ):
            row["forecast"] = value
    liabilities = line(_("Summa skulder"), total("liabilities"), sheet.total("liabilities", previous=True))
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
                    Table(_("Eget kapital"), columns, equity_rows, equity_total),
                    Table(
                        _("Skulder"),
                        columns,
                        [*rows("liabilities"), liabilities],
                        line(
                            _("Summa eget kapital och skulder"),
                            equity + total("liabilities"),
                            sheet.equity_previous_year_end + sheet.total("liabilities", previous=True),
                        ),
                        _accrual_notes(sheet, interim) if accruals and interim else [],
                    ),
                ],
            )
        ],
        filename=f"balansrakning-{sheet.association.slug}-{sheet.date.isoformat()}",
    )


def _accruals(interim: Interim | None) -> list[tuple[str, str, Decimal]]:
    return interim.balance_lines() if interim and interim.accrues else []


def _accrued_equity(sheet: BalanceSheet, interim: Interim | None) -> Equity:
    """The equity with the year's result accrued to the period (as booked when nothing is accrued)."""
    adjustment = interim.result_adjustment if interim and interim.accrues else Decimal(0)
    return Equity(sheet.equity.retained_earlier, sheet.equity.result_for_year + adjustment)


def _accrual_notes(sheet: BalanceSheet, interim: Interim) -> list[str]:
    return [
        _(
            "Periodiseringarna är beräknade, inte bokförda: de skiljer ut den del av årets belopp som inte "
            "hör till perioden (se resultaträkningen). Utan dem är årets resultat %(result)s kr och eget "
            "kapital %(equity)s kr, som bokföringen visar."
        )
        % {"result": kronor(sheet.equity.result_for_year), "equity": kronor(sheet.equity.retained)}
    ]


def gathered(association: Association, period: Period) -> Gathered:
    sheet = statements.balance_sheet(association, period.end)
    figures = interim.of(statements.income_statement(association, period.end))
    return Gathered(as_json(sheet, figures), as_document(sheet, interim=figures))
