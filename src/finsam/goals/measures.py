"""A commitment's outcome for a period, from the figures the system holds, and the status it suggests.

The suggestion: no figure (too few survey answers, no exits) → not possible to assess; at least the target →
fulfilled; at least half the target (and above zero) → partly fulfilled; otherwise not fulfilled. Seed 001
reads the same way: 6 deviation reports against 12 is "Delvis uppfyllt", 45 Arena cases against 100 "Inte
uppfyllt".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.goals import results, statistics
from finsam.goals.models import Commitment, Measure, Status
from finsam.organisation.models import Association, Intervention
from finsam.privacy import periods

PARTIAL_SHARE = Decimal("0.5")


@dataclass(frozen=True)
class Outcome:
    value: int | Decimal | None  # a count, or a share 0–1; None when the figure cannot be given
    basis: int | None = None  # the answers or exits a share is taken of
    note: str = ""

    def display(self) -> str:
        if self.value is None:
            return self.note
        if isinstance(self.value, int):
            return formatting.number(self.value)
        return formatting.percent(self.value, 1)


@dataclass(frozen=True)
class ParticipantFigures:
    participating: int
    exited: int
    work_or_studies: int


def participant_figures(
    association: Association, start: dt.date, end: dt.date, intervention: Intervention | None
) -> ParticipantFigures:
    """The one place the goals read the participants app: its counted table (docs/participants.md)."""
    from finsam.participants import tables

    per_intervention = tables.counts(start, end, association).get(association.pk, {})
    chosen = [
        counts
        for intervention_id, counts in per_intervention.items()
        if intervention is None or intervention_id == intervention.pk
    ]
    return ParticipantFigures(
        participating=sum(sum(c.participating.values()) for c in chosen),
        exited=sum(sum(c.exited.values()) for c in chosen),
        work_or_studies=sum(c.groups["work_or_studies"] for c in chosen),
    )


def outcome(commitment: Commitment, start: dt.date, end: dt.date) -> Outcome | None:
    """The figure the commitment's measure gives for the period; None for a commitment without one."""
    association = commitment.association
    measure = commitment.measure
    if measure == Measure.NONE:
        return None
    if measure == Measure.COOPERATION_CASES:
        return Outcome(statistics.cooperation(association, start, end).cases)
    if measure == Measure.COOPERATION_MEETINGS:
        return Outcome(statistics.cooperation(association, start, end).meetings)
    if measure == Measure.DEVIATION_REPORTS:
        return Outcome(statistics.deviations(association, start, end).reports)
    if measure == Measure.EVENTS:
        return Outcome(statistics.events(association, start, end).events)
    if measure == Measure.EVENT_REACH:
        return Outcome(statistics.events(association, start, end).reach)
    if measure == Measure.SURVEY_SHARE:
        assert commitment.question is not None
        result = results.question_result(commitment.question, start, end)
        if result.too_few:
            note = _("för få svar (%(n)s, minst %(min)s behövs)") % {
                "n": result.answered,
                "min": result.min_answers,
            }
            return Outcome(None, result.answered, note)
        if result.share is None:
            return Outcome(None, result.answered, _("inga svar utom vet inte"))
        return Outcome(result.share, result.rated)
    return _participant_outcome(commitment, start, end)


def _published_counts(
    association: Association, start: dt.date, end: dt.date, intervention: Intervention | None
) -> tuple[ParticipantFigures, dict[str, bool]]:
    """The figures of the fixed period that holds start … end, and whether each count may be published.

    Figures about participants reach the board and the annual report, so they are published as the
    participant tables are (privacy/periods.py): for the year-to-date at March, June or December only, each
    count suppressed against the same count of the year's earlier fixed periods, so that no two periods'
    figures subtract to a group smaller than the threshold."""
    start, end = periods.fixed_period(start, end)
    chain = [
        participant_figures(association, s, e, intervention)
        for s, e in periods.allowed_periods(end.year)
        if e <= end
    ]
    shown = {}
    for name in ("participating", "exited"):
        tables = [(("count",), [[getattr(figures, name)]]) for figures in chain]
        last = periods.suppress_chain(tables, columns=1, threshold=settings.SUPPRESSION_THRESHOLD)[-1]
        shown[name] = not last.hidden
    return chain[-1], shown


def _participant_outcome(commitment: Commitment, start: dt.date, end: dt.date) -> Outcome:
    threshold = settings.SUPPRESSION_THRESHOLD
    try:
        figures, shown = _published_counts(commitment.association, start, end, commitment.intervention)
    except periods.PeriodNotAllowed:
        return Outcome(None, None, _("perioden går över ett årsskifte"))
    few = _("färre än %d") % threshold
    differs_by_few = _("döljs: skillnaden mot en tidigare period är färre än %d") % threshold
    if commitment.measure == Measure.PARTICIPANTS:
        if figures.participating < threshold:
            return Outcome(None, None, _("%s deltagare") % few)
        if not shown["participating"]:
            return Outcome(None, None, differs_by_few)
        return Outcome(figures.participating)
    exit_share = statistics.share(figures.work_or_studies, figures.exited)
    if exit_share is None:
        return Outcome(None, 0, _("inga avslut under perioden"))
    if figures.exited < threshold:
        return Outcome(None, None, _("%s avslut") % few)
    if not shown["exited"]:
        return Outcome(None, None, differs_by_few)
    return Outcome(exit_share, figures.exited)


def target_value(commitment: Commitment) -> int | Decimal | None:
    """The target in the outcome's unit: a count, or a share 0–1 (typed in per cent)."""
    if commitment.target is None:
        return None
    if commitment.is_share:
        return (commitment.target / 100).quantize(statistics.SHARE_PLACES)
    return (
        int(commitment.target) if commitment.target == commitment.target.to_integral() else commitment.target
    )


def suggest(commitment: Commitment, result: Outcome | None) -> Status | None:
    target = target_value(commitment)
    if result is None or target is None:
        return None
    if result.value is None:
        return Status.NOT_ASSESSABLE
    if result.value >= target:
        return Status.FULFILLED
    if result.value > 0 and result.value >= target * PARTIAL_SHARE:
        return Status.PARTLY
    return Status.NOT_FULFILLED


@dataclass(frozen=True)
class Assessment:
    commitment: Commitment
    outcome: Outcome | None
    suggested: Status | None

    @property
    def target(self) -> int | Decimal | None:
        return target_value(self.commitment)

    def target_display(self) -> str:
        target = self.target
        if target is None:
            return ""
        if isinstance(target, Decimal) and self.commitment.is_share:
            return formatting.percent(target, 0)
        return formatting.number(target)


def assess(commitment: Commitment, start: dt.date, end: dt.date) -> Assessment:
    result = outcome(commitment, start, end)
    return Assessment(commitment, result, suggest(commitment, result))


def assess_year(association: Association, start: dt.date, end: dt.date) -> list[Assessment]:
    """Every commitment of the period's year, in order, each with its figure for the period."""
    commitments = Commitment.objects.filter(association=association, year=end.year).select_related(
        "question__questionnaire", "intervention", "association"
    )
    return [assess(c, start, end) for c in commitments]
