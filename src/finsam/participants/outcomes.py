"""The outcome reports SUS's standard reports gave (ADR 0027), for the participants who exited in a period,
always suppressed (ADR 0008): `finsam report outcomes`, the page *Utfall* and the annual report.

`outcome_report(association, start, end)` gives the allowed period (`privacy.periods`) that holds start … end:

    {"association": slug, "from": "YYYY-MM-DD", "to": "YYYY-MM-DD", "suppression": {"threshold": 5},
     "interventions": [{"code": ..., "name": ..., <tables>}], "total": {<tables>}}

where <tables> are, with a *group* being {"women", "men", "other", "total"} (`total`: all genders):

- "exited": group of counts: participants who exited in the period;
- "employment": {"before": group, "after": group, "change": group (after − before),
  "before_percent", "after_percent": group of strings ("12.9", of the exited), "change_points": group of
  strings (percentage points)}: in work (`arbete`, `subventionerat_arbete`) before entry and after exit;
- "work_or_studies": {"exited_to": group (exit reason arbete or studier), "began_or_increased": group};
- "income_support": {"rows": [{"before": code, "after": {code: count}, "total": count}]}: from each kind of
  support before, where people went; `unknown` where none is recorded; a participant with several kinds
  counts in each pair. Not by gender: split three ways the cells would all be too small to show;
- "time_in_intervention": {"median_days": group, "bands": {band: count, "total": count}};
- "years_on_support": {"mean": group of strings ("5.4", years before entry), "known": group of counts}.

Counts are ints, a hidden one None; a share, change, median or mean is None where a count it rests on is
hidden or zero. Each table is one grid (rows: interventions, or interventions and kinds before) suppressed
on its own and against the same grid of the year's shorter allowed periods (`privacy.periods.suppress_chain`),
so no two of its periods subtract to a small count; a total of the income table across interventions is
given only where every part of it is shown.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from finsam.core.documents import Cell, Column, Document, Gather, Gathered, Kind, Period, Section, Table
from finsam.organisation.models import Association, Intervention
from finsam.participants import outcome_counts
from finsam.participants.figures import GENDER_LABELS, PublishedGrids, suppress_published
from finsam.participants.models import IncomeSupport
from finsam.participants.outcome_counts import BANDS, GroupOutcome, InterventionOutcome
from finsam.participants.tables import GENDERS, individual_interventions, public_period
from finsam.privacy import periods
from finsam.privacy.suppression import SuppressedTable

GROUP_GRIDS = (
    "exited",
    "employed_before",
    "employed_after",
    "to_work_or_studies",
    "began_or_increased",
    "years_known",
)
UNKNOWN = "unknown"
SUPPORT = [*IncomeSupport.values, UNKNOWN]  # the kinds of income support, as rows and columns
BAND_KEYS = [key for key, _last, _label in BANDS]
TRANSITIONS = "income_support"
DURATION = "time_in_intervention"
Group = dict[str, Any]


@dataclass
class OutcomeTables:
    association: Association
    start: dt.date
    end: dt.date
    interventions: list[Intervention]
    counts: dict[int, InterventionOutcome]

    def of(self, intervention: Intervention) -> InterventionOutcome:
        return self.counts.get(intervention.pk, InterventionOutcome())


def gather(association: Association, start: dt.date, end: dt.date) -> OutcomeTables:
    """The exact outcomes: the individual interventions running in the period, and any other with exits."""
    counts = outcome_counts.gather(association, start, end)
    shown = {i.pk: i for i in individual_interventions(association, start, end)}
    shown |= {i.pk: i for i in association.interventions.filter(pk__in=counts)}
    return OutcomeTables(association, start, end, [shown[pk] for pk in sorted(shown)], counts)


def _support_key(code: str) -> str:
    return code or UNKNOWN


def published_grids(tables: OutcomeTables) -> PublishedGrids:
    rows: list[object] = [i.pk for i in tables.interventions]
    grids: PublishedGrids = {
        name: (
            rows,
            [[getattr(tables.of(i).groups[g], name) for g in GENDERS] for i in tables.interventions],
            list(GENDERS),
        )
        for name in GROUP_GRIDS
    }
    bands = []
    for intervention in tables.interventions:
        days = _days(tables.of(intervention).groups.values())
        counted = Counter(outcome_counts.band(d) for d in days.elements())
        bands.append([counted[key] for key in BAND_KEYS])
    grids[DURATION] = (rows, bands, BAND_KEYS)
    transition_rows: list[object] = []
    cells = []
    for intervention in tables.interventions:
        pairs = Counter(
            {
                (_support_key(b), _support_key(a)): n
                for (b, a), n in tables.of(intervention).transitions.items()
            }
        )
        for before in SUPPORT:
            row = [pairs[(before, after)] for after in SUPPORT]
            if any(row):
                transition_rows.append((intervention.pk, before))
                cells.append(row)
    grids[TRANSITIONS] = (transition_rows, cells, SUPPORT)
    return grids


def _days(groups: Any) -> Counter[int]:
    total: Counter[int] = Counter()
    for group in groups:
        total.update(group.days)
    return total


# --- the JSON --------------------------------------------------------------------------------------------


def _group(table: SuppressedTable, index: int | None) -> dict[str, int | None]:
    """A row of a grid by gender (an intervention), or with index None its column totals (all of them)."""
    if index is None:
        return {**dict(zip(GENDERS, table.column_totals, strict=True)), "total": table.grand_total}
    return {**dict(zip(GENDERS, table.cells[index], strict=True)), "total": table.row_totals[index]}


def _percent(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def _both(a: Any, b: Any, combine: Callable[[Any, Any], Any]) -> Any:
    return None if a is None or b is None else combine(a, b)


def _gender_tables(grids: dict[str, SuppressedTable], index: int | None, groups: list[GroupOutcome]) -> Group:
    """The tables by gender of one intervention (`groups`: its genders' counts, in GENDERS order) or, with
    index None, of all (`groups`: every intervention's genders)."""
    shown = {name: _group(grids[name], index) for name in GROUP_GRIDS}
    exited, before, after = shown["exited"], shown["employed_before"], shown["employed_after"]
    before_percent = {k: _percent(before[k], exited[k]) for k in exited}
    after_percent = {k: _percent(after[k], exited[k]) for k in exited}
    by_key: dict[str, list[GroupOutcome]] = {"total": groups}
    for n, key in enumerate(GENDERS):
        by_key[key] = groups[n :: len(GENDERS)]
    median: dict[str, int | None] = {}
    mean: dict[str, str | None] = {}
    for key, members in by_key.items():
        days = _days(members)
        median[key] = int(statistics.median_low(days.elements())) if exited[key] else None
        known = shown["years_known"][key]
        total_years = sum((m.years_sum for m in members), Decimal(0))
        mean[key] = _text((total_years / known).quantize(Decimal("0.1"), ROUND_HALF_UP)) if known else None
    return {
        "exited": exited,
        "employment": {
            "before": before,
            "after": after,
            "change": {k: _both(after[k], before[k], lambda a, b: a - b) for k in exited},
            "before_percent": {k: _text(v) for k, v in before_percent.items()},
            "after_percent": {k: _text(v) for k, v in after_percent.items()},
            "change_points": {
                k: _text(_both(after_percent[k], before_percent[k], lambda a, b: a - b)) for k in exited
            },
        },
        "work_or_studies": {
            "exited_to": shown["to_work_or_studies"],
            "began_or_increased": shown["began_or_increased"],
        },
        "time_in_intervention": {"median_days": median},
        "years_on_support": {"mean": mean, "known": shown["years_known"]},
    }


def _transition_rows(table: SuppressedTable, rows: list[object], pk: int | None) -> list[dict[str, Any]]:
    """The income table of one intervention, or with pk None the sum of all: a cell there only where every
    intervention's cell it adds up is shown."""
    result: dict[str, dict[str, Any]] = {}
    for index, key in enumerate(rows):
        assert isinstance(key, tuple)
        intervention, before = key
        if pk is not None and intervention != pk:
            continue
        row = result.setdefault(before, {"before": before, "after": dict.fromkeys(SUPPORT, 0), "total": 0})
        for after, cell in zip(SUPPORT, table.cells[index], strict=True):
            row["after"][after] = _both(row["after"][after], cell, lambda a, b: a + b)
        row["total"] = _both(row["total"], table.row_totals[index], lambda a, b: a + b)
    return [result[code] for code in SUPPORT if code in result]


def _bands(table: SuppressedTable, index: int | None) -> dict[str, int | None]:
    if index is None:
        return {**dict(zip(BAND_KEYS, table.column_totals, strict=True)), "total": table.grand_total}
    return {**dict(zip(BAND_KEYS, table.cells[index], strict=True)), "total": table.row_totals[index]}


def as_json(tables: OutcomeTables, grids: dict[str, SuppressedTable], threshold: int) -> dict[str, Any]:
    transition_rows = published_grids(tables)[TRANSITIONS][0]

    def entry(index: int | None, groups: list[GroupOutcome], pk: int | None) -> Group:
        data = _gender_tables(grids, index, groups)
        data[TRANSITIONS] = {"rows": _transition_rows(grids[TRANSITIONS], transition_rows, pk)}
        data[DURATION]["bands"] = _bands(grids[DURATION], index)
        return data

    everyone = [tables.of(i).groups[g] for i in tables.interventions for g in GENDERS]
    return {
        "association": tables.association.slug,
        "from": tables.start.isoformat(),
        "to": tables.end.isoformat(),
        "suppression": {"threshold": threshold},
        "interventions": [
            {
                "code": i.code,
                "name": i.name,
                **entry(index, [tables.of(i).groups[g] for g in GENDERS], i.pk),
            }
            for index, i in enumerate(tables.interventions)
        ],
        "total": entry(None, everyone, None),
    }


def suppressed(
    association: Association, start: dt.date, end: dt.date, threshold: int
) -> tuple[OutcomeTables, dict[str, SuppressedTable]]:
    """The outcomes of the allowed period that holds start … end, and their grids suppressed against the
    allowed periods of the year before it."""
    start, end = public_period(start, end)
    chain = [gather(association, s, e) for s, e in periods.allowed_periods(end.year) if e <= end]
    grids = suppress_published([published_grids(t) for t in chain], threshold)
    return chain[-1], {name: table for name, (table, _keys) in grids.items()}


def outcome_report(association: Association, start: dt.date, end: dt.date) -> dict[str, Any]:
    """The outcome reports, suppressed, as JSON-ready data (the module's text documents the keys)."""
    threshold = settings.SUPPRESSION_THRESHOLD
    tables, grids = suppressed(association, start, end, threshold)
    return as_json(tables, grids, threshold)


# --- the document ----------------------------------------------------------------------------------------

GENDER_ROWS = (*GENDERS, "total")


def _row_label(name: str, key: str) -> str:
    return f"{name}, {GENDER_LABELS[key]}" if key in GENDER_LABELS else f"{name}, {_('totalt')}"


def _parts(data: dict[str, Any]) -> list[tuple[str, Group]]:
    return [(i["name"], i) for i in data["interventions"]] + [(_("Totalt"), data["total"])]


def _employment_table(data: dict[str, Any]) -> Table:
    columns = [
        Column("label", _("Insats och kön")),
        Column("exited", _("Avslutade"), Kind.INTEGER),
        Column("before", _("I arbete före"), Kind.INTEGER),
        Column("after", _("I arbete efter"), Kind.INTEGER),
        Column("change", _("Förändring (antal)"), Kind.INTEGER),
        Column("before_percent", _("Före (%)")),
        Column("after_percent", _("Efter (%)")),
        Column("change_points", _("Förändring (procentenheter)")),
    ]
    rows: list[dict[str, Cell]] = []
    for name, part in _parts(data):
        employment = part["employment"]
        for key in GENDER_ROWS:
            row: dict[str, Cell] = {"label": _row_label(name, key), "exited": part["exited"][key]}
            row |= {column: employment[column][key] for column in ("before", "after", "change")}
            for column in ("before_percent", "after_percent", "change_points"):
                row[column] = (employment[column][key] or "").replace(".", ",")
            rows.append(row)
    notes = [_("I arbete: arbete eller subventionerat arbete. Andelar av de avslutade.")]
    return Table(_("Sysselsättning före och efter"), columns, rows, None, notes)


def _work_table(data: dict[str, Any]) -> Table:
    columns = [
        Column("label", _("Insats och kön")),
        Column("exited", _("Avslutade"), Kind.INTEGER),
        Column("exited_to", _("Avslutade till arbete eller studier"), Kind.INTEGER),
        Column("began_or_increased", _("Började eller ökade arbete eller studier"), Kind.INTEGER),
        Column("median_days", _("Tid i insatsen, median (dagar)"), Kind.INTEGER),
        Column("mean_years", _("År med offentlig försörjning före, snitt")),
    ]
    rows: list[dict[str, Cell]] = []
    for name, part in _parts(data):
        for key in GENDER_ROWS:
            rows.append(
                {
                    "label": _row_label(name, key),
                    "exited": part["exited"][key],
                    "exited_to": part["work_or_studies"]["exited_to"][key],
                    "began_or_increased": part["work_or_studies"]["began_or_increased"][key],
                    "median_days": part[DURATION]["median_days"][key],
                    "mean_years": (part["years_on_support"]["mean"][key] or "").replace(".", ","),
                }
            )
    notes = [
        _(
            "Började eller ökade: varken arbete eller studier före men något av dem efter, eller från "
            "subventionerat till osubventionerat arbete."
        )
    ]
    return Table(_("Arbete och studier, tid i insatsen och tid med försörjning"), columns, rows, None, notes)


def _band_table(data: dict[str, Any]) -> Table:
    columns = [
        Column("label", _("Insats")),
        *(Column(key, str(label), Kind.INTEGER) for key, _last, label in BANDS),
        Column("total", _("Totalt"), Kind.INTEGER),
    ]
    rows: list[dict[str, Cell]] = [{"label": name, **part[DURATION]["bands"]} for name, part in _parts(data)]
    return Table(_("Tid i insatsen"), columns, rows)


def support_label(code: str) -> str:
    return _("Uppgift saknas") if code == UNKNOWN else str(IncomeSupport(code).label)


def _income_table(name: str, part: Group) -> Table:
    rows_of = part[TRANSITIONS]["rows"]
    used = [code for code in SUPPORT if any(row["after"][code] != 0 for row in rows_of)]
    columns = [
        Column("before", _("Försörjning före")),
        *(Column(code, support_label(code), Kind.INTEGER) for code in used),
        Column("total", _("Totalt"), Kind.INTEGER),
    ]
    rows: list[dict[str, Cell]] = [
        {"before": support_label(row["before"]), **{c: row["after"][c] for c in used}, "total": row["total"]}
        for row in rows_of
    ]
    notes = [_("Kolumnerna: försörjning efter avslut. Den som haft flera slag räknas i varje par.")]
    return Table(_("Försörjning före och efter: %s") % name, columns, rows, None, notes)


def as_document(data: dict[str, Any], association_name: str) -> Document:
    note = (
        _("Tomma celler är färre än %s eller dolda så att små tal inte kan räknas fram.")
        % (data["suppression"]["threshold"])
    )
    sections = [
        Section(_("Sysselsättning"), [note], [_employment_table(data), _work_table(data)]),
        Section(_("Tid i insatsen"), [], [_band_table(data)]),
        Section(_("Försörjning"), [], [_income_table(name, part) for name, part in _parts(data)]),
    ]
    return Document(
        title=_("Utfall för avslutade deltagare"),
        association=association_name,
        period=f"{data['from']} – {data['to']}",
        sections=sections,
        filename=f"utfall-{data['association']}-{data['from']}-{data['to']}",
    )


def gathered(association: Association, start: dt.date, end: dt.date) -> Gathered:
    data = outcome_report(association, start, end)
    return Gathered(data, as_document(data, association.name))


def _gather(association: Association, period: Period) -> Gathered:
    return gathered(association, period.start, period.end)


KINDS: dict[str, Gather] = {"outcomes": _gather}


def chart_rows(data: dict[str, Any], values: Sequence[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """Bars for the page: per intervention and in total, each (label, key of the employment table, tone)."""
    return [
        {
            "name": name,
            "bars": [(label, part["employment"][key]["total"], tone) for label, key, tone in values],
        }
        for name, part in _parts(data)
    ]
