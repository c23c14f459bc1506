"""The counts behind the outcome reports (`participants.outcomes`, ADR 0027): for the participants who exited
in a period, per intervention and gender, from live episodes and from the tallies erased ones left (whole
months).

Definitions:
- *in work*: occupation `arbete` or `subventionerat_arbete`; *work or studies* adds `studier`;
- *exited to work or studies*: exit reason `arbete` or `studier`;
- *began or increased work or studies*: none of them before and one after, or subsidised work before and
  work without subsidy after;
- *time in the intervention*: days from enrolment to exit, in the bands of `BANDS`;
- *income support before → after*: each kind before with each kind after (`models.income_pairs`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from finsam.organisation.models import Association
from finsam.participants.models import (
    GENDER_KEYS,
    Episode,
    ErasedOutcomeTally,
    ErasedTally,
    ExitReason,
    Gender,
    Occupation,
)
from finsam.participants.stored import income_pairs, month_start

WORK = (Occupation.WORK.value, Occupation.SUBSIDISED_WORK.value)
WORK_OR_STUDIES = (*WORK, Occupation.STUDIES.value)
TO_WORK_OR_STUDIES = (ExitReason.WORK.value, ExitReason.STUDIES.value)
# Time in the intervention: the band's key, its last day (None: no end) and its label.
BANDS: tuple[tuple[str, int | None, object], ...] = (
    ("under_3_months", 90, _("Under 3 månader")),
    ("3_to_6_months", 182, _("3–6 månader")),
    ("6_to_12_months", 365, _("6–12 månader")),
    ("1_to_2_years", 730, _("1–2 år")),
    ("over_2_years", None, _("Över 2 år")),
)


def band(days: int) -> str:
    return next(key for key, last, _label in BANDS if last is None or days <= last)


def began_or_increased(before: str, after: str) -> bool:
    began = before not in WORK_OR_STUDIES and after in WORK_OR_STUDIES
    return began or (before == Occupation.SUBSIDISED_WORK and after == Occupation.WORK)


@dataclass
class GroupOutcome:
    """One gender's exits of one intervention."""

    exited: int = 0
    employed_before: int = 0
    employed_after: int = 0
    to_work_or_studies: int = 0
    began_or_increased: int = 0
    years_sum: Decimal = Decimal(0)
    years_known: int = 0
    days: Counter[int] = field(default_factory=Counter)

    def occupations(self, before: str, after: str, n: int) -> None:
        self.employed_before += n if before in WORK else 0
        self.employed_after += n if after in WORK else 0
        self.began_or_increased += n if began_or_increased(before, after) else 0


@dataclass
class InterventionOutcome:
    groups: dict[str, GroupOutcome] = field(
        default_factory=lambda: {key: GroupOutcome() for key in GENDER_KEYS.values()}
    )
    # (kind before, kind after) → participants; "" where none is recorded.
    transitions: Counter[tuple[str, str]] = field(default_factory=Counter)


def gather(association: Association, start: dt.date, end: dt.date) -> dict[int, InterventionOutcome]:
    """Per intervention id, the outcomes of the participants who exited in start … end (voided episodes count
    nowhere)."""
    result: dict[int, InterventionOutcome] = {}

    def group(intervention_id: int, gender: str) -> GroupOutcome:
        return result.setdefault(intervention_id, InterventionOutcome()).groups[GENDER_KEYS[Gender(gender)]]

    episodes = (
        Episode.objects.filter(association=association, exited_on__range=(start, end))
        .exclude(exit_reason=ExitReason.VOID)
        .values_list(
            "intervention_id",
            "gender",
            "exit_reason",
            "occupation_before",
            "occupation_after",
            "income_before",
            "income_after",
            "enrolled_on",
            "exited_on",
            "years_on_support",
        )
    )
    for pk, gender, reason, job_before, job_after, before, after, enrolled, exited, years in episodes:
        entry = group(pk, gender)
        entry.exited += 1
        entry.to_work_or_studies += reason in TO_WORK_OR_STUDIES
        entry.occupations(job_before, job_after, 1)
        entry.days[(exited - enrolled).days] += 1  # type: ignore[operator]  # exited in the period
        if years is not None:
            entry.years_sum += years
            entry.years_known += 1
        result[pk].transitions.update(income_pairs(before, after))
    months = (month_start(start), end)
    tallies = (
        ErasedTally.objects.filter(association=association, exited_month__range=months)
        .exclude(exit_reason=ExitReason.VOID)
        .values_list("intervention_id", "gender", "exit_reason")
        .annotate(n=Sum("count"), ys=Sum("years_on_support_sum"), yc=Sum("years_on_support_count"))
        .order_by()
    )
    for pk, gender, reason, n, years_sum, years_known in tallies:
        entry = group(pk, gender)
        entry.exited += n
        entry.to_work_or_studies += n if reason in TO_WORK_OR_STUDIES else 0
        entry.years_sum += Decimal(years_sum or 0)
        entry.years_known += years_known or 0
    outcomes = (
        ErasedOutcomeTally.objects.filter(association=association, exited_month__range=months)
        .values_list("intervention_id", "gender", "measure", "before", "after", "days")
        .annotate(n=Sum("count"))
        .order_by()
    )
    for pk, gender, measure, before, after, days, n in outcomes:
        entry = group(pk, gender)
        if measure == ErasedOutcomeTally.Measure.OCCUPATION:
            entry.occupations(before, after, n)
        elif measure == ErasedOutcomeTally.Measure.DAYS:
            entry.days[days] += n
        else:
            result[pk].transitions[(before, after)] += n
    return result
