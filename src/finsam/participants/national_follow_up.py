"""The national follow-up, prepared (ADR 0027): per intervention and half-year, the figures an association
registers in the national follow-up (Uppföljning Finsam), laid out to copy from.

`figures(association, year, half)` gives one dict per intervention running in the half-year, in the order
they were set up:

    {"code": ..., "name": ..., "classification": <organisation.classification.as_dict>,
     "follow_up": "person", "new": group, "active": group, "exited": group}   # followed by person
    {"code": ..., "name": ..., "classification": ..., "follow_up": "volume", "volume": group}

where a group is {"women", "men", "other", "total"} of exact counts: *new* were enrolled in the half-year,
*active* took part at any time in it, *exited* left in it (voided episodes count nowhere, erased ones through
their tallies); *volume* adds the head counts recorded for periods within the half-year. The counts are
exact, as the national follow-up takes them: they are shown only to whoever may see exact counts of the
intervention (`participants.outcome_views`), never published as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core.documents import Cell, Column, Document, Gathered, Kind, Section, Table
from finsam.organisation import classification
from finsam.organisation.models import Association, Intervention
from finsam.participants.figures import GENDER_LABELS
from finsam.participants.tables import GENDERS, counts, municipalities_by_intervention, volumes


def half_year(year: int, half: int) -> tuple[dt.date, dt.date]:
    if half not in (1, 2):
        raise ValueError("a half-year is 1 or 2")
    if half == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def _group(by_gender: dict[str, int]) -> dict[str, int]:
    return {**{g: by_gender.get(g, 0) for g in GENDERS}, "total": sum(by_gender.get(g, 0) for g in GENDERS)}


def running(association: Association, start: dt.date, end: dt.date) -> list[Intervention]:
    return list(
        association.interventions.filter(Q(start__isnull=True) | Q(start__lte=end))
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("pk")
    )


def figures(association: Association, year: int, half: int) -> list[dict[str, Any]]:
    """The figures of each intervention for the half-year (the module's text documents the keys)."""
    start, end = half_year(year, half)
    by_intervention = counts(start, end, association).get(association.pk, {})
    by_municipality = municipalities_by_intervention(association, start, end)
    heads = volumes(association, start, end)
    result: list[dict[str, Any]] = []
    for intervention in running(association, start, end):
        entry: dict[str, Any] = {
            "code": intervention.code,
            "name": intervention.name,
            "classification": classification.as_dict(intervention),
            "follow_up": intervention.follow_up,
        }
        if intervention.follow_up == Intervention.FollowUp.VOLUME:
            entry["volume"] = _group(heads.get(intervention.pk, {}))
        else:
            found = by_intervention.get(intervention.pk)
            new: dict[str, int] = dict.fromkeys(GENDERS, 0)
            for row in by_municipality.get(intervention.pk, []):
                for gender in GENDERS:
                    new[gender] += row.new[gender]
            entry["new"] = _group(new)
            entry["active"] = _group(found.participating if found else {})
            entry["exited"] = _group(found.exited if found else {})
        result.append(entry)
    return result


MEASURES = (
    ("new", gettext_lazy("Nya")),
    ("active", gettext_lazy("Aktiva")),
    ("exited", gettext_lazy("Avslutade")),
    ("volume", gettext_lazy("Volym")),
)


def gathered(association: Association, year: int, half: int, codes: set[str] | None = None) -> Gathered:
    """The figures as a document to download (XLSX): a row per intervention, a column per measure and gender;
    only the interventions of `codes` when given."""
    rows_of = [e for e in figures(association, year, half) if codes is None or e["code"] in codes]
    columns = [Column("name", _("Insats")), Column("follow_up", _("Uppföljning"))]
    for key, label in MEASURES:
        for gender in (*GENDERS, "total"):
            shown = _("totalt") if gender == "total" else str(GENDER_LABELS[gender])
            columns.append(Column(f"{key}_{gender}", f"{label}, {shown}", Kind.INTEGER))
    rows: list[dict[str, Cell]] = []
    for entry in rows_of:
        row: dict[str, Cell] = {
            "name": entry["name"],
            "follow_up": str(classification.LABELS[entry["follow_up"]]),
        }
        for key, _label in MEASURES:
            for gender, value in entry.get(key, {}).items():
                row[f"{key}_{gender}"] = value
        rows.append(row)
    start, end = half_year(year, half)
    title = _("Nationella uppföljningen, halvår %(half)s %(year)s") % {"half": half, "year": year}
    notes = [
        _(
            "Nya: inskrivna under halvåret. Aktiva: inskrivna någon gång under halvåret. Avslutade: "
            "avslutsdatum inom halvåret. Volym: antal i de volymuppföljda insatserna. Exakta antal."
        )
    ]
    document = Document(
        title=title,
        association=association.name,
        period=f"{start.isoformat()} – {end.isoformat()}",
        sections=[Section(title, [], [Table(title, columns, rows, None, notes)])],
        filename=f"nationell-uppfoljning-{association.slug}-{year}-{half}",
    )
    return Gathered(
        {"association": association.slug, "year": year, "half": half, "interventions": rows_of}, document
    )
