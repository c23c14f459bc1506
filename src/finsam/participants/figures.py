"""The participant figures (`finsam report participants`): JSON as docs/participants.md documents it, and the
same tables as a Document.

`public_json` and `as_document` with a threshold are the forms that leave the association: given only for
the allowed periods (`privacy.periods`: January–March, January–June, the whole year), every count under the
threshold is hidden, with complementary suppression so that no hidden count can be recovered from what is
shown, and a count that grew by less than the threshold since an earlier allowed period of the year is hidden
too (`public_tables`), so that no two tables subtract to a small group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core import formatting
from finsam.core.documents import (
    Cell,
    Column,
    Document,
    Gather,
    Gathered,
    Kind,
    Period,
    Section,
    Table,
)
from finsam.participants.models import (
    COUNTED_REASONS,
    EXIT_GROUP_LABELS,
    EXIT_GROUPS,
    ExitReason,
    IncomeSupport,
    Rating,
    ReferralSource,
)
from finsam.participants.tables import (
    GENDERS,
    OUTCOME_KEYS,
    InterventionCounts,
    MunicipalityRow,
    ParticipantTables,
    average,
    gather,
    public_period,
    years_on_support,
)
from finsam.privacy import periods
from finsam.privacy.suppression import SuppressedTable

if TYPE_CHECKING:
    from finsam.organisation.models import Association

GENDER_LABELS = {
    "women": gettext_lazy("kvinnor"),
    "men": gettext_lazy("män"),
    "other": gettext_lazy("annat kön"),
}


def _entry(counts: InterventionCounts) -> dict[str, Any]:
    return {
        "participating": dict(counts.participating),
        "exited": dict(counts.exited),
        "exit_reasons": counts.groups,
        "exit_reasons_detail": {reason: counts.reasons[reason] for reason in COUNTED_REASONS},
    }


def _years(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / whole).quantize(Decimal("0.0001")) if whole else Decimal(0)


def as_json(tables: ParticipantTables) -> dict[str, Any]:
    referral_total = sum(r.count for r in tables.referrals)
    outcome_totals = dict.fromkeys(OUTCOME_KEYS.values(), 0)
    for row in tables.referrals:
        for key, n in row.outcomes.items():
            outcome_totals[key] += n
    return {
        "association": tables.association.slug,
        "from": tables.start.isoformat(),
        "to": tables.end.isoformat(),
        "interventions": [
            {"code": i.code, "name": i.name, **_entry(counts)} for i, counts in tables.interventions
        ],
        "total": _entry(tables.total),
        "years_on_public_support": {
            "interventions": {
                i.code: {
                    "participating": _years(average(c.years_sum, c.years_count)),
                    "exited": _years(average(c.exited_years_sum, c.exited_years_count)),
                }
                for i, c in tables.interventions
            },
            "total": {
                "participating": _years(average(tables.total.years_sum, tables.total.years_count)),
                "exited": _years(average(tables.total.exited_years_sum, tables.total.exited_years_count)),
            },
        },
        "municipalities": [
            {"municipality": m.municipality, "carried_over": m.carried_over, "new": m.new}
            for m in tables.municipalities
        ],
        "municipalities_by_intervention": {
            code: [
                {"municipality": m.municipality, "carried_over": m.carried_over, "new": m.new} for m in rows
            ]
            for code, rows in tables.municipalities_by_intervention.items()
        },
        "referrals": {
            "total": referral_total,
            "outcomes": outcome_totals,
            "sources": [
                {
                    "source": r.source,
                    "count": r.count,
                    "share": f"{_share(r.count, referral_total):.4f}",
                    "outcomes": r.outcomes,
                }
                for r in tables.referrals
            ],
        },
        "income_support_exited": tables.income_support,
        "ratings": {
            code: [
                {
                    "area": p.area,
                    "rater": p.rater,
                    "participants": p.people,
                    "first": f"{p.first:.1f}",
                    "latest": f"{p.latest:.1f}",
                }
                for p in progress
            ]
            for code, progress in tables.progression.items()
        },
        "volume_participants": [
            {"code": i.code, "name": i.name, "counts": counts} for i, counts in tables.volumes
        ],
    }


# --- suppression -------------------------------------------------------------------------------------------


def _grid(rows: Sequence[dict[str, int]], keys: Sequence[str]) -> list[list[int]]:
    return [[row[k] for k in keys] for row in rows]


def _cells(table: SuppressedTable, keys: Sequence[str]) -> list[dict[str, int | None]]:
    return [dict(zip(keys, cells, strict=True)) for cells in table.cells]


def _columns(table: SuppressedTable, keys: Sequence[str]) -> dict[str, int | None]:
    return dict(zip(keys, table.column_totals, strict=True))


Grids = dict[str, tuple[SuppressedTable, list[str]]]
SOURCES = tuple(ReferralSource.values)


def _no_referrals() -> dict[str, int]:
    return dict.fromkeys(SOURCES, 0)


PublishedGrids = dict[str, tuple[list[object], list[list[int]], list[str]]]
MUNICIPALITY_KEYS = [f"{part}_{g}" for part in ("carried_over", "new") for g in GENDERS]
MUNICIPALITIES_OF = "municipalities:"  # + an intervention's code: the grid of that intervention alone


def published_grids(tables: ParticipantTables) -> PublishedGrids:
    """Each published grid of the tables: its rows' keys, its counts and its columns' keys."""
    counts = [c for _i, c in tables.interventions]
    interventions: list[object] = [i.pk for i, _c in tables.interventions]
    groups = list(EXIT_GROUPS)
    return {
        "participating": (interventions, _grid([c.participating for c in counts], GENDERS), list(GENDERS)),
        "exited": (interventions, _grid([c.exited for c in counts], GENDERS), list(GENDERS)),
        "exit_reasons": (interventions, _grid([c.groups for c in counts], groups), groups),
        "referral_sources": (
            interventions,
            _grid(
                [tables.referral_sources.get(i.pk, _no_referrals()) for i, _c in tables.interventions],
                SOURCES,
            ),
            list(SOURCES),
        ),
        "municipalities": _municipality_grid(tables.municipalities),
        **{
            f"{MUNICIPALITIES_OF}{code}": _municipality_grid(rows)
            for code, rows in tables.municipalities_by_intervention.items()
        },
    }


def _municipality_grid(rows: Sequence[MunicipalityRow]) -> tuple[list[object], list[list[int]], list[str]]:
    counts = [
        {f"{part}_{g}": getattr(m, part)[g] for part in ("carried_over", "new") for g in GENDERS}
        for m in rows
    ]
    return [m.municipality for m in rows], _grid(counts, MUNICIPALITY_KEYS), MUNICIPALITY_KEYS


def suppressed_grids(
    tables: ParticipantTables, threshold: int, earlier: Sequence[ParticipantTables] = ()
) -> Grids:
    """Each published grid with its row, column and grand totals, suppressed on its own, and against the same
    grid of the `earlier` periods (the allowed periods of the year before this one, shortest first; see
    `privacy.periods.suppress_chain`)."""
    return suppress_published([published_grids(period) for period in [*earlier, tables]], threshold)


def suppress_published(chain: Sequence[PublishedGrids], threshold: int) -> Grids:
    """The grids of the last period of the chain (allowed periods of one year, shortest first), each
    suppressed against the same grid of the periods before it."""
    result: Grids = {}
    for name, (_rows, _grid_counts, keys) in chain[-1].items():
        # A row or grid without counts in an earlier period is not there: it published none.
        in_periods = [grids.get(name, ([], [], keys)) for grids in chain]
        suppressed = periods.suppress_chain(
            [(rows, counts) for rows, counts, _keys in in_periods], columns=len(keys), threshold=threshold
        )
        result[name] = (suppressed[-1], keys)
    return result


def public_json(tables: ParticipantTables, threshold: int, grids: Grids | None = None) -> dict[str, Any]:
    """The table as it may leave the association: hidden counts are null, and no detail is given. The grids
    are suppressed on their own unless given (`public_tables`)."""
    if grids is None:
        grids = suppressed_grids(tables, threshold)
    participating, exited, reasons, sources = (
        grids[k][0] for k in ("participating", "exited", "exit_reasons", "referral_sources")
    )
    interventions = []
    for index, (intervention, _counts) in enumerate(tables.interventions):
        interventions.append(
            {
                "code": intervention.code,
                "name": intervention.name,
                "participating": _cells(participating, GENDERS)[index],
                "participating_total": participating.row_totals[index],
                "exited": _cells(exited, GENDERS)[index],
                "exited_total": exited.row_totals[index],
                "exit_reasons": _cells(reasons, list(EXIT_GROUPS))[index],
                "referrals": _cells(sources, list(SOURCES))[index],
                "referrals_total": sources.row_totals[index],
            }
        )
    return {
        "association": tables.association.slug,
        "from": tables.start.isoformat(),
        "to": tables.end.isoformat(),
        "suppression": {"threshold": threshold},
        "interventions": interventions,
        "total": {
            "participating": _columns(participating, GENDERS),
            "participating_total": participating.grand_total,
            "exited": _columns(exited, GENDERS),
            "exited_total": exited.grand_total,
            "exit_reasons": _columns(reasons, list(EXIT_GROUPS)),
            "referrals": _columns(sources, list(SOURCES)),
            "referrals_total": sources.grand_total,
        },
        "municipalities": _public_municipalities(tables.municipalities, grids["municipalities"]),
        "municipalities_by_intervention": {
            code: _public_municipalities(rows, grids[f"{MUNICIPALITIES_OF}{code}"])
            for code, rows in tables.municipalities_by_intervention.items()
        },
    }


def _public_municipalities(
    rows: Sequence[MunicipalityRow], grid: tuple[SuppressedTable, list[str]]
) -> list[dict[str, Any]]:
    cells = _cells(*grid)
    return [
        {
            "municipality": m.municipality,
            "carried_over": {g: cells[i][f"carried_over_{g}"] for g in GENDERS},
            "new": {g: cells[i][f"new_{g}"] for g in GENDERS},
        }
        for i, m in enumerate(rows)
    ]


# --- document ----------------------------------------------------------------------------------------------


def _count_columns(tables: ParticipantTables) -> list[Column]:
    return [
        Column("label", _("Period %(from)s – %(to)s") % {"from": tables.start, "to": tables.end}),
        *(Column(f"i{i.pk}", i.name, Kind.INTEGER) for i, _c in tables.interventions),
        Column("total", _("Totalt"), Kind.INTEGER),
    ]


def _intervention_table(tables: ParticipantTables, grids: Grids | None) -> Table:
    """Seed 000's layout: a row per measure and gender, a column per intervention, and the total."""
    rows: list[dict[str, Cell]] = []
    show_other = tables.total.participating["other"] > 0
    genders = [g for g in ("men", "women", "other") if g != "other" or show_other]

    def add(label: str, name: str, key: str, values: list[int], total: int) -> None:
        row: dict[str, Cell] = {"label": label}
        if grids is None:
            row.update({f"i{i.pk}": v for (i, _c), v in zip(tables.interventions, values, strict=True)})
            row["total"] = total
        else:
            suppressed, keys = grids[name]
            column = keys.index(key)
            for index, (intervention, _c) in enumerate(tables.interventions):
                row[f"i{intervention.pk}"] = suppressed.cells[index][column]
            row["total"] = suppressed.column_totals[column]
        rows.append(row)

    for measure, name in ((_("Deltagande"), "participating"), (_("Avslutade"), "exited")):
        for gender in genders:
            values = [getattr(c, name)[gender] for _i, c in tables.interventions]
            add(
                f"{measure} {GENDER_LABELS[gender]}",
                name,
                gender,
                values,
                getattr(tables.total, name)[gender],
            )
    for group, label in EXIT_GROUP_LABELS.items():
        values = [c.groups[group] for _i, c in tables.interventions]
        add(_("Avslutsorsak: %s") % str(label), "exit_reasons", group, values, tables.total.groups[group])
    notes = [
        _(
            "Deltagande: inskrivna någon gång under perioden. Avslutade: avslutsdatum inom perioden. "
            "Felregistreringar räknas inte."
        )
    ]
    if grids is not None:
        notes.append(
            _("Tomma celler är färre än %s eller dolda så att små tal inte kan räknas fram.")
            % grids["participating"][0].threshold
        )
    return Table(_("Deltagare per insats och kön"), _count_columns(tables), rows, None, notes)


def _reasons_table(tables: ParticipantTables) -> Table:
    rows: list[dict[str, Cell]] = []
    for reason in COUNTED_REASONS:
        row: dict[str, Cell] = {"label": str(ExitReason(reason).label)}
        for intervention, counts in tables.interventions:
            row[f"i{intervention.pk}"] = counts.reasons[reason]
        row["total"] = tables.total.reasons[reason]
        rows.append(row)
    total: dict[str, Cell] = {"label": _("Summa avslutade")}
    for intervention, counts in tables.interventions:
        total[f"i{intervention.pk}"] = sum(counts.reasons.values())
    total["total"] = sum(tables.total.reasons.values())
    return Table(_("Avslutsorsaker i detalj"), _count_columns(tables), rows, total)


def _municipality_table(
    tables: ParticipantTables,
    grids: Grids | None,
    rows_of: list[MunicipalityRow] | None = None,
    title: str | None = None,
) -> Table:
    columns = [Column("municipality", _("Hemkommun"))]
    for part, label in (("carried_over", _("vid periodens start")), ("new", _("nya under perioden"))):
        for gender in ("women", "men", "other"):
            columns.append(
                Column(f"{part}_{gender}", f"{str(GENDER_LABELS[gender]).capitalize()} {label}", Kind.INTEGER)
            )
    columns.append(Column("total", _("Totalt"), Kind.INTEGER))
    rows: list[dict[str, Cell]] = []
    for index, m in enumerate(tables.municipalities if rows_of is None else rows_of):
        row: dict[str, Cell] = {"municipality": m.municipality}
        for gender in ("women", "men", "other"):
            row[f"carried_over_{gender}"] = m.carried_over[gender]
            row[f"new_{gender}"] = m.new[gender]
        row["total"] = m.total
        if grids is not None:
            suppressed, keys = grids["municipalities"]
            row.update(dict(zip(keys, suppressed.cells[index], strict=True)))
            row["total"] = suppressed.row_totals[index]
        rows.append(row)
    return Table(title or _("Deltagare per hemkommun och kön"), columns, rows)


def _referral_table(tables: ParticipantTables) -> Table:
    columns = [
        Column("source", _("Remittent")),
        Column("count", _("Remisser"), Kind.INTEGER),
        Column("share", _("Andel"), Kind.SHARE),
        Column("enrolled", _("Inskrivning"), Kind.INTEGER),
        Column("returned", _("Återremiss"), Kind.INTEGER),
        Column("report_back", _("Återrapport"), Kind.INTEGER),
        Column("pending", _("Ej avgjorda"), Kind.INTEGER),
    ]
    whole = sum(r.count for r in tables.referrals)
    rows: list[dict[str, Cell]] = [
        {
            "source": str(ReferralSource(r.source).label),
            "count": r.count,
            "share": _share(r.count, whole),
            **r.outcomes,
        }
        for r in tables.referrals
    ]
    total: dict[str, Cell] = {"source": _("Summa"), "count": whole, "share": Decimal(1) if whole else None}
    for key in OUTCOME_KEYS.values():
        total[key] = sum(r.outcomes[key] for r in tables.referrals)
    return Table(_("Remissflöde per remittent och utfall"), columns, rows, total)


def _years_table(tables: ParticipantTables) -> Table:
    columns = [
        Column("label", _("Insats")),
        Column("participating", _("Deltagande, snitt år")),
        Column("exited", _("Avslutade, snitt år")),
    ]

    def shown(value: Decimal | None) -> str:
        return "–" if value is None else formatting.number(value, 1)

    rows: list[dict[str, Cell]] = [
        {
            "label": i.name,
            "participating": shown(average(c.years_sum, c.years_count)),
            "exited": shown(average(c.exited_years_sum, c.exited_years_count)),
        }
        for i, c in tables.interventions
    ]
    t = tables.total
    total: dict[str, Cell] = {
        "label": _("Totalt"),
        "participating": shown(average(t.years_sum, t.years_count)),
        "exited": shown(average(t.exited_years_sum, t.exited_years_count)),
    }
    return Table(_("År med offentlig försörjning före inskrivning"), columns, rows, total)


def _income_table(tables: ParticipantTables) -> Table:
    columns = [
        Column("label", _("Försörjning")),
        Column("before", _("Vid start"), Kind.INTEGER),
        Column("after", _("Vid avslut"), Kind.INTEGER),
    ]
    rows: list[dict[str, Cell]] = [
        {"label": str(IncomeSupport(code).label), **counts}
        for code, counts in tables.income_support.items()
        if counts["before"] or counts["after"]
    ]
    notes = [_("Avslutade under perioden; den som haft flera slag av försörjning räknas under vart och ett.")]
    return Table(_("Försörjning före och efter, avslutade deltagare"), columns, rows, None, notes)


def _ratings_tables(tables: ParticipantTables) -> list[Table]:
    result = []
    names = {i.code: i.name for i, _c in tables.interventions}
    for code, progress in tables.progression.items():
        columns = [
            Column("area", _("Område")),
            Column("rater", _("Skattad av")),
            Column("people", _("Deltagare"), Kind.INTEGER),
            Column("first", _("Första skattning (snitt)")),
            Column("latest", _("Senaste skattning (snitt)")),
        ]
        rows: list[dict[str, Cell]] = [
            {
                "area": p.area,
                "rater": str(Rating.Rater(p.rater).label),
                "people": p.people,
                "first": formatting.number(p.first, 1),
                "latest": formatting.number(p.latest, 1),
            }
            for p in progress
        ]
        notes = [_("Deltagare som skattats minst två gånger av samma part; skala 1–10.")]
        result.append(Table(_("Skattningar: %s") % names.get(code, code), columns, rows, None, notes))
    return result


def _volume_table(tables: ParticipantTables) -> Table:
    columns = [
        Column("label", _("Insats")),
        *(Column(g, str(GENDER_LABELS[g]).capitalize(), Kind.INTEGER) for g in GENDERS),
        Column("total", _("Totalt"), Kind.INTEGER),
    ]
    rows: list[dict[str, Cell]] = [
        {"label": i.name, **counts, "total": sum(counts.values())} for i, counts in tables.volumes
    ]
    return Table(_("Volymdeltagare i strukturinriktade insatser"), columns, rows)


def as_document(
    tables: ParticipantTables, *, threshold: int | None = None, grids: Grids | None = None
) -> Document:
    """All tables; with a threshold, the suppressed form (without the detailed tables), its grids suppressed
    on their own unless given (`public_tables`)."""
    if threshold is not None and grids is None:
        grids = suppressed_grids(tables, threshold)
    period = f"{tables.start.isoformat()} – {tables.end.isoformat()}"
    sections = [Section(_("Deltagare och avslut"), [], [_intervention_table(tables, grids)])]
    if grids is None:
        sections[0].tables.append(_reasons_table(tables))
    sections.append(Section(_("Hemkommun"), [], [_municipality_table(tables, grids)]))
    if grids is None and len(tables.municipalities_by_intervention) > 1:
        names = {i.code: i.name for i, _c in tables.interventions}
        for code, rows in tables.municipalities_by_intervention.items():
            title = _("Deltagare per hemkommun och kön: %s") % names.get(code, code)
            sections[-1].tables.append(_municipality_table(tables, None, rows, title))
    if grids is None:
        sections.append(Section(_("Remisser"), [], [_referral_table(tables)]))
        sections.append(Section(_("Försörjning"), [], [_years_table(tables), _income_table(tables)]))
        ratings = _ratings_tables(tables)
        if ratings:
            sections.append(Section(_("Skattningar"), [], ratings))
        if tables.volumes:
            sections.append(Section(_("Volymdeltagare"), [], [_volume_table(tables)]))
    suffix = "-publik" if grids is not None else ""
    return Document(
        title=_("Deltagaruppföljning"),
        association=tables.association.name,
        period=period,
        sections=sections,
        filename=f"deltagare-{tables.association.slug}-{tables.start.isoformat()}-{tables.end.isoformat()}{suffix}",
    )


def public_tables(
    association: Association, start: dt.date, end: dt.date, threshold: int
) -> tuple[ParticipantTables, Grids]:
    """The tables of the allowed period that holds start … end, and their grids suppressed against the allowed
    periods of the year before it: never two tables that subtract to a small count."""
    start, end = public_period(start, end)
    chain = [gather(association, s, e) for s, e in periods.allowed_periods(end.year) if e <= end]
    return chain[-1], suppressed_grids(chain[-1], threshold, chain[:-1])


def public_years(
    association: Association, start: dt.date, end: dt.date, threshold: int
) -> dict[str, dict[str, str | None]]:
    """Per intervention code, the average years on public support before entry of the participating and of
    the exited, as they may leave the association: an average is given only when at least `threshold` people
    are behind it and their number grew by 0 or by at least `threshold` since each earlier allowed period of
    the year, so that no two published averages give away a small group's (ADR 0008)."""
    start, end = public_period(start, end)
    chain = [years_on_support(association, s, e) for s, e in periods.allowed_periods(end.year) if e <= end]
    *earlier, latest = chain

    def shown(pk: int, total: Decimal, count: int, field: str) -> str | None:
        before = [getattr(e[pk], field) for e in earlier if pk in e and getattr(e[pk], field) >= threshold]
        if count < threshold or any(0 < count - n < threshold for n in before):
            return None
        return _years(average(total, count))

    codes = dict(association.interventions.filter(pk__in=latest).values_list("pk", "code"))
    return {
        codes[pk]: {
            "participating": shown(pk, c.years_sum, c.years_count, "years_count"),
            "exited": shown(pk, c.exited_years_sum, c.exited_years_count, "exited_years_count"),
        }
        for pk, c in sorted(latest.items())
    }


def gathered(association: Association, start: dt.date, end: dt.date, *, public: bool = False) -> Gathered:
    """The report for `finsam report participants` (exact) and `participants-public` (suppressed, for the
    allowed periods only)."""
    if public:
        threshold = settings.SUPPRESSION_THRESHOLD
        tables, grids = public_tables(association, start, end, threshold)
        document = as_document(tables, threshold=threshold, grids=grids)
        data = public_json(tables, threshold, grids)
        data["years_on_public_support"] = public_years(association, start, end, threshold)
        return Gathered(data, document)
    tables = gather(association, start, end)
    return Gathered(as_json(tables), as_document(tables))


def _gather(association: Association, period: Period) -> Gathered:
    return gathered(association, period.start, period.end)


def _gather_public(association: Association, period: Period) -> Gathered:
    return gathered(association, period.start, period.end, public=True)


# The kinds of report participants registers (see `finsam.core.documents`).
KINDS: dict[str, Gather] = {"participants": _gather, "participants-public": _gather_public}
