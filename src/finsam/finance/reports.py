"""The statements as report JSON (INTERFACES.md) and as documents for HTML, PDF, DOCX and XLSX."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from finsam.core.formatting import long_date
from finsam.core.money import json_amount
from finsam.finance.statements import INCOME_SIDE, BalanceSheet, IncomeStatement
from finsam.reports.document import Cell, Column, Document, Kind, Section, Table


def income_statement_json(statement: IncomeStatement) -> dict[str, Any]:
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


def income_statement_document(statement: IncomeStatement) -> Document:
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
        rows: list[dict[str, Cell]] = [
            {"name": ln.name, **ln.values} for ln in statement.lines if (ln.section in INCOME_SIDE) == side
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


def balance_sheet_json(sheet: BalanceSheet) -> dict[str, Any]:
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
        "equity": {
            "retained_earlier": json_amount(sheet.equity.retained_earlier),
            "result_for_year": json_amount(sheet.equity.result_for_year),
            "retained": json_amount(sheet.equity.retained),
        },
    }


def balance_sheet_document(sheet: BalanceSheet) -> Document:
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
    equity_rows: list[dict[str, Cell]] = [
        {"name": _("Balanserat från föregående år"), "amount": sheet.equity.retained_earlier},
        {"name": _("Årets resultat"), "amount": sheet.equity.result_for_year},
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
