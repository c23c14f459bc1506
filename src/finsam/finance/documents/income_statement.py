"""The income statement: interim form (outcome to date against budget, previous year and forecast) and annual
form (outcome against budget with the deviation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, Period, Section, Table
from finsam.core.formatting import long_date
from finsam.core.money import json_amount
from finsam.finance import annual, statements
from finsam.finance.documents.common import dated
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


def annual_document(statement: IncomeStatement) -> Document:
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
    statement = annual.annual_income_statement(association, period.end)
    return Gathered(as_json(statement), annual_document(statement))
