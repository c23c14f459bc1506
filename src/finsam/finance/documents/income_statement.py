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
from finsam.core.formatting import join_words, kronor, long_date
from finsam.core.money import json_amount
from finsam.finance import interim, lkbr, statements
from finsam.finance.documents.common import NOTE, dated
from finsam.finance.interim import CONTRIBUTION, PLANNED, YEARLY, Interim
from finsam.finance.lkbr import Item
from finsam.finance.statements import COST_SIDE, INCOME_SIDE, IncomeStatement

if TYPE_CHECKING:
    from finsam.organisation.models import Association


def as_json(statement: IncomeStatement, interim: Interim | None = None) -> dict[str, Any]:
    """The public JSON (docs/finance.md); with the interim figures, `interim` beside the booked totals."""
    data = {
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
        "totals": _totals_json(statement.totals),
    }
    return data | {"interim": interim_json(interim)} if interim else data


def _totals_json(totals: dict[str, dict[str, Decimal]]) -> dict[str, dict[str, str]]:
    return {kind: {c: json_amount(v) for c, v in values.items()} for kind, values in totals.items()}


def interim_json(interim: Interim) -> dict[str, Any]:
    """The period's own figures: accruals, the use of retained equity, and the year's forecast."""
    return {
        "share_of_year": {
            "elapsed": interim.share.elapsed,
            "of": interim.share.of,
            "unit": "months" if interim.share.months else "days",
        },
        "contribution_decision": (
            {
                "amount": json_amount(interim.decision.amount),
                "decided_on": interim.decision.decided_on.isoformat()
                if interim.decision.decided_on
                else None,
            }
            if interim.decision
            else None
        ),
        "accruals": [
            {
                "code": a.code,
                "basis": a.basis,
                "yearly": json_amount(a.yearly),
                "booked": json_amount(a.booked),
                "accrued": json_amount(a.accrued),
                "adjustment": json_amount(a.adjustment),
            }
            for a in interim.accruals
        ],
        "booked_result": json_amount(interim.booked_result),
        "use_of_equity": {
            "rows": interim.equity_use_rows,
            **{c: json_amount(v) for c, v in interim.equity_use.items()},
        },
        "totals": _totals_json(interim.totals),
        "forecast": {
            "result": json_amount(interim.forecast_result),
            "balance_requirement_result": json_amount(interim.forecast_result),
            "opening_equity": json_amount(interim.opening_equity),
            "equity_at_year_end": json_amount(interim.forecast_equity),
            "planned_equity_at_year_end": json_amount(interim.planned_equity),
        },
    }


def as_document(statement: IncomeStatement, interim: Interim | None = None) -> Document:
    """The interim form. With the interim figures, the outcome to date is accrued on lines of its own and the
    planned use of retained equity is taken out of the income, on its own line under the result; notes under
    the result say so in words, with the result as booked."""
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
    totals = interim.totals if interim else statement.totals
    equity_rows = set(interim.equity_use_rows) if interim else set()

    def row(line: statements.Line) -> dict[str, Cell]:
        planned_elsewhere = dict.fromkeys(PLANNED) if line.code in equity_rows else {}
        return {"name": line.name, **line.values, **planned_elsewhere}

    def block(title: str, side: bool) -> Table:
        # A row with nothing in any column (an intervention of other years) is left out of the printed table.
        rows: list[dict[str, Cell]] = [
            row(ln)
            for ln in statement.lines
            if (ln.section in INCOME_SIDE) == side and any(ln.values.values())
        ]
        rows += _accrual_rows(interim, INCOME_SIDE if side else COST_SIDE) if interim else []
        key = "income" if side else "costs"
        total: dict[str, Cell] = {
            "name": _("Summa intäkter") if side else _("Summa kostnader"),
            **totals[key],
        }
        return Table(title, columns, rows, total)

    result_label = (
        _("Periodens resultat före användning av eget kapital") if equity_rows else _("Periodens resultat")
    )
    result = Table(_("Periodens resultat"), columns, [], {"name": result_label, **totals["result"]})
    tables = [block(_("Intäkter"), True), block(_("Kostnader"), False), result]
    if equity_rows and interim:
        use: dict[str, Cell] = {"name": _("Planerad användning av eget kapital från tidigare år")}
        use.update(interim.equity_use)
        tables.append(Table(_("Användning av eget kapital"), columns, [use]))
    tables[-1].notes = [
        *(interim_notes(interim) if interim else []),
        *(
            _("Ej fördelat: konton %s") % ", ".join(map(str, ln.accounts))
            for ln in statement.lines
            if ln.accounts
        ),
    ]
    return Document(
        title=_("Resultaträkning per %s") % statement.date.isoformat(),
        association=statement.association.name,
        period=_("%(start)s – %(end)s")
        % {"start": long_date(statement.start), "end": long_date(statement.date)},
        sections=[Section(_("Resultaträkning"), [], tables)],
        filename=f"resultatrakning-{statement.association.slug}-{statement.date.isoformat()}",
    )


def _accrual_rows(interim: Interim, side: set[str]) -> list[dict[str, Cell]]:
    labels = {
        (True, CONTRIBUTION): _("Periodisering av medlemsbidrag"),
        (True, YEARLY): _("Periodisering av kända årsintäkter"),
        (False, CONTRIBUTION): _("Periodisering av medlemsbidrag"),
        (False, YEARLY): _("Periodisering av kända årskostnader"),
    }
    rows: list[dict[str, Cell]] = []
    for basis in (CONTRIBUTION, YEARLY):
        if amount := interim.adjustment(side, basis):
            rows.append({"name": labels[(side is INCOME_SIDE, basis)], "outcome_to_date": amount})
    return rows


def interim_notes(interim: Interim) -> list[str]:
    """The accruals and the use of retained equity in words, with the result as the ledger holds it."""
    share = (
        _("%(n)s av årets %(of)s månader") if interim.share.months else _("%(n)s av årets %(of)s dagar")
    ) % {"n": interim.share.elapsed, "of": interim.share.of}
    notes = []
    members = [a for a in interim.accruals if a.basis == CONTRIBUTION]
    if members and interim.decision:
        yearly = sum((a.yearly for a in members), Decimal(0))
        notes.append(
            _(
                "Medlemsbidragen är periodiserade: av årets bidrag enligt beslutet %(decided)s, "
                "%(yearly)s kr, hör %(share)s till perioden, %(accrued)s kr. Bokfört är %(booked)s kr; "
                "skillnaden, %(adjustment)s kr, står på raden Periodisering av medlemsbidrag."
            )
            % {
                "decided": interim.decision.decided_on.isoformat() if interim.decision.decided_on else "",
                "yearly": kronor(yearly),
                "share": share,
                "accrued": kronor(sum((a.accrued for a in members), Decimal(0))),
                "booked": kronor(sum((a.booked for a in members), Decimal(0))),
                "adjustment": kronor(interim.adjustment(INCOME_SIDE, CONTRIBUTION)),
            }
        )
    elif interim.accrues and interim.decision is None:
        notes.append(
            _(
                "Medlemsbidragen är inte periodiserade: inget beslut om medlemsbidrag för %s finns "
                "registrerat."
            )
            % interim.statement.start.year
        )
    yearly_rows = [a for a in interim.accruals if a.basis == YEARLY]
    if yearly_rows:
        notes.append(
            _(
                "Kända årsbelopp (%(rows)s) är periodiserade: %(share)s av helårsprognosen, %(accrued)s kr, "
                "mot bokförda %(booked)s kr."
            )
            % {
                "rows": join_words([a.name for a in yearly_rows]),
                "share": share,
                "accrued": kronor(sum((a.accrued for a in yearly_rows), Decimal(0))),
                "booked": kronor(sum((a.booked for a in yearly_rows), Decimal(0))),
            }
        )
    if interim.result_adjustment:
        notes.append(
            _(
                "Periodens resultat efter periodisering är %(accrued)s kr. Bokfört resultat, före "
                "periodisering, är %(booked)s kr: det räknar hela årets bokförda belopp till perioden."
            )
            % {
                "accrued": kronor(interim.totals["result"]["outcome_to_date"]),
                "booked": kronor(interim.booked_result),
            }
        )
    if interim.equity_use_rows and interim.equity_use["budget"]:
        budget = interim.totals["result"]["budget"]
        notes.append(
            _(
                "Budgeten tar %(use)s kr av eget kapital från tidigare år i anspråk. Det är ingen intäkt: "
                "budgeterat resultat är %(result)s kr, och %(planned)s kr är vad budgeten räknar med att ha "
                "kvar av det egna kapitalet vid årets slut."
            )
            % {
                "use": kronor(interim.equity_use["budget"]),
                "result": kronor(budget),
                "planned": kronor(interim.planned_equity),
            }
        )
    return notes


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
    figures = interim.of(statement)
    return Gathered(as_json(statement, figures), as_document(statement, figures))


def gathered_annual(association: Association, period: Period) -> Gathered:
    """The LKBR summary first, then the statement row by row against budget."""
    accounts = lkbr.accounts(association, period.end)
    data = as_json(accounts.statement) | {"summary": summary_json(accounts.summary)}
    return Gathered(data, annual_document(accounts))
