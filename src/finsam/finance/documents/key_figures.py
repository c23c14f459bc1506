"""The key figures: the five-year overview, the balance requirement result, the cost shares and the members'
contributions as booked against those computed from population. Each table is named, never found by
position."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from finsam.core.documents import Column, Document, Gathered, Kind, Period, Table
from finsam.core.money import json_amount
from finsam.finance import annual
from finsam.finance.documents.common import dated
from finsam.organisation import contributions
from finsam.organisation.models import Association


@dataclass(frozen=True)
class KeyFigures:
    years: list[annual.YearFigures]
    requirement: annual.BalanceRequirement
    shares: annual.CostShares
    checks: list[annual.ContributionCheck]


@dataclass(frozen=True)
class KeyFigureTables:
    overview: Table
    balance_requirement: Table
    cost_shares: Table
    contributions: Table

    def all(self) -> list[Table]:
        """In the order they are printed."""
        return [self.overview, self.balance_requirement, self.cost_shares, self.contributions]


def key_figures(association: Association, date: dt.date) -> KeyFigures:
    """The figures at the date; without a contributions total for the year the comparison is left empty."""
    try:
        checks = annual.contributions_booked(association, date)
    except contributions.ContributionError:
        checks = []
    return KeyFigures(
        annual.five_year_overview(association, date),
        annual.balance_requirement(association, date),
        annual.cost_shares(association, date),
        checks,
    )


def as_json(association: Association, date: dt.date, figures: KeyFigures) -> dict[str, Any]:
    years, requirement, shares, checks = figures.years, figures.requirement, figures.shares, figures.checks
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


def tables(figures: KeyFigures) -> KeyFigureTables:
    years, requirement, shares, checks = figures.years, figures.requirement, figures.shares, figures.checks
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
    return KeyFigureTables(overview, balance, share_table, contribution_table)


def as_document(association: Association, date: dt.date, figures: KeyFigures) -> Document:
    printed = tables(figures).all()
    return dated(association.name, _("Nyckeltal"), date, printed, association.slug, "nyckeltal")


def gathered(association: Association, period: Period) -> Gathered:
    figures = key_figures(association, period.end)
    return Gathered(as_json(association, period.end, figures), as_document(association, period.end, figures))
