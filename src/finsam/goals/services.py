"""Writes of the goals app. Each is one transaction that leaves one audit entry (core.save / core.delete or an
explicit record), except the default questionnaires, which leave one entry per row they create."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from typing import TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.core import clock
from finsam.core import services as core
from finsam.core.audit import Actor, record
from finsam.goals import defaults, measures
from finsam.goals.models import (
    DONT_KNOW,
    Answer,
    Commitment,
    CooperationCase,
    CooperationMeeting,
    DeviationReport,
    Event,
    Question,
    Questionnaire,
    Response,
    Status,
    Survey,
    SurveyLink,
)
from finsam.organisation.models import Association

# A row of a structural-work register: a cooperation case or meeting, a deviation report, an event.
RegisterModel = CooperationCase | CooperationMeeting | DeviationReport | Event
RegisterRow = TypeVar("RegisterRow", CooperationCase, CooperationMeeting, DeviationReport, Event)

# Who answers a survey: nobody the trail may name, and no address either.
RESPONDENT = Actor(user=None, label="anonym svarande", source="enkät")


class SurveyClosed(Exception):
    """The link is unknown, used up, or its survey is not open today."""


def save_register_row(actor: Actor, row: RegisterRow) -> RegisterRow:
    return core.save(actor, row, association=row.association)


def delete_register_row(actor: Actor, row: RegisterModel) -> None:
    core.delete(actor, row, association=row.association)


def save_commitment(actor: Actor, commitment: Commitment) -> Commitment:
    return core.save(actor, commitment, association=commitment.association)


def delete_commitment(actor: Actor, commitment: Commitment) -> None:
    core.delete(actor, commitment, association=commitment.association)


def check_min_answers(questionnaire: Questionnaire, value: int) -> None:
    """Raise ValidationError unless the questionnaire may take value as its minimum number of answers.

    A new minimum is never below the installation's (`settings.SUPPRESSION_THRESHOLD`), and a questionnaire
    whose surveys have answers keeps the minimum it has: otherwise a result shown as "för få svar" could be
    read by lowering the minimum afterwards. Keeping the minimum saved is always allowed.
    """
    saved = Questionnaire.objects.filter(pk=questionnaire.pk).values_list("min_answers", flat=True).first()
    if value == saved:
        return
    if saved is not None and Response.objects.filter(survey__questionnaire_id=questionnaire.pk).exists():
        raise ValidationError(
            _("Minsta antal svar kan inte ändras när formuläret har fått svar (det är %(n)s).") % {"n": saved}
        )
    if value < settings.SUPPRESSION_THRESHOLD:
        raise ValidationError(
            _("Minsta antal svar kan inte vara lägre än %(n)s, installationens gräns för små tal.")
            % {"n": settings.SUPPRESSION_THRESHOLD}
        )


@transaction.atomic
def save_questionnaire(actor: Actor, questionnaire: Questionnaire) -> Questionnaire:
    """A questionnaire, new or changed; its minimum number of answers as `check_min_answers` allows."""
    check_min_answers(questionnaire, questionnaire.min_answers)
    return core.save(actor, questionnaire, association=questionnaire.association)


def save_question(actor: Actor, question: Question) -> Question:
    return core.save(actor, question, association=question.questionnaire.association)


def save_survey(actor: Actor, survey: Survey) -> Survey:
    return core.save(actor, survey, association=survey.association)


def next_position(association: Association, year: int) -> int:
    last = Commitment.objects.filter(association=association, year=year).order_by("-position").first()
    return last.position + 1 if last else 1


def assess(
    actor: Actor, commitment: Commitment, status: str, comment: str, start: dt.date, end: dt.date
) -> Commitment:
    """The office's decision on a commitment, kept beside what the figures for the period suggest.

    Choosing another status than the suggested one needs a comment saying why.
    """
    assessment = measures.assess(commitment, start, end)
    suggested = assessment.suggested or ""
    if status not in Status.values:
        raise ValidationError({"status": _("Välj en måluppfyllelse.")})
    if suggested and status != suggested and not comment.strip():
        raise ValidationError(
            {"comment": _("Skriv varför du väljer en annan måluppfyllelse än den föreslagna.")}
        )
    commitment.status = status
    commitment.comment = comment.strip()
    commitment.suggested_status = suggested
    value = assessment.outcome.value if assessment.outcome else None
    commitment.assessed_outcome = None if value is None else value
    commitment.assessed_on = end
    return core.save(actor, commitment, association=commitment.association)


@transaction.atomic
def install_default_questionnaires(actor: Actor, association: Association) -> list[Questionnaire]:
    """The default questionnaires the association lacks (by name); existing ones are left alone."""
    made = []
    for name, group, intro, questions in defaults.DEFAULTS:
        if Questionnaire.objects.filter(association=association, name=name).exists():
            continue
        questionnaire = Questionnaire(association=association, name=name, respondent_group=group, intro=intro)
        # The model's default minimum of answers, or the installation's if that is higher.
        questionnaire.min_answers = max(questionnaire.min_answers, settings.SUPPRESSION_THRESHOLD)
        save_questionnaire(actor, questionnaire)
        for position, (text, scale) in enumerate(questions, start=1):
            save_question(
                actor, Question(questionnaire=questionnaire, position=position, text=text, scale=scale)
            )
        made.append(questionnaire)
    return made


def new_token() -> str:
    return secrets.token_urlsafe(12)


@transaction.atomic
def create_links(
    actor: Actor, survey: Survey, count: int, *, single_use: bool, label: str = ""
) -> list[SurveyLink]:
    """count new answer links; one audit entry names how many were made."""
    if not 1 <= count <= 500:
        raise ValidationError(_("Skapa mellan 1 och 500 länkar åt gången."))
    links = [
        SurveyLink(survey=survey, token=new_token(), single_use=single_use, label=label) for _ in range(count)
    ]
    for link in links:
        link.full_clean()
    created = SurveyLink.objects.bulk_create(links)
    record(
        actor,
        "surveylink.create",
        survey,
        association=survey.association,
        after={"links": count, "single_use": single_use, "label": label},
    )
    return created


def open_link(token: str, today: dt.date | None = None) -> SurveyLink:
    """The link a respondent follows, if it can still take an answer."""
    today = today or clock.today()
    link = SurveyLink.objects.select_related("survey__questionnaire").filter(token=token).first()
    if link is None or link.spent or not link.survey.is_open_on(today):
        raise SurveyClosed(token)
    return link


@transaction.atomic
def submit(token: str, values: Mapping[int, int | None], today: dt.date | None = None) -> Response:
    """Store one anonymous response given through a link: question id → scale value (0 = vet inte, None =
    unanswered). A single-use link is spent in the same transaction, so a second answer through it fails."""
    today = today or clock.today()
    link = open_link(token, today)
    if link.single_use and not SurveyLink.objects.filter(pk=link.pk, used_on__isnull=True).update(
        used_on=today
    ):
        raise SurveyClosed(token)
    survey = link.survey
    questions = {q.pk: q for q in survey.questionnaire.questions.all()}
    if set(values) - set(questions):
        raise ValidationError(_("Svaret gäller frågor som inte finns i enkäten."))
    answers = []
    for pk, question in questions.items():
        value = values.get(pk)
        if value is None:
            if question.required:
                raise ValidationError(_("Fråga %(n)s måste besvaras.") % {"n": question.position})
            continue
        if value != DONT_KNOW and value not in {s.value for s in question.steps}:
            raise ValidationError(_("Fråga %(n)s har ett svar utanför skalan.") % {"n": question.position})
        answers.append(Answer(question=question, value=value))
    response = Response.objects.create(survey=survey, submitted_on=today)
    for answer in answers:
        answer.response = response
    Answer.objects.bulk_create(answers)
    record(
        RESPONDENT,
        "response.create",
        response,
        association=survey.association,
        after={"survey": survey.pk, "answers": len(answers)},
    )
    return response
