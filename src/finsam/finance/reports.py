"""The statements as report JSON (INTERFACES.md) and as documents for HTML, PDF, DOCX and XLSX."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from finsam.core.formatting import long_date
from finsam.core.money import json_amount
from finsam.finance import annual
from finsam.finance.statements import INCOME_SIDE, BalanceSheet, Equity, IncomeStatement
from finsam.organisation.models import Association
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
        "equity": _equity_json(sheet.equity),
        "equity_previous_year_end": _equity_json(before) if (before := sheet.equity_previous) else None,
    }


def _equity_json(equity: Equity) -> dict[str, str]:
    return {
        "retained_earlier": json_amount(equity.retained_earlier),
        "result_for_year": json_amount(equity.result_for_year),
        "retained": json_amount(equity.retained),
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


def _period(
    association_name: str, title: str, date: dt.date, tables: list[Table], slug: str, stem: str
) -> Document:
    return Document(
        title=f"{title} {date.isoformat()}",
        association=association_name,
        period=long_date(date),
        sections=[Section(title, [], tables)],
        filename=f"{stem}-{slug}-{date.isoformat()}",
    )


def annual_income_statement_document(statement: IncomeStatement) -> Document:
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
    return _period(
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


def _cash_flow_amounts(flow: annual.CashFlow) -> dict[str, str]:
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


def cash_flow_json(association: Association, flow: annual.CashFlow, date: dt.date) -> dict[str, Any]:
    before = flow.previous
    return {
        "association": association.slug,
        "date": date.isoformat(),
        **_cash_flow_amounts(flow),
        "previous_year": (
            {"date": before.date.isoformat() if before.date else None, **_cash_flow_amounts(before)}
            if before
            else None
        ),
    }


def cash_flow_document(association: Association, flow: annual.CashFlow, date: dt.date) -> Document:
    flows = {"amount": flow}
    columns = [Column("name", _("Belopp i kr")), Column("amount", date.isoformat(), Kind.MONEY)]
    if flow.previous is not None:
        flows["previous"] = flow.previous
        before = flow.previous.date
        columns.append(Column("previous", before.isoformat() if before else _("Föregående år"), Kind.MONEY))

    def row(name: str, value: Callable[[annual.CashFlow], Decimal]) -> dict[str, Cell]:
        return {"name": name, **{key: value(f) for key, f in flows.items()}}

    rows: list[dict[str, Cell]] = [
        row(_("Årets resultat"), lambda f: f.result),
        row(_("Ökning(-)/minskning(+) kortfristiga fordringar"), lambda f: f.receivables_change),
        row(_("Ökning(+)/minskning(-) kortfristiga skulder"), lambda f: f.liabilities_change),
        row(_("Kassaflöde för den löpande verksamheten"), lambda f: f.operating),
        row(_("Kassaflöde från investeringsverksamheten"), lambda f: Decimal(0)),
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
    return _period(
        association.name, _("Kassaflödesanalys"), date, [table], association.slug, "kassaflodesanalys"
    )


def operating_statement_json(
    association: Association, op: annual.OperatingStatement, date: dt.date
) -> dict[str, Any]:
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


def operating_statement_document(
    association: Association, op: annual.OperatingStatement, date: dt.date
) -> Document:
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
            "name": _("Medlemsavgift och övriga intäkter"),
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
    return _period(
        association.name, _("Driftsredovisning"), date, [table], association.slug, "driftsredovisning"
    )


def notes_json(
    association: Association,
    date: dt.date,
    statement: IncomeStatement,
    notes: dict[str, list[annual.AccountNote]],
) -> dict[str, Any]:
    return {
        "association": association.slug,
        "date": date.isoformat(),
        "income": [
            {
                "code": ln.code,
                "name": ln.name,
                "outcome": json_amount(ln.values["outcome"]),
                "previous_year": json_amount(ln.values["outcome_previous_year"]),
            }
            for ln in statement.lines
            if ln.section in INCOME_SIDE
        ],
        "costs": [
            {
                "code": ln.code,
                "name": ln.name,
                "budget": json_amount(ln.values["budget"]),
                "outcome": json_amount(ln.values["outcome"]),
                "previous_year": json_amount(ln.values["outcome_previous_year"]),
            }
            for ln in statement.lines
            if ln.section not in INCOME_SIDE
        ],
        **{
            kind: [
                {
                    "account": n.account,
                    "name": n.name,
                    "amount": json_amount(n.amount),
                    "previous_year_end": json_amount(n.previous),
                }
                for n in items
            ]
            for kind, items in notes.items()
        },
    }


def notes_document(
    association: Association,
    date: dt.date,
    statement: IncomeStatement,
    notes: dict[str, list[annual.AccountNote]],
) -> Document:
    this, last = date.isoformat(), statement.start.replace(day=1) - dt.timedelta(days=1)
    two = [
        Column("name", _("Belopp i kr")),
        Column("amount", this, Kind.MONEY),
        Column("previous", last.isoformat(), Kind.MONEY),
    ]
    income_rows: list[dict[str, Cell]] = [
        {"name": ln.name, "amount": ln.values["outcome"], "previous": ln.values["outcome_previous_year"]}
        for ln in statement.lines
        if ln.section in INCOME_SIDE
    ]
    totals = statement.totals
    income = Table(
        _("Not 2 Verksamhetens intäkter"),
        two,
        income_rows,
        {
            "name": _("Summa"),
            "amount": totals["income"]["outcome"],
            "previous": totals["income"]["outcome_previous_year"],
        },
    )
    three = [two[0], Column("budget", _("Budget %s") % statement.start.year, Kind.MONEY), *two[1:]]
    cost_rows: list[dict[str, Cell]] = [
        {
            "name": ln.name,
            "budget": ln.values["budget"],
            "amount": ln.values["outcome"],
            "previous": ln.values["outcome_previous_year"],
        }
        for ln in statement.lines
        if ln.section not in INCOME_SIDE
    ]
    costs = Table(
        _("Not 3 Verksamhetens kostnader"),
        three,
        cost_rows,
        {
            "name": _("Totalt"),
            "budget": totals["costs"]["budget"],
            "amount": totals["costs"]["outcome"],
            "previous": totals["costs"]["outcome_previous_year"],
        },
    )

    def accounts(title: str, items: list[annual.AccountNote]) -> Table:
        rows: list[dict[str, Cell]] = [
            {"name": n.name or str(n.account), "amount": n.amount, "previous": n.previous} for n in items
        ]
        total: dict[str, Cell] = {
            "name": _("Summa"),
            "amount": sum((n.amount for n in items), Decimal(0)),
            "previous": sum((n.previous for n in items), Decimal(0)),
        }
        return Table(title, two, rows, total)

    tables = [
        income,
        costs,
        accounts(_("Not 4 Fordringar"), notes["receivables"]),
        accounts(_("Not 5 Kortfristiga skulder"), notes["liabilities"]),
    ]
    return _period(association.name, _("Noter"), date, tables, association.slug, "noter")


def key_figures_json(
    association: Association,
    date: dt.date,
    years: list[annual.YearFigures],
    requirement: annual.BalanceRequirement,
    shares: annual.CostShares,
    checks: list[annual.ContributionCheck],
) -> dict[str, Any]:
    return {
        "association": association.slug,
        "date": date.isoformat(),
        "five_year_overview": [
            {
                "year": y.year,
                "income": json_amount(y.income),
                "costs": json_amount(y.costs),
                "result": json_amount(y.result),
                "equity_ratio": None if y.equity_ratio is None else f"{y.equity_ratio:.4f}",
            }
            for y in years
        ],
        "balance_requirement": {
            "result": json_amount(requirement.result),
            "realised_gains": json_amount(requirement.realised_gains),
            "balance_result": json_amount(requirement.balance_result),
        },
        "cost_shares": {
            "total": json_amount(shares.total),
            **{
                category or "uncategorised": {
                    "amount": json_amount(amount),
                    "share": f"{amount / shares.total:.4f}" if shares.total else None,
                }
                for category, amount in shares.by_category.items()
            },
        },
        "contributions": [
            {
                "code": c.code,
                "name": c.name,
                "computed": json_amount(c.computed),
                "booked": json_amount(c.booked),
                "difference": json_amount(c.difference),
            }
            for c in checks
        ],
    }


def key_figures_document(
    association: Association,
    date: dt.date,
    years: list[annual.YearFigures],
    requirement: annual.BalanceRequirement,
    shares: annual.CostShares,
    checks: list[annual.ContributionCheck],
) -> Document:
    overview = Table(
        _("Översikt över verksamhetens utveckling"),
        [
            Column("year", _("År")),
            Column("income", _("Verksamhetens intäkter"), Kind.MONEY),
            Column("costs", _("Verksamhetens kostnader"), Kind.MONEY),
            Column("result", _("Årets resultat"), Kind.MONEY),
            Column("ratio", _("Soliditet"), Kind.SHARE),
        ],
        [
            {
                "year": str(y.year),
                "income": y.income,
                "costs": y.costs,
                "result": y.result,
                "ratio": y.equity_ratio,
            }
            for y in years
        ],
    )
    money = [Column("name", _("Belopp i kr")), Column("amount", _("Belopp"), Kind.MONEY)]
    balance = Table(
        _("Balanskravsresultat"),
        money,
        [
            {"name": _("Årets resultat enligt resultaträkningen"), "amount": requirement.result},
            {"name": _("Avgår realisationsvinster"), "amount": -requirement.realised_gains},
        ],
        {"name": _("Balanskravsresultat"), "amount": requirement.balance_result},
    )
    labels = {
        "individual": _("Individinriktade insatser"),
        "structural": _("Strukturinriktat arbete"),
        "administration": _("Administration"),
    }
    share_table = Table(
        _("Kostnadsfördelning"),
        [
            Column("name", _("Kategori")),
            Column("amount", _("Belopp"), Kind.MONEY),
            Column("share", _("Andel"), Kind.SHARE),
        ],
        [
            {"name": labels.get(c, c or _("Utan kategori")), "amount": a, "share": shares.share(c)}
            for c, a in shares.by_category.items()
        ],
        {"name": _("Summa kostnader"), "amount": shares.total},
    )
    contribution_table = Table(
        _("Medlemsbidrag: beräknat och bokfört"),
        [
            Column("name", _("Medlem")),
            Column("computed", _("Enligt folkmängd"), Kind.MONEY),
            Column("booked", _("Bokfört"), Kind.MONEY),
            Column("difference", _("Skillnad"), Kind.MONEY),
        ],
        [
            {"name": c.name, "computed": c.computed, "booked": c.booked, "difference": c.difference}
            for c in checks
        ],
    )
    return _period(
        association.name,
        _("Nyckeltal"),
        date,
        [overview, balance, share_table, contribution_table],
        association.slug,
        "nyckeltal",
    )


def shared_costs_json(
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


def shared_costs_document(
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
