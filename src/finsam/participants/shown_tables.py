"""The participant tables as the tables page shows them, computed once per change of the association's data:
every reader of aggregates sees the same ones, and gathering and suppressing them takes most of a second for
the largest associations (bench/web_load.py)."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from django.conf import settings

from finsam.core import caching
from finsam.core.documents import Document
from finsam.organisation.models import Association
from finsam.participants import figures, tables


class ShownTables(NamedTuple):
    start: (
        dt.date
    )  # the period shown: a suppressed table's is the allowed period that holds the one asked for
    end: dt.date
    document: Document
    names: dict[str, str]  # intervention code → name
    municipalities_by_intervention: dict[str, list[tables.MunicipalityRow]]


def shown_tables(association: Association, start: dt.date, end: dt.date, suppressed: bool) -> ShownTables:
    """The tables of start … end, exact or with small counts suppressed (`figures.public_tables`); a period
    that cannot be suppressed raises `ReportUnavailable`."""
    threshold = settings.SUPPRESSION_THRESHOLD

    def compute() -> ShownTables:
        if suppressed:
            gathered, grids = figures.public_tables(association, start, end, threshold)
            document = figures.as_document(gathered, threshold=threshold, grids=grids)
        else:
            gathered = tables.gather(association, start, end)
            document = figures.as_document(gathered)
        names = {i.code: i.name for i, _c in gathered.interventions}
        return ShownTables(
            gathered.start, gathered.end, document, names, dict(gathered.municipalities_by_intervention)
        )

    key = caching.data_key("participant-tables", association.pk, start, end, suppressed, threshold)
    return caching.kept(key, compute)
