"""The national roll-up: the exports in force for a period, by association, county and orientation, each
association beside the national figure (ADR 0028).

Every figure is a sum of figures the exports published, never anything else: a count an export hid is
unknown, and a sum over it says so ("minst 37, 2 dolda": the published part and how many hidden figures it
leaves out), never an exact figure reached another way. So a county's total less its associations' published
figures gives the hidden ones' sum no more exactly than the exports themselves do (the sum of their hidden
figures is no figure of the roll-up), and no table tells more than the exports it sums.

The orientation of an intervention is its classification's (schema v2): orientation, and precise orientation
within it. An export of schema v1 has no classification: its interventions count by their kind (the
orientation, by the classification's own definition) with their precise orientation unspecified, and it has
no outcome reports (`national.outcome_sums`): its association is named among those without.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, ReportUnavailable, Section, Table
from finsam.core.money import json_amount
from finsam.national import outcome_sums
from finsam.national.models import ReceivedExport
from finsam.national.sums import Sum, add_all, sums
from finsam.organisation import classification
from finsam.privacy import periods
from finsam.reports import charts

# The counts of the roll-up: (label, measure of the export, column of it).
COUNTS = (
    (gettext_lazy("Deltagande"), "active", "total"),
    (gettext_lazy("varav kvinnor"), "active", "women"),
    (gettext_lazy("varav män"), "active", "men"),
    (gettext_lazy("varav annat kön"), "active", "other"),
    (gettext_lazy("Nya"), "new", "total"),
    (gettext_lazy("Avslutade"), "exited", "total"),
    (gettext_lazy("avslutade kvinnor"), "exited", "women"),
    (gettext_lazy("avslutade män"), "exited", "men"),
    (gettext_lazy("Avslut till arbete eller studier"), "exit_reasons", "work_or_studies"),
    (gettext_lazy("Avslut till fortsatt arbetsrehab"), "exit_reasons", "continued_rehabilitation"),
    (gettext_lazy("Volymdeltagare"), "volume", "total"),
)
MONEY = (
    (gettext_lazy("Individinriktade kostnader"), "individual"),
    (gettext_lazy("Strukturinriktade kostnader"), "structural"),
    (gettext_lazy("Administration"), "administration"),
    (gettext_lazy("Kostnader totalt"), "total"),
)
ORIENTATIONS = {
    "individual": gettext_lazy("Individinriktade"),
    "structural": gettext_lazy("Strukturinriktade"),
}


def _counts(entry: dict[str, Any]) -> list[int | None]:
    """The values of COUNTS in an export's total or in one of its interventions; a measure an intervention
    does not have (the volume of an individual one) counts as 0."""
    values: list[int | None] = []
    for _label, measure, column in COUNTS:
        if measure == "volume":
            group = entry["volume"]
        else:
            group = entry["participants"][measure] if entry["participants"] is not None else None
        values.append(0 if group is None else group[column])
    return values


def classified(intervention: dict[str, Any]) -> tuple[str, str]:
    """An export's intervention's orientation and precise orientation: its classification's, or for an
    export of schema v1, which has none, its kind and "unspecified"."""
    found = intervention.get("classification")
    if found is None:
        return intervention["kind"], classification.UNSPECIFIED
    return found["orientation"], found["precise_orientation"]


@dataclass
class Row:
    label: str
    county: str
    counts: list[Sum]
    money: list[Decimal] | None  # MONEY, result and equity; None when an export has no ledger
    # outcome_sums.OUTCOMES; None while no export it sums has outcome reports (those of schema v1 have none)
    outcomes: list[Sum] | None = None

    def add(self, values: Iterable[int | None]) -> None:
        add_all(self.counts, list(values))

    def add_outcomes(self, tables: dict[str, Any] | None) -> None:
        """Count an export's outcome tables (schema v2), or with None an intervention without any: none of
        its participants exited (a known 0, unlike an export of schema v1, which is never counted here)."""
        if self.outcomes is None:
            self.outcomes = outcome_sums.new()
        if tables is not None:
            outcome_sums.add(self.outcomes, tables)


def _row(label: str, county: str = "") -> Row:
    return Row(label, county, sums(len(COUNTS)), None)


def _money(document: dict[str, Any]) -> list[Decimal] | None:
    money = document["money"]
    if money is None:
        return None
    return [Decimal(money["costs"][key]) for _l, key in MONEY] + [
        Decimal(money["result"]),
        Decimal(money["equity"]),
    ]


def _add_money(row: Row, money: list[Decimal] | None, missing: list[str], name: str) -> None:
    if money is None:
        missing.append(name)
        return
    row.money = [a + b for a, b in zip(row.money or [Decimal(0)] * len(money), money, strict=True)]


@dataclass
class RollUp:
    end: dt.date
    associations: list[Row]
    counties: list[Row]
    orientations: list[Row]
    precise_orientations: list[Row]
    national: Row
    without_money: list[str]
    without_outcomes: list[str]
    transitions: outcome_sums.Transitions


def roll_up(end: dt.date) -> RollUp:
    """The exports in force for the allowed period ending on `end`, summed."""
    start = dt.date(end.year, 1, 1)
    if (start, end) not in periods.allowed_periods(end.year):
        raise ReportUnavailable(
            _(
                "Den nationella sammanställningen ges för perioder som slutar 31 mars, 30 juni eller "
                "31 december."
            )
        )
    exports = list(
        ReceivedExport.objects.filter(start=start, end=end).select_related("key").order_by("key__name")
    )
    national = _row(_("Hela landet"))
    by_county: dict[str, Row] = {}
    by_orientation = {kind: _row(str(label)) for kind, label in ORIENTATIONS.items()}
    by_precise: dict[tuple[str, str], Row] = {}
    associations: list[Row] = []
    missing: list[str] = []
    without_outcomes: list[str] = []
    transitions = outcome_sums.Transitions()
    for received in exports:
        document = received.document
        county = received.county or _("Okänt län")
        row = _row(document["association"]["name"], county)
        values = _counts(
            {"participants": document["total"]["participants"], "volume": document["total"]["volume"]}
        )
        row.add(values)
        row.money = _money(document)
        outcomes = document["total"].get("outcomes")  # schema v1 has none
        if outcomes is None:
            without_outcomes.append(row.label)
        associations.append(row)
        county_row = by_county.setdefault(county, _row(county))
        for total in (national, county_row):
            total.add(values)
        if outcomes is not None:
            transitions.add(outcomes)
            for total in (row, national, county_row):
                total.add_outcomes(outcomes)
        _add_money(national, row.money, missing, row.label)
        _add_money(county_row, row.money, [], row.label)
        for intervention in document["interventions"]:
            orientation, precise = classified(intervention)
            label = f"{ORIENTATIONS[orientation]}: {str(classification.LABELS[precise]).lower()}"
            for group in (
                by_orientation[orientation],
                by_precise.setdefault((orientation, precise), _row(label)),
            ):
                group.add(_counts(intervention))
                if outcomes is not None:
                    group.add_outcomes(intervention["outcomes"])
    order = list(classification.LABELS)
    return RollUp(
        end,
        associations,
        [by_county[c] for c in sorted(by_county)],
        list(by_orientation.values()),
        [by_precise[k] for k in sorted(by_precise, key=lambda k: (order.index(k[0]), order.index(k[1])))],
        national,
        missing,
        without_outcomes,
        transitions,
    )


def as_json(rollup: RollUp) -> dict[str, Any]:
    def row(r: Row) -> dict[str, Any]:
        return {
            "name": r.label,
            **({"county": r.county} if r.county else {}),
            "counts": {f"{m}.{c}": s.json() for (_l, m, c), s in zip(COUNTS, r.counts, strict=True)},
            "money": None
            if r.money is None
            else dict(
                zip([k for _l, k in MONEY] + ["result", "equity"], map(json_amount, r.money), strict=True)
            ),
            "outcomes": outcome_sums.as_json(r.outcomes),
        }

    return {
        "period": {"from": dt.date(rollup.end.year, 1, 1).isoformat(), "to": rollup.end.isoformat()},
        "national": row(rollup.national),
        "associations": [row(r) for r in rollup.associations],
        "counties": [row(r) for r in rollup.counties],
        "orientations": [row(r) for r in rollup.orientations],
        "precise_orientations": [row(r) for r in rollup.precise_orientations],
        "income_support": rollup.transitions.json(),
        "without_money": rollup.without_money,
        "without_outcomes": rollup.without_outcomes,
    }


def _count_table(title: str, rows: list[Row], total: Row | None, first: str) -> Table:
    columns = [
        Column("name", first),
        *(Column(f"c{i}", str(label)) for i, (label, _m, _c) in enumerate(COUNTS)),
    ]

    def cells(r: Row) -> dict[str, Cell]:
        return {"name": r.label, **{f"c{i}": s.text() for i, s in enumerate(r.counts)}}

    notes = [
        _(
            "Summor av det förbunden publicerat. Små tal är dolda i exporterna; en summa med dolda tal visas "
            "som ”minst” det kända och antalet dolda tal."
        )
    ]
    return Table(title, columns, [cells(r) for r in rows], cells(total) if total else None, notes)


def _money_table(rollup: RollUp) -> Table:
    columns = [
        Column("name", _("Förbund")),
        *(Column(key, str(label), Kind.MONEY) for label, key in MONEY),
        Column("result", _("Resultat"), Kind.MONEY),
        Column("equity", _("Eget kapital"), Kind.MONEY),
    ]
    keys = [key for _l, key in MONEY] + ["result", "equity"]

    def cells(r: Row) -> dict[str, Cell]:
        values: list[Cell] = [*r.money] if r.money else [None] * len(keys)
        return {"name": r.label, **dict(zip(keys, values, strict=True))}

    notes = (
        [_("Utan bokföring för perioden: %s.") % ", ".join(rollup.without_money)]
        if rollup.without_money
        else []
    )
    return Table(
        _("Ekonomi per förbund"),
        columns,
        [cells(r) for r in rollup.associations],
        cells(rollup.national),
        notes,
    )


def as_document(rollup: RollUp) -> Document:
    start = dt.date(rollup.end.year, 1, 1)
    by_association = Section(
        _("Per förbund"),
        [],
        [_count_table(_("Deltagare per förbund"), rollup.associations, rollup.national, _("Förbund"))],
    )
    bars = [(r.label, r.counts[0].known) for r in rollup.associations]
    if bars:
        charts.add(
            by_association,
            _("Deltagande per förbund (publicerat)"),
            lambda: charts.count_figure(bars, _("Deltagare")),
        )
    return Document(
        title=_("Nationell sammanställning"),
        association=_("Samordningsförbunden"),
        period=f"{start.isoformat()} – {rollup.end.isoformat()}",
        sections=[
            by_association,
            Section(
                _("Per län"),
                [],
                [_count_table(_("Deltagare per län"), rollup.counties, rollup.national, _("Län"))],
            ),
            Section(
                _("Per inriktning"),
                [],
                [
                    _count_table(
                        _("Deltagare per inriktning"), rollup.orientations, rollup.national, _("Inriktning")
                    ),
                    _count_table(
                        _("Deltagare per precis inriktning"),
                        rollup.precise_orientations,
                        rollup.national,
                        _("Inriktning"),
                    ),
                ],
            ),
            _outcome_section(rollup),
            Section(_("Ekonomi"), [], [_money_table(rollup)]),
        ],
        filename=f"nationell-{rollup.end.isoformat()}",
    )


def _outcome_section(rollup: RollUp) -> Section:
    """The outcome reports summed: by association beside the national figure, by county and by precise
    orientation, and the income support before → after of the whole country."""
    national = (rollup.national.label, rollup.national.outcomes)
    tables = [
        *outcome_sums.tables(
            _("Utfall per förbund"),
            [(r.label, r.outcomes) for r in rollup.associations],
            national,
            _("Förbund"),
            rollup.without_outcomes,
        ),
        *outcome_sums.tables(
            _("Utfall per län"), [(r.label, r.outcomes) for r in rollup.counties], national, _("Län"), []
        ),
        *outcome_sums.tables(
            _("Utfall per precis inriktning"),
            [(r.label, r.outcomes) for r in rollup.precise_orientations],
            national,
            _("Inriktning"),
            [],
        ),
        rollup.transitions.table(),
    ]
    section = Section(_("Utfall för avslutade deltagare"), [], tables)
    bars = [(r.label, r.outcomes[0].known) for r in rollup.associations if r.outcomes is not None]
    if bars:
        charts.add(
            section,
            _("Avslutade per förbund (publicerat)"),
            lambda: charts.count_figure(bars, _("Avslutade")),
        )
    return section


def gathered(end: dt.date) -> Gathered:
    rollup = roll_up(end)
    return Gathered(as_json(rollup), as_document(rollup))
