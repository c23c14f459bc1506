"""The national outcome tables: the outcome reports each export published (schema v2; `participants.outcomes`
gives their form), summed cell by cell as every figure of the roll-up is (`national.sums`, ADR 0028).

Only counts are summed: those exited, in work before and after, exited to and began or increased work or
studies, those whose years on support are known, the time in the intervention by band, and the income
support before → after. Shares, changes, medians and means are an association's own figures, published with
its counts; a national one would have to be computed from counts some of which are hidden, so the roll-up
gives none. A row of the income table an export leaves out is none of its participants (its outcome report
lists every kind before that anyone had): a known 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core.documents import Cell, Column, Table
from finsam.national.sums import Sum, add_all, sums
from finsam.participants.outcome_counts import BANDS
from finsam.participants.outcomes import SUPPORT, support_label

# The counts summed: (label, path in an export's outcome tables).
OUTCOMES: tuple[tuple[object, tuple[str, ...]], ...] = (
    (gettext_lazy("Avslutade"), ("exited", "total")),
    (gettext_lazy("varav kvinnor"), ("exited", "women")),
    (gettext_lazy("varav män"), ("exited", "men")),
    (gettext_lazy("I arbete före"), ("employment", "before", "total")),
    (gettext_lazy("I arbete efter"), ("employment", "after", "total")),
    (gettext_lazy("Avslutade till arbete eller studier"), ("work_or_studies", "exited_to", "total")),
    (
        gettext_lazy("Började eller ökade arbete eller studier"),
        ("work_or_studies", "began_or_increased", "total"),
    ),
    (gettext_lazy("Med kända år med försörjning före"), ("years_on_support", "known", "total")),
    *((label, ("time_in_intervention", "bands", key)) for key, _last, label in BANDS),
)
KEYS = [".".join(path) for _label, path in OUTCOMES]
FIRST_BAND = len(OUTCOMES) - len(BANDS)
NOTE = gettext_lazy(
    "Summor av de utfall förbunden publicerat. Små tal är dolda i exporterna; en summa med dolda tal visas "
    "som ”minst” det kända och antalet dolda tal. Andelar, medianer och medelvärden summeras inte."
)


def values(tables: dict[str, Any]) -> list[int | None]:
    """The counts of OUTCOMES in one export's outcome tables (an intervention's, or its total)."""
    found = []
    for _label, path in OUTCOMES:
        value: Any = tables
        for key in path:
            value = value[key]
        found.append(value)
    return found


def new() -> list[Sum]:
    return sums(len(OUTCOMES))


def add(totals: list[Sum], tables: dict[str, Any]) -> None:
    add_all(totals, values(tables))


@dataclass
class Transitions:
    """Income support before → after, summed over the exports' totals: per kind before, per kind after."""

    cells: dict[str, dict[str, Sum]] = field(default_factory=dict)
    totals: dict[str, Sum] = field(default_factory=dict)

    def add(self, tables: dict[str, Any]) -> None:
        for row in tables["income_support"]["rows"]:
            cells = self.cells.setdefault(row["before"], {after: Sum() for after in SUPPORT})
            for after, value in row["after"].items():
                cells[after].add(value)
            self.totals.setdefault(row["before"], Sum()).add(row["total"])

    def json(self) -> list[dict[str, Any]]:
        return [
            {
                "before": before,
                "after": {after: self.cells[before][after].json() for after in SUPPORT},
                "total": self.totals[before].json(),
            }
            for before in SUPPORT
            if before in self.cells
        ]

    def table(self) -> Table:
        used = [a for a in SUPPORT if any(cells[a].known or cells[a].hidden for cells in self.cells.values())]
        columns = [
            Column("before", _("Försörjning före")),
            *(Column(code, support_label(code)) for code in used),
            Column("total", _("Totalt")),
        ]
        rows: list[dict[str, Cell]] = [
            {
                "before": support_label(before),
                **{code: self.cells[before][code].text() for code in used},
                "total": self.totals[before].text(),
            }
            for before in SUPPORT
            if before in self.cells
        ]
        notes = [
            _("Kolumnerna: försörjning efter avslut. Den som haft flera slag räknas i varje par."),
            str(NOTE),
        ]
        return Table(_("Försörjning före och efter, hela landet"), columns, rows, None, notes)


def as_json(totals: list[Sum] | None) -> dict[str, dict[str, int]] | None:
    return None if totals is None else {key: s.json() for key, s in zip(KEYS, totals, strict=True)}


def tables(
    title: str,
    rows: list[tuple[str, list[Sum] | None]],
    total: tuple[str, list[Sum] | None] | None,
    first: str,
    missing: list[str],
) -> list[Table]:
    """The outcome counts of the rows, and their time in the intervention by band; a row without outcome
    reports (of exports of schema v1 only) is left empty, and `missing` names those exports' associations."""
    notes = [str(NOTE)]
    if missing:
        notes.append(_("Utan utfall (export enligt schema version 1): %s.") % ", ".join(missing))
    result = []
    for heading, part in (
        (title, range(FIRST_BAND)),
        (_("%s: tid i insatsen") % title, range(FIRST_BAND, len(OUTCOMES))),
    ):
        columns = [
            Column("name", first),
            *(Column(f"o{i}", str(OUTCOMES[i][0])) for i in part),
        ]

        def cells(label: str, totals: list[Sum] | None, part: range = part) -> dict[str, Cell]:
            shown: dict[str, Cell] = {"name": label}
            for i in part:
                shown[f"o{i}"] = "" if totals is None else totals[i].text()
            return shown

        result.append(
            Table(
                heading,
                columns,
                [cells(label, totals) for label, totals in rows],
                cells(*total) if total else None,
                notes,
            )
        )
    return result
