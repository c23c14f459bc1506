"""The national export of one association and period: its figures without personal data (ADR 0028).

`body` gathers the document described by `schema/export-v2.json`: per intervention and in total, for the
allowed period (`privacy.periods`) that holds the one asked for, the counts of the board's suppressed tables
and the export's own grids (`national.grids`), every one suppressed; each intervention's classification
(`organisation.classification.as_dict`) and the outcome reports of the association (`participants.outcomes`)
as it publishes them, suppressed, per intervention and in total; and the association's money, which is no
one's personal data. `services.export` signs it and logs it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from finsam.core.money import json_amount
from finsam.finance import annual, statements
from finsam.finance.statements import COST_SIDE
from finsam.national import counties
from finsam.national.grids import AGE_BANDS, REFERRAL_OUTCOMES, export_grids
from finsam.organisation import classification
from finsam.organisation import contributions as contribution_rules
from finsam.organisation.models import Association, Intervention
from finsam.participants import outcomes
from finsam.participants.figures import Grids
from finsam.participants.models import EXIT_GROUPS
from finsam.participants.tables import GENDERS
from finsam.privacy.suppression import SuppressedTable

SCHEMA = "finsam-national-export-v2"
COST_CATEGORIES = ("individual", "structural", "administration", "uncategorised")
# The participant measures of an intervention: the grid each is read from, and its columns.
MEASURES: dict[str, tuple[str, tuple[str, ...]]] = {
    "active": ("participating", GENDERS),
    "new": ("new", GENDERS),
    "exited": ("exited", GENDERS),
    "active_by_age": ("participating_by_age", AGE_BANDS),
    "exited_by_age": ("exited_by_age", AGE_BANDS),
    "exit_reasons": ("exit_reasons", tuple(EXIT_GROUPS)),
}


def _row(table: SuppressedTable, keys: tuple[str, ...], index: int) -> dict[str, int | None]:
    return {**dict(zip(keys, table.cells[index], strict=True)), "total": table.row_totals[index]}


def _column_totals(table: SuppressedTable, keys: tuple[str, ...]) -> dict[str, int | None]:
    return {**dict(zip(keys, table.column_totals, strict=True)), "total": table.grand_total}


def _money(association: Association, end: dt.date) -> dict[str, Any] | None:
    """Contributions per member as booked (and as computed from population, when the year's total is
    decided), costs by category, the result and the equity at the period's end; None without a ledger."""
    start, _end = statements.fiscal_year(association, end)
    if not statements.has_ledger(association, start):
        return None
    try:
        checks = annual.contributions_booked(association, end)
    except contribution_rules.ContributionError:
        checks = []
    shares = annual.cost_shares(association, end)
    equity = statements.balance_sheet(association, end).equity
    costs = {
        c: json_amount(shares.by_category.get("" if c == "uncategorised" else c, Decimal(0)))
        for c in COST_CATEGORIES
    }
    return {
        "contributions": [
            {
                "code": c.code,
                "name": c.name,
                "booked": json_amount(c.booked),
                "computed": json_amount(c.computed),
            }
            for c in checks
        ],
        "costs": {**costs, "total": json_amount(shares.total)},
        "result": json_amount(equity.result_for_year),
        "equity": json_amount(equity.retained),
    }


def _intervention_costs(association: Association, end: dt.date) -> dict[str, str]:
    """The cost to date of each intervention that has an income-statement row of its own code."""
    start, _end = statements.fiscal_year(association, end)
    if not statements.has_ledger(association, start):
        return {}
    statement = statements.income_statement(association, end)
    return {
        line.code: json_amount(line.values["outcome_to_date"])
        for line in statement.lines
        if line.section in COST_SIDE
    }


def body(
    association: Association, start: dt.date, end: dt.date, threshold: int, created: dt.datetime
) -> dict[str, Any]:
    """The unsigned export of the allowed period holding start … end (ReportUnavailable for one across a year
    end)."""
    tables, grids = export_grids(association, start, end, threshold)
    costs = _intervention_costs(association, tables.end)
    entries: dict[int, dict[str, Any]] = {}
    for index, (intervention, _counts) in enumerate(tables.interventions):
        entries[intervention.pk] = _entry(intervention, costs) | {"participants": _participants(grids, index)}
    volumes, _keys = grids["volumes"]
    for index, (intervention, _volume) in enumerate(tables.volumes):
        entry = entries.setdefault(intervention.pk, _entry(intervention, costs))
        entry["volume"] = _row(volumes, GENDERS, index)
    outcome_tables, outcome_grids = outcomes.suppressed(association, start, end, threshold)
    published = outcomes.as_json(outcome_tables, outcome_grids, threshold)
    for intervention, tables_of in zip(outcome_tables.interventions, published["interventions"], strict=True):
        entry = entries.setdefault(intervention.pk, _entry(intervention, costs))
        entry["outcomes"] = {key: value for key, value in tables_of.items() if key not in ("code", "name")}
    referrals = grids["referrals"][0]
    return {
        "schema": SCHEMA,
        "association": {
            "slug": association.slug,
            "name": association.name,
            "org_number": association.org_number,
            "county": counties.county(association),
        },
        "period": {"from": tables.start.isoformat(), "to": tables.end.isoformat()},
        "created": created.isoformat(timespec="microseconds"),
        "suppression": {"threshold": threshold},
        "interventions": [entries[pk] for pk in sorted(entries)],
        "total": {
            "participants": {
                measure: _column_totals(grids[grid][0], keys) for measure, (grid, keys) in MEASURES.items()
            },
            "volume": _column_totals(volumes, GENDERS),
            "outcomes": published["total"],
        },
        "referrals": {
            "sources": [
                {"source": row.source, **_row(referrals, tuple(REFERRAL_OUTCOMES), index)}
                for index, row in enumerate(tables.referrals)
            ],
            "total": _column_totals(referrals, tuple(REFERRAL_OUTCOMES)),
        },
        "money": _money(association, tables.end),
    }


def _entry(intervention: Intervention, costs: dict[str, str]) -> dict[str, Any]:
    return {
        "code": intervention.code,
        "name": intervention.name,
        "kind": intervention.kind,
        "classification": classification.as_dict(intervention),
        "cost": costs.get(intervention.code),
        "participants": None,
        "volume": None,
        "outcomes": None,
    }


def _participants(grids: Grids, index: int) -> dict[str, dict[str, int | None]]:
    return {measure: _row(grids[grid][0], keys, index) for measure, (grid, keys) in MEASURES.items()}
