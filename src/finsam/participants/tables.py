"""The participants tables: counted in the database, from live episodes plus the tallies erased ones left.

`counts` is the documented table (docs/participants.md; one grouped query per source); `gather` adds the
rest of seed 001's tables. Periods over whole months count erased episodes exactly (their tallies keep months,
not days).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q, Sum

from finsam.core.documents import ReportUnavailable
from finsam.organisation.models import Association, Intervention
from finsam.participants.models import (
    COUNTED_REASONS,
    EXIT_GROUPS,
    GENDER_KEYS,
    Area,
    Episode,
    ErasedRatingTally,
    ErasedReferralTally,
    ErasedSupportTally,
    ErasedTally,
    ExitReason,
    Gender,
    IncomeSupport,
    Rating,
    Referral,
    ReferralSource,
    VolumeCount,
)
from finsam.participants.stored import month_start, support_codes
from finsam.privacy import periods

GENDERS = tuple(GENDER_KEYS.values())  # women, men, other
OUTCOME_KEYS = {
    Referral.Outcome.ENROLLED: "enrolled",
    Referral.Outcome.RETURNED: "returned",
    Referral.Outcome.REPORT_BACK: "report_back",
    Referral.Outcome.PENDING: "pending",
}


def _genders() -> dict[str, int]:
    return dict.fromkeys(GENDERS, 0)


@dataclass
class InterventionCounts:
    participating: dict[str, int] = field(default_factory=_genders)
    exited: dict[str, int] = field(default_factory=_genders)
    reasons: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNTED_REASONS, 0))
    years_sum: Decimal = Decimal(0)
    years_count: int = 0
    exited_years_sum: Decimal = Decimal(0)
    exited_years_count: int = 0

    def add(self, other: InterventionCounts) -> None:
        for gender in GENDERS:
            self.participating[gender] += other.participating[gender]
            self.exited[gender] += other.exited[gender]
        for reason in COUNTED_REASONS:
            self.reasons[reason] += other.reasons[reason]
        self.years_sum += other.years_sum
        self.years_count += other.years_count
        self.exited_years_sum += other.exited_years_sum
        self.exited_years_count += other.exited_years_count

    @property
    def groups(self) -> dict[str, int]:
        return {group: sum(self.reasons[r] for r in reasons) for group, reasons in EXIT_GROUPS.items()}


def active_episodes(start: dt.date, end: dt.date) -> Q:
    """The filter of `Episode` rows active in start … end: enrolled by its end and not exited before its
    start. Every table of participants in a period counts these (voided episodes are excluded apart)."""
    return Q(enrolled_on__lte=end) & (Q(exited_on__isnull=True) | Q(exited_on__gte=start))


def active_tallies(start: dt.date, end: dt.date) -> Q:
    """The filter of the erased episodes' tallies (`ErasedTally`, `ErasedRatingTally`) active in start … end,
    by their months: counted with `active_episodes`, a period of whole months is exact."""
    return Q(enrolled_month__lte=end) & (
        Q(exited_month__isnull=True) | Q(exited_month__gte=month_start(start))
    )


# One pass over the covering index `episode_table` and the (small) erased tallies, in one hand-written query:
# the ORM's form of it (filtered aggregates, two queries) measured 1.9× slower on SQLite than the plain count
# (bench/participants_table.py).
_COUNTS = """
SELECT association_id, intervention_id, gender, exit_reason,
       COUNT(*),
       SUM(CASE WHEN exited_on <= %(end)s THEN 1 ELSE 0 END)
FROM {episodes}
WHERE {scope} enrolled_on <= %(end)s AND (exited_on IS NULL OR exited_on >= %(start)s)
  AND exit_reason <> %(void)s
GROUP BY association_id, intervention_id, gender, exit_reason
UNION ALL
SELECT association_id, intervention_id, gender, exit_reason,
       SUM("count"),
       SUM(CASE WHEN exited_month <= %(end)s THEN "count" ELSE 0 END)
FROM {tallies}
WHERE {scope} enrolled_month <= %(end)s AND (exited_month IS NULL OR exited_month >= %(month)s)
  AND exit_reason <> %(void)s
GROUP BY association_id, intervention_id, gender, exit_reason
"""


def counts(
    start: dt.date, end: dt.date, association: Association | None = None
) -> dict[int, dict[int, InterventionCounts]]:
    """The documented table (docs/participants.md) per association id and intervention id: participating and
    exited by gender, and exit reasons, of live episodes and erased tallies. Voided episodes (felregistrering)
    count nowhere. All associations when none is given."""
    sql = _COUNTS.format(
        episodes=Episode._meta.db_table,
        tallies=ErasedTally._meta.db_table,
        scope="association_id = %(association)s AND" if association is not None else "",
    )
    params: dict[str, dt.date | str | int | None] = {
        "start": start,
        "end": end,
        "month": month_start(start),
        "void": ExitReason.VOID.value,
        "association": association.pk if association is not None else None,
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    result: dict[int, dict[int, InterventionCounts]] = defaultdict(lambda: defaultdict(InterventionCounts))
    genders = {gender.value: GENDER_KEYS[gender] for gender in Gender}
    for association_id, intervention_id, gender, reason, n, out in rows:
        entry = result[association_id][intervention_id]
        key = genders[gender]
        entry.participating[key] += n or 0
        if out:
            entry.exited[key] += out
            entry.reasons[reason] += out
    return result


def years_on_support(association: Association, start: dt.date, end: dt.date) -> dict[int, InterventionCounts]:
    """Per intervention id: the sums and counts behind the average years on public support before entry, for
    participating and for exited participants (the other fields of the counts stay zero)."""
    result: dict[int, InterventionCounts] = defaultdict(InterventionCounts)
    exited = Q(exited_on__lte=end)
    rows = (
        Episode.objects.filter(association=association, years_on_support__isnull=False)
        .filter(active_episodes(start, end))
        .exclude(exit_reason=ExitReason.VOID)
        .values_list("intervention_id")
        .annotate(
            ys=Sum("years_on_support"),
            yc=Count("id"),
            eys=Sum("years_on_support", filter=exited),
            eyc=Count("id", filter=exited),
        )
        .order_by()
    )
    tally_exited = Q(exited_month__lte=end)
    tally_rows = (
        ErasedTally.objects.filter(association=association)
        .filter(active_tallies(start, end))
        .exclude(exit_reason=ExitReason.VOID)
        .values_list("intervention_id")
        .annotate(
            ys=Sum("years_on_support_sum"),
            yc=Sum("years_on_support_count"),
            eys=Sum("years_on_support_sum", filter=tally_exited),
            eyc=Sum("years_on_support_count", filter=tally_exited),
        )
        .order_by()
    )
    for intervention_id, ys, yc, eys, eyc in [*rows, *tally_rows]:
        entry = result[intervention_id]
        entry.years_sum += Decimal(ys or 0)
        entry.years_count += yc or 0
        entry.exited_years_sum += Decimal(eys or 0)
        entry.exited_years_count += eyc or 0
    return result


def average(total: Decimal, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class MunicipalityRow:
    municipality: str
    carried_over: dict[str, int] = field(default_factory=_genders)
    new: dict[str, int] = field(default_factory=_genders)

    @property
    def total(self) -> int:
        return sum(self.carried_over.values()) + sum(self.new.values())


def municipalities_by_intervention(
    association: Association, start: dt.date, end: dt.date
) -> dict[int | None, list[MunicipalityRow]]:
    """Participants by home municipality and gender: in the programme when the period began, and new in it;
    per intervention id, and under None for all interventions together (one query per source)."""
    by: dict[int | None, dict[str, MunicipalityRow]] = defaultdict(dict)
    episodes = (
        Episode.objects.filter(association=association)
        .filter(active_episodes(start, end))
        .exclude(exit_reason=ExitReason.VOID)
        .values_list("intervention_id", "municipality", "gender")
        .annotate(
            carried=Count("id", filter=Q(enrolled_on__lt=start)),
            new=Count("id", filter=Q(enrolled_on__gte=start)),
        )
        .order_by()
    )
    tallies = (
        ErasedTally.objects.filter(association=association)
        .filter(active_tallies(start, end))
        .exclude(exit_reason=ExitReason.VOID)
        .values_list("intervention_id", "municipality", "gender")
        .annotate(
            carried=Sum("count", filter=Q(enrolled_month__lt=month_start(start))),
            new=Sum("count", filter=Q(enrolled_month__gte=month_start(start))),
        )
        .order_by()
    )
    for intervention_id, municipality, gender, carried, new in [*episodes, *tallies]:
        name = municipality or "Okänd"
        key = GENDER_KEYS[Gender(gender)]
        for scope in (intervention_id, None):
            row = by[scope].setdefault(name, MunicipalityRow(name))
            row.carried_over[key] += carried or 0
            row.new[key] += new or 0
    return {
        scope: sorted(rows.values(), key=lambda r: (r.municipality == "Okänd", r.municipality))
        for scope, rows in by.items()
    }


def municipalities(association: Association, start: dt.date, end: dt.date) -> list[MunicipalityRow]:
    return municipalities_by_intervention(association, start, end).get(None, [])


@dataclass
class ReferralRow:
    source: str
    outcomes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OUTCOME_KEYS.values(), 0))

    @property
    def count(self) -> int:
        return sum(self.outcomes.values())


def referrals(association: Association, start: dt.date, end: dt.date) -> list[ReferralRow]:
    """Referrals received in the period by source and outcome."""
    rows: dict[str, ReferralRow] = {}
    live = (
        Referral.objects.filter(association=association, received_on__range=(start, end))
        .values_list("source", "outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    erased = (
        ErasedReferralTally.objects.filter(
            association=association, received_month__gte=month_start(start), received_month__lte=end
        )
        .values_list("source", "outcome")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for source, outcome, n in [*live, *erased]:
        row = rows.setdefault(source, ReferralRow(source))
        row.outcomes[OUTCOME_KEYS[Referral.Outcome(outcome)]] += n or 0
    return sorted(rows.values(), key=lambda r: (-r.count, r.source))


def referral_sources(association: Association, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """Per intervention id: the referrals received in the period by source (erased ones by their tallies)."""
    result: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(ReferralSource.values, 0))
    live = (
        Referral.objects.filter(association=association, received_on__range=(start, end))
        .values_list("intervention_id", "source")
        .annotate(n=Count("id"))
        .order_by()
    )
    erased = (
        ErasedReferralTally.objects.filter(
            association=association, received_month__gte=month_start(start), received_month__lte=end
        )
        .values_list("intervention_id", "source")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for intervention_id, source, n in [*live, *erased]:
        result[intervention_id][source] += n or 0
    return result


def income_support(association: Association, start: dt.date, end: dt.date) -> dict[str, dict[str, int]]:
    """For the participants who exited in the period: how many had each kind of income support before and
    after (a participant with two kinds counts under both), erased ones included through their tallies."""
    result = {code: {"before": 0, "after": 0} for code in IncomeSupport.values}
    exited = (
        Episode.objects.filter(association=association, exited_on__range=(start, end))
        .exclude(exit_reason=ExitReason.VOID)
        .values_list("income_before", "income_after")
        .annotate(n=Count("id"))
        .order_by()
    )
    for before, after, n in exited:
        for code in support_codes(before):
            result[code]["before"] += n
        for code in support_codes(after):
            result[code]["after"] += n
    tallies = (
        ErasedSupportTally.objects.filter(
            association=association, exited_month__range=(month_start(start), end)
        )
        .values_list("code")
        .annotate(before=Sum("before"), after=Sum("after"))
        .order_by()
    )
    for code, before_n, after_n in tallies:
        result[code]["before"] += before_n
        result[code]["after"] += after_n
    return result


@dataclass
class Progression:
    area: str
    rater: str
    people: int
    first: Decimal
    latest: Decimal


def first_and_latest(points: list[tuple[dt.date, int]]) -> tuple[int, int] | None:
    """The first and the latest value of one person's ratings of one area by one rater; None unless rated at
    least twice (a progression needs two points)."""
    if len(points) < 2:
        return None
    points.sort()
    return points[0][1], points[-1][1]


def progression(association: Association, start: dt.date, end: dt.date) -> dict[int, list[Progression]]:
    """Per intervention id, area and rater: the average first and latest rating of the participants active in
    the period who were rated at least twice, erased ones included through their tallies."""
    series: dict[tuple[int, int, str, int], list[tuple[dt.date, int]]] = defaultdict(list)
    ratings = Rating.objects.filter(
        episode__in=Episode.objects.filter(association=association)
        .filter(active_episodes(start, end))
        .exclude(exit_reason=ExitReason.VOID)
    ).values_list("episode__intervention_id", "area_id", "rater", "episode_id", "rated_on", "value")
    for intervention_id, area_id, rater, episode_id, rated_on, value in ratings:
        series[(intervention_id, area_id, rater, episode_id)].append((rated_on, value))
    # Per intervention id and (area id, rater): people, sum of first ratings, sum of latest ratings.
    sums: dict[int, dict[tuple[int, str], list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for (intervention_id, area_id, rater, _episode), points in series.items():
        pair = first_and_latest(points)
        if pair is not None:
            entry = sums[intervention_id][(area_id, rater)]
            entry[0] += 1
            entry[1] += pair[0]
            entry[2] += pair[1]
    tallies = (
        ErasedRatingTally.objects.filter(association=association)
        .filter(active_tallies(start, end))
        .values_list("intervention_id", "area_id", "rater")
        .annotate(people=Sum("people"), first=Sum("first_sum"), latest=Sum("latest_sum"))
        .order_by()
    )
    for intervention_id, area_id, rater, people, first, latest in tallies:
        entry = sums[intervention_id][(area_id, rater)]
        entry[0] += people
        entry[1] += first
        entry[2] += latest
    names = {area.pk: (area.position, area.name) for area in Area.objects.all()}
    q = Decimal("0.1")
    return {
        intervention_id: [
            Progression(
                names[area_id][1],
                rater,
                people,
                (Decimal(first) / people).quantize(q),
                (Decimal(latest) / people).quantize(q),
            )
            for (area_id, rater), (people, first, latest) in sorted(
                by_area.items(), key=lambda item: (names[item[0][0]][0], item[0][1])
            )
        ]
        for intervention_id, by_area in sums.items()
    }


def volumes(association: Association, start: dt.date, end: dt.date) -> dict[int, dict[str, int]]:
    """Head counts of structural interventions recorded for periods within this one."""
    result: dict[int, dict[str, int]] = defaultdict(_genders)
    rows = (
        VolumeCount.objects.filter(intervention__association=association, start__gte=start, end__lte=end)
        .values_list("intervention_id", "gender")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for intervention_id, gender, n in rows:
        result[intervention_id][GENDER_KEYS[Gender(gender)]] += n or 0
    return result


@dataclass
class ParticipantTables:
    association: Association
    start: dt.date
    end: dt.date
    interventions: list[tuple[Intervention, InterventionCounts]]
    total: InterventionCounts
    municipalities: list[MunicipalityRow]
    municipalities_by_intervention: dict[str, list[MunicipalityRow]]
    referrals: list[ReferralRow]
    income_support: dict[str, dict[str, int]]
    progression: dict[str, list[Progression]]
    volumes: list[tuple[Intervention, dict[str, int]]]
    # Per intervention id, the referrals by source (`referral_sources`).
    referral_sources: dict[int, dict[str, int]] = field(default_factory=dict)


def individual_interventions(association: Association, start: dt.date, end: dt.date) -> list[Intervention]:
    """The association's individual interventions running in the period, in the order they were set up."""
    return list(
        association.interventions.filter(kind=Intervention.Kind.INDIVIDUAL)
        .filter(Q(start__isnull=True) | Q(start__lte=end))
        .filter(Q(end__isnull=True) | Q(end__gte=start))
        .order_by("pk")
    )


def gather(association: Association, start: dt.date, end: dt.date) -> ParticipantTables:
    by_intervention = counts(start, end, association).get(association.pk, {})
    years = years_on_support(association, start, end)
    shown = individual_interventions(association, start, end)
    shown_ids = {i.pk for i in shown}
    # An intervention that has ended still shows when it had participants in the period.
    extra = [
        i
        for i in association.interventions.filter(pk__in=by_intervention).order_by("pk")
        if i.pk not in shown_ids
    ]
    ordered = sorted([*shown, *extra], key=lambda i: i.pk)
    total = InterventionCounts()
    rows = []
    for intervention in ordered:
        entry = by_intervention.get(intervention.pk, InterventionCounts())
        support = years.get(intervention.pk)
        if support is not None:
            entry.years_sum, entry.years_count = support.years_sum, support.years_count
            entry.exited_years_sum, entry.exited_years_count = (
                support.exited_years_sum,
                support.exited_years_count,
            )
        total.add(entry)
        rows.append((intervention, entry))
    by_id = progression(association, start, end)
    progress = {i.code: by_id.get(i.pk, []) for i in ordered}
    volume_counts = volumes(association, start, end)
    by_municipality = municipalities_by_intervention(association, start, end)
    structural = association.interventions.filter(pk__in=volume_counts).order_by("pk")
    return ParticipantTables(
        association=association,
        start=start,
        end=end,
        interventions=rows,
        total=total,
        municipalities=by_municipality.get(None, []),
        municipalities_by_intervention={
            i.code: by_municipality[i.pk] for i in ordered if i.pk in by_municipality
        },
        referrals=referrals(association, start, end),
        income_support=income_support(association, start, end),
        progression={code: p for code, p in progress.items() if p},
        volumes=[(i, volume_counts[i.pk]) for i in structural],
        referral_sources=referral_sources(association, start, end),
    )


def public_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The allowed period (`privacy.periods`) a suppressed table of start … end is given for: the shortest
    that holds it. A period across a year end is refused with a message in Swedish."""
    try:
        return periods.fixed_period(start, end)
    except periods.PeriodNotAllowed as error:
        raise ReportUnavailable(str(error)) from None
