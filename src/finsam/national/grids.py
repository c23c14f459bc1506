"""The grids of counts an export publishes besides the board's (participating, exited and exit reasons by
intervention), each suppressed like them: against the same grid of the year's earlier allowed periods
(`participants.figures.suppress_published`), never as raw counts."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Q, Sum

from finsam.organisation.models import Association
from finsam.participants.figures import Grids, published_grids, suppress_published
from finsam.participants.models import Episode, ErasedTally, ExitReason
from finsam.participants.tables import (
    GENDERS,
    OUTCOME_KEYS,
    ParticipantTables,
    active_episodes,
    active_tallies,
    gather,
    public_period,
)
from finsam.privacy import periods

# Age at the period's end year, in bands wide enough to publish; erased episodes keep no birth year.
AGE_BANDS = ("up_to_24", "25_34", "35_44", "45_and_over", "unknown")
REFERRAL_OUTCOMES = list(OUTCOME_KEYS.values())
# The board's grids an export publishes too, suppressed exactly as in the board's documents.
BOARD_GRIDS = ("participating", "exited", "exit_reasons")
GridRows = tuple[list[object], list[list[int]], list[str]]


def age_band(birth_year: int | None, year: int) -> str:
    if birth_year is None:
        return "unknown"
    age = year - birth_year
    if age <= 24:
        return "up_to_24"
    if age <= 34:
        return "25_34"
    return "35_44" if age <= 44 else "45_and_over"


def _ages(association: Association, start: dt.date, end: dt.date) -> dict[int, dict[str, list[int]]]:
    """Per intervention id and age band: [participating, exited] in the period, erased episodes as unknown."""
    result: dict[int, dict[str, list[int]]] = defaultdict(lambda: {band: [0, 0] for band in AGE_BANDS})
    exited = Q(exited_on__lte=end)
    live = (
        Episode.objects.filter(association=association)
        .filter(active_episodes(start, end))
        .exclude(exit_reason=ExitReason.VOID)
        .values_list("intervention_id", "birth_year")
        .annotate(n=Count("id"), out=Count("id", filter=exited))
        .order_by()
    )
    for intervention_id, birth_year, n, out in live:
        entry = result[intervention_id][age_band(birth_year, end.year)]
        entry[0] += n
        entry[1] += out
    erased = (
        ErasedTally.objects.filter(association=association)
        .filter(active_tallies(start, end))
        .exclude(exit_reason=ExitReason.VOID)
        .values_list("intervention_id")
        .annotate(n=Sum("count"), out=Sum("count", filter=Q(exited_month__lte=end)))
        .order_by()
    )
    for intervention_id, n, out in erased:
        entry = result[intervention_id]["unknown"]
        entry[0] += n or 0
        entry[1] += out or 0
    return result


def extra_grids(tables: ParticipantTables) -> dict[str, GridRows]:
    """The export's own grids of one period: new participants by gender, participating and exited by age
    band (rows: the interventions of the board's grids), referrals by source and outcome, and volume counts
    of structural interventions by gender."""
    interventions: list[object] = [i.pk for i, _c in tables.interventions]
    new = []
    for intervention, _c in tables.interventions:
        rows = tables.municipalities_by_intervention.get(intervention.code, [])
        new.append([sum(row.new[g] for row in rows) for g in GENDERS])
    ages = _ages(tables.association, tables.start, tables.end)
    by_age = [ages.get(i.pk, {band: [0, 0] for band in AGE_BANDS}) for i, _c in tables.interventions]
    return {
        "new": (interventions, new, list(GENDERS)),
        "participating_by_age": (
            interventions,
            [[a[b][0] for b in AGE_BANDS] for a in by_age],
            list(AGE_BANDS),
        ),
        "exited_by_age": (interventions, [[a[b][1] for b in AGE_BANDS] for a in by_age], list(AGE_BANDS)),
        "referrals": (
            [r.source for r in tables.referrals],
            [[r.outcomes[k] for k in REFERRAL_OUTCOMES] for r in tables.referrals],
            REFERRAL_OUTCOMES,
        ),
        "volumes": (
            [i.pk for i, _v in tables.volumes],
            [[v[g] for g in GENDERS] for _i, v in tables.volumes],
            list(GENDERS),
        ),
    }


def export_grids(
    association: Association, start: dt.date, end: dt.date, threshold: int
) -> tuple[ParticipantTables, Grids]:
    """The tables of the allowed period that holds start … end and every grid an export publishes, suppressed
    against the allowed periods of the year before it (as the board's public tables are)."""
    start, end = public_period(start, end)
    chain = [gather(association, s, e) for s, e in periods.allowed_periods(end.year) if e <= end]
    grids = [
        {name: grid for name, grid in published_grids(tables).items() if name in BOARD_GRIDS}
        | extra_grids(tables)
        for tables in chain
    ]
    return chain[-1], suppress_published(grids, threshold)
