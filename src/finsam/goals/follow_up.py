"""The follow-up of goals (`finsam report goals`): the commitments of the period's year with their figures,
statuses and the summary sentence, the structural-work statistics, and the survey results of the period (with
the minimum of answers)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.core.documents import Column, Document, Gather, Gathered, Kind, Period, Section, Table
from finsam.goals import measures, results, sentence, statistics
from finsam.goals.models import Answer, Commitment, Level, Question, Status
from finsam.organisation.models import Association

COUNT_KEYS = {**{s.value: s.value for s in Status}, sentence.UNASSESSED: "unassessed"}


def _plain(value: int | Decimal | None) -> int | str | None:
    """Counts stay integers; shares become exact strings ("0.8000")."""
    if value is None or isinstance(value, int):
        return value
    return str(value)


def goal_text(commitment: Commitment) -> str:
    """The goal as a follow-up names it: a goal of an intervention with the intervention's name first."""
    if commitment.level == Level.INTERVENTION and commitment.intervention is not None:
        return f"{commitment.intervention.name}: {commitment.text}"
    return commitment.text


def _status_label(status: str) -> str:
    return str(Status(status).label) if status else ""


def counts(assessments: list[measures.Assessment]) -> dict[str, int]:
    tally = Counter(a.commitment.status for a in assessments)
    return {status: tally.get(status, 0) for status in sentence.ORDER}


def summary(assessments: list[measures.Assessment], year: int) -> str:
    return sentence.summary(counts(assessments), year)


def _goal_json(a: measures.Assessment) -> dict[str, Any]:
    c = a.commitment
    return {
        "position": c.position,
        "level": c.level or None,
        "text": goal_text(c),
        "measure": c.measure_text,
        "measure_kind": c.measure or None,
        "target": _plain(a.target),
        "outcome": _plain(a.outcome.value) if a.outcome else None,
        "outcome_note": a.outcome.note if a.outcome else "",
        "suggested_status": a.suggested.value if a.suggested else None,
        "status": c.status or None,
        "status_label": _status_label(c.status),
        "comment": c.comment,
    }


def _rows_json(rows: list[statistics.Row]) -> list[dict[str, Any]]:
    return [
        {"key": r.key or None, "label": r.label, "count": r.count, "share": _plain(r.share)} for r in rows
    ]


def structural_json(association: Association, start: dt.date, end: dt.date) -> dict[str, Any]:
    co = statistics.cooperation(association, start, end)
    dev = statistics.deviations(association, start, end)
    ev = statistics.events(association, start, end)
    return {
        "cooperation": {
            "cases": co.cases,
            "meetings": co.meetings,
            "meetings_with_case": co.meetings_with_case,
            "meeting_share": _plain(co.meeting_share),
            "cases_at_meetings": co.cases_at_meetings,
            "referring_party": _rows_json(co.by_party),
            "age_group": _rows_json(co.by_age),
            "local_groups": [
                {"name": g.local_group, "cases": g.cases, "meetings": g.meetings} for g in co.by_group
            ],
        },
        "deviation_reports": {
            "reports": dev.reports,
            "raised_nationally": dev.raised_nationally,
            "state": _rows_json(dev.by_state),
        },
        "events": {
            "events": ev.events,
            "attendees": ev.attendees,
            "unique_viewers": ev.unique_viewers,
            "kinds": [
                {
                    "kind": r.kind,
                    "label": r.label,
                    "events": r.events,
                    "attendees": r.attendees,
                    "unique_viewers": r.unique_viewers,
                }
                for r in ev.by_kind
            ],
        },
    }


def survey_questions(association: Association, start: dt.date, end: dt.date) -> list[results.QuestionResult]:
    """Every question answered in the period, with its result over all its questionnaire's surveys."""
    answered = Answer.objects.filter(
        question__questionnaire__association=association, response__submitted_on__range=(start, end)
    ).values("question")
    questions = Question.objects.filter(pk__in=answered).select_related("questionnaire")
    questions = questions.order_by("questionnaire__name", "position")
    return [results.question_result(q, start, end) for q in questions]


def _survey_json(result: results.QuestionResult) -> dict[str, Any]:
    return {
        "questionnaire": result.question.questionnaire.name,
        "position": result.question.position,
        "question": result.question.text,
        "answers": result.answered,
        "min_answers": result.min_answers,
        "too_few": result.too_few,
        "share": _plain(result.share),
    }


def as_json(association: Association, start: dt.date, end: dt.date) -> dict[str, Any]:
    assessments = measures.assess_year(association, start, end)
    tally = counts(assessments)
    return {
        "association": association.slug,
        "year": end.year,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "goals": [_goal_json(a) for a in assessments],
        "counts": {COUNT_KEYS[k]: v for k, v in tally.items()},
        # Empty when no commitment is recorded for the year: nothing to sum up, and nothing to quote.
        "summary": sentence.summary(tally, end.year) if assessments else "",
        "structural": structural_json(association, start, end),
        "surveys": [_survey_json(r) for r in survey_questions(association, start, end)],
    }


def _goals_table(assessments: list[measures.Assessment], year: int) -> Table:
    columns = [
        Column("text", _("Åtagande")),
        Column("measure", _("Mått")),
        Column("target", _("Mål")),
        Column("outcome", _("Utfall")),
        Column("suggested", _("Förslag")),
        Column("status", _("Måluppfyllelse")),
        Column("comment", _("Kommentar")),
    ]
    rows: list[dict[str, Any]] = [
        {
            "text": goal_text(a.commitment),
            "measure": a.commitment.measure_text,
            "target": a.target_display(),
            "outcome": a.outcome.display() if a.outcome else "",
            "suggested": str(a.suggested.label) if a.suggested else "",
            "status": _status_label(a.commitment.status),
            "comment": a.commitment.comment,
        }
        for a in assessments
    ]
    return Table(_("Måluppfyllelse av åtaganden i verksamhetsplan %(year)s") % {"year": year}, columns, rows)


def _attainment(a: measures.Assessment) -> str:
    """ "Delvis uppfyllt (mål 12, utfall 6)": the status with the figures it rests on, when there are any."""
    figures = []
    if a.target is not None:
        figures.append(_("mål %s") % a.target_display())
    if a.outcome and a.outcome.value is not None:
        figures.append(_("utfall %s") % a.outcome.display())
    status = _status_label(a.commitment.status)
    if figures:
        return f"{status} ({', '.join(figures)})".strip()
    return status


def _comment(a: measures.Assessment) -> str:
    measure = _("Mått: %s.") % a.commitment.measure_text if a.commitment.measure_text else ""
    return " ".join(part for part in (measure, a.commitment.comment) if part)


def attainment_tables(association: Association, start: dt.date, end: dt.date) -> list[Table]:
    """The commitments as the annual report shows them to the board (seed 001's appendix 1): the commitment,
    its attainment with target and outcome, and the comment. None without commitments."""
    assessments = measures.assess_year(association, start, end)
    if not assessments:
        return []
    columns = [
        Column("text", _("Åtagande")),
        Column("status", _("Måluppfyllelse")),
        Column("comment", _("Kommentar")),
    ]
    rows: list[dict[str, Any]] = [
        {"text": goal_text(a.commitment), "status": _attainment(a), "comment": _comment(a)}
        for a in assessments
    ]
    title = _("Måluppfyllelse av åtaganden i verksamhetsplan %(year)s") % {"year": end.year}
    return [Table(title, columns, rows)]


# The business plan's goal tables, in the order seed 004 states its goals; a year's commitments come last.
PLAN_LEVELS = (Level.OVERALL, Level.INDIVIDUAL, Level.INTERVENTION, Level.COMMITMENT)


def plan_tables(association: Association, year: int) -> list[Table]:
    """The goals as the business plan states them, a table per level (overall, for individuals, per
    intervention, the year's commitments): what, how it is followed up, and the target; no outcome (the year
    has not happened). None without goals."""
    commitments = list(
        Commitment.objects.filter(association=association, year=year).select_related("intervention")
    )
    titles = {
        Level.OVERALL: _("Övergripande mål"),
        Level.INDIVIDUAL: _("Individmål"),
        Level.INTERVENTION: _("Mål för insatserna"),
        Level.COMMITMENT: _("Åtaganden %(year)s") % {"year": year},
    }
    tables = []
    for level in PLAN_LEVELS:
        rows: list[dict[str, Any]] = [
            {
                "intervention": c.intervention.name if c.intervention else "",
                "text": c.text,
                "measure": c.measure_text,
                "target": measures.Assessment(c, None, None).target_display(),
            }
            for c in commitments
            if c.level == level
        ]
        if not rows:
            continue
        columns = [Column("intervention", _("Insats"))] if level == Level.INTERVENTION else []
        columns.append(Column("text", _("Mål") if level != Level.COMMITMENT else _("Åtagande")))
        if any(row["measure"] for row in rows):
            columns.append(Column("measure", _("Mått")))
        if any(row["target"] for row in rows):
            columns.append(Column("target", _("Målvärde") if level != Level.COMMITMENT else _("Mål")))
        tables.append(Table(titles[level], columns, rows))
    return tables


def _share_rows(rows: list[statistics.Row]) -> list[dict[str, Any]]:
    return [{"label": r.label, "count": r.count, "share": r.share} for r in rows if r.count]


def _breakdown_table(title: str, rows: list[statistics.Row], label: str) -> Table:
    return Table(
        title,
        [
            Column("label", label),
            Column("count", _("Antal"), Kind.INTEGER),
            Column("share", _("Andel"), Kind.SHARE),
        ],
        _share_rows(rows),
        notes=[_("Andelen räknas av dem där uppgiften är känd.")],
    )


def structural_sections(association: Association, start: dt.date, end: dt.date) -> list[Section]:
    co = statistics.cooperation(association, start, end)
    dev = statistics.deviations(association, start, end)
    ev = statistics.events(association, start, end)
    key = [Column("label", _("Uppgift")), Column("value", _("Värde"))]
    cooperation = Table(
        _("Samverkansärenden och möten"),
        key,
        [
            {"label": _("Ärenden"), "value": formatting.number(co.cases)},
            {"label": _("Möten"), "value": formatting.number(co.meetings)},
            {"label": _("Möten där ett ärende lyftes"), "value": formatting.number(co.meetings_with_case)},
            {
                "label": _("Andel möten där ett ärende lyftes"),
                "value": formatting.percent(co.meeting_share, 0) if co.meeting_share is not None else "–",
            },
        ],
    )
    deviations = Table(
        _("Avvikelserapporter (Lex Heller)"),
        [Column("label", _("Status")), Column("count", _("Antal"), Kind.INTEGER)],
        [{"label": r.label, "count": r.count} for r in dev.by_state],
        total={"label": _("Totalt"), "count": dev.reports},
        notes=[_("Lyfta till det nationella nätverket: %(n)s.") % {"n": dev.raised_nationally}],
    )
    events = Table(
        _("Aktiviteter"),
        [
            Column("label", _("Slag")),
            Column("events", _("Antal"), Kind.INTEGER),
            Column("attendees", _("Deltagare"), Kind.INTEGER),
            Column("viewers", _("Unika tittare"), Kind.INTEGER),
        ],
        [
            {"label": r.label, "events": r.events, "attendees": r.attendees, "viewers": r.unique_viewers}
            for r in ev.by_kind
        ],
        total={
            "label": _("Totalt"),
            "events": ev.events,
            "attendees": ev.attendees,
            "viewers": ev.unique_viewers,
        },
    )
    return [
        Section(
            _("Arenasamverkan"),
            [],
            [
                cooperation,
                _breakdown_table(_("Ärenden per remittent"), co.by_party, _("Remittent")),
                _breakdown_table(_("Ärenden per åldersgrupp"), co.by_age, _("Åldersgrupp")),
            ],
        ),
        Section(_("Lex Heller"), [], [deviations]),
        Section(_("Kompetensutveckling och sändningar"), [], [events]),
    ]


def _survey_table(found: list[results.QuestionResult]) -> Table:
    return Table(
        _("Enkätsvar under perioden"),
        [
            Column("questionnaire", _("Formulär")),
            Column("question", _("Fråga")),
            Column("answers", _("Svar"), Kind.INTEGER),
            Column("share", _("Andel instämmer")),
        ],
        [
            {
                "questionnaire": r.question.questionnaire.name,
                "question": r.question.text,
                "answers": r.answered,
                "share": _("för få svar")
                if r.too_few
                else (formatting.percent(r.share, 0) if r.share is not None else "–"),
            }
            for r in found
        ],
        notes=[_("Med färre svar än formulärets minsta antal visas ingen andel.")],
    )


def as_document(association: Association, start: dt.date, end: dt.date) -> Document:
    assessments = measures.assess_year(association, start, end)
    sections = [
        Section(
            _("Måluppfyllelse"),
            [sentence.summary(counts(assessments), end.year)] if assessments else [],
            [_goals_table(assessments, end.year)],
        ),
        *structural_sections(association, start, end),
    ]
    found = survey_questions(association, start, end)
    if found:
        sections.append(Section(_("Enkäter"), [], [_survey_table(found)]))
    return Document(
        title=_("Måluppfyllelse och strukturarbete %(year)s") % {"year": end.year},
        association=association.name,
        period=f"{start.isoformat()} – {end.isoformat()}",
        sections=sections,
        filename=f"maluppfyllelse-{association.slug}-{start.isoformat()}-{end.isoformat()}",
    )


def gathered(association: Association, start: dt.date, end: dt.date) -> Gathered:
    return Gathered(as_json(association, start, end), as_document(association, start, end))


def _gather(association: Association, period: Period) -> Gathered:
    return gathered(association, period.start, period.end)


# The kind of report goals registers (see `finsam.core.documents`).
KINDS: dict[str, Gather] = {"goals": _gather}
