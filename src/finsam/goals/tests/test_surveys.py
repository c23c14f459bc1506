"""Surveys: anonymous answer links, one answer per single-use link, and results with a minimum of answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from finsam import testing
from finsam.core.models import AuditEntry
from finsam.goals import results, services
from finsam.goals.models import Answer, Question, Questionnaire, RespondentGroup, Response, Scale, SurveyLink
from finsam.goals.tests import factories as f
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db


@pytest.fixture
def assoc() -> Association:
    return testing.association()


def test_a_single_use_link_takes_one_answer(assoc: Association) -> None:
    survey = f.survey(f.questionnaire(assoc))
    (link,) = services.create_links(testing.SYSTEM, survey, 1, single_use=True)
    questions = list(survey.questionnaire.questions.all())
    services.submit(link.token, {questions[0].pk: 5, questions[1].pk: 2}, today=f.DAY)
    with pytest.raises(services.SurveyClosed):
        services.submit(link.token, {questions[0].pk: 1}, today=f.DAY)
    link.refresh_from_db()
    assert link.used_on == f.DAY
    assert Response.objects.filter(survey=survey).count() == 1
    assert sorted(Answer.objects.values_list("value", flat=True)) == [2, 5]


def test_a_shared_link_takes_many_answers(assoc: Association) -> None:
    survey = f.survey(f.questionnaire(assoc))
    (link,) = services.create_links(testing.SYSTEM, survey, 1, single_use=False)
    question = survey.questionnaire.questions.get(position=1)
    for value in (1, 2, 3):
        services.submit(link.token, {question.pk: value}, today=f.DAY)
    assert Response.objects.filter(survey=survey).count() == 3
    link.refresh_from_db()
    assert link.used_on is None


def test_an_answer_keeps_no_trace_of_who_or_which_link(assoc: Association) -> None:
    survey = f.survey(f.questionnaire(assoc))
    links = services.create_links(testing.SYSTEM, survey, 3, single_use=True, label="Avslutssamtal")
    question = survey.questionnaire.questions.get(position=1)
    response = services.submit(links[1].token, {question.pk: 4}, today=f.DAY)
    assert [f.name for f in Response._meta.concrete_fields] == ["id", "survey", "submitted_on"]
    entry = AuditEntry.objects.get(action="response.create")
    assert (entry.actor, entry.source, entry.user_id) == ("anonym svarande", "enkät", None)
    assert entry.after == {"survey": survey.pk, "answers": 1}
    assert entry.object_id == str(response.pk)
    assert links[1].token not in str(entry.after)


def test_a_closed_or_unknown_survey_takes_no_answer(assoc: Association) -> None:
    survey = f.survey(f.questionnaire(assoc), dt.date(2023, 3, 1), dt.date(2023, 3, 31))
    (link,) = services.create_links(testing.SYSTEM, survey, 1, single_use=False)
    question = survey.questionnaire.questions.get(position=1)
    for day in (dt.date(2023, 2, 28), dt.date(2023, 4, 1)):
        with pytest.raises(services.SurveyClosed):
            services.submit(link.token, {question.pk: 4}, today=day)
    with pytest.raises(services.SurveyClosed):
        services.submit("finns-inte", {question.pk: 4}, today=dt.date(2023, 3, 15))
    services.submit(link.token, {question.pk: 4}, today=dt.date(2023, 3, 31))
    assert Response.objects.count() == 1


def test_required_questions_and_the_scale_are_enforced(assoc: Association) -> None:
    q = f.questionnaire(assoc)
    Question.objects.filter(questionnaire=q, position=1).update(required=True)
    survey = f.survey(q)
    (link,) = services.create_links(testing.SYSTEM, survey, 1, single_use=True)
    first, second = q.questions.all()
    with pytest.raises(ValidationError, match="Fråga 1 måste besvaras"):
        services.submit(link.token, {second.pk: 3}, today=f.DAY)
    with pytest.raises(ValidationError, match="utanför skalan"):
        services.submit(link.token, {first.pk: 7}, today=f.DAY)
    link.refresh_from_db()
    assert link.used_on is None  # a refused answer does not spend the link
    services.submit(link.token, {first.pk: 0, second.pk: None}, today=f.DAY)
    assert Response.objects.count() == 1


def test_results_below_the_minimum_show_only_the_number_of_answers(assoc: Association) -> None:
    q = f.questionnaire(assoc, min_answers=5)
    survey = f.survey(q)
    for first, second in ((6, 3), (5, None), (4, 6), (2, None), (5, 0), (0, None)):
        f.answer(survey, {1: first, **({2: second} if second is not None else {})})
    one, two = results.survey_results(survey)
    assert (one.answered, one.dont_know, one.too_few) == (6, 1, False)
    assert one.positive == 3 and one.share == Decimal("0.6000")  # 6, 5, 5 of five rated
    assert [(step.value, n) for step, n in one.distribution] == [
        (1, 0),
        (2, 1),
        (3, 0),
        (4, 1),
        (5, 2),
        (6, 1),
    ]
    assert (two.answered, two.too_few, two.share, two.distribution, two.positive) == (3, True, None, [], None)


def test_the_default_questionnaires_cover_the_five_respondent_groups_once(assoc: Association) -> None:
    made = services.install_default_questionnaires(testing.SYSTEM, assoc)
    assert sorted(q.respondent_group for q in made) == sorted(RespondentGroup.values)
    assert services.install_default_questionnaires(testing.SYSTEM, assoc) == []
    assert Questionnaire.objects.filter(association=assoc).count() == 5
    assert all(q.questions.count() >= 4 for q in made)
    exit_questions = Questionnaire.objects.get(association=assoc, respondent_group=RespondentGroup.EXITED)
    assert exit_questions.questions.filter(scale=Scale.YES_NO).count() == 1


def test_tokens_are_unguessable_and_unique(assoc: Association) -> None:
    survey = f.survey(f.questionnaire(assoc))
    links = services.create_links(testing.SYSTEM, survey, 50, single_use=True)
    tokens = {link.token for link in links}
    assert len(tokens) == 50 and all(len(t) == 16 for t in tokens)
    assert SurveyLink.objects.filter(survey=survey).count() == 50
    assert AuditEntry.objects.filter(action="surveylink.create").count() == 1


def test_the_minimum_of_answers_is_not_lowered_once_answers_exist(assoc: Association) -> None:
    """The attack: the office lowered a closed survey's minimum from 10 to 1 and read 7 answers' spread."""
    q = f.questionnaire(assoc, min_answers=10)
    survey = f.survey(q, closes=dt.date(2023, 6, 30))
    for value in (6, 5, 5, 4, 6, 2, 5):
        f.answer(survey, {1: value, 2: value})
    for value in (1, settings.SUPPRESSION_THRESHOLD, 11):
        q.min_answers = value
        with pytest.raises(ValidationError, match="kan inte ändras när formuläret har fått svar"):
            services.save_questionnaire(testing.SYSTEM, q)
    q.min_answers, q.name = 10, "Avslut (omdöpt)"
    services.save_questionnaire(testing.SYSTEM, q)  # other fields change as before
    assert Questionnaire.objects.get(pk=q.pk).min_answers == 10
    assert all(r.too_few and r.distribution == [] for r in results.survey_results(survey))


def test_the_minimum_of_answers_is_never_below_the_installations(assoc: Association) -> None:
    threshold = settings.SUPPRESSION_THRESHOLD
    with pytest.raises(ValidationError, match=f"kan inte vara lägre än {threshold}"):
        f.questionnaire(assoc, min_answers=threshold - 1)
    q = f.questionnaire(assoc, min_answers=threshold)
    q.min_answers = threshold - 1
    with pytest.raises(ValidationError, match=f"kan inte vara lägre än {threshold}"):
        services.save_questionnaire(testing.SYSTEM, q)
    q.min_answers = threshold + 3
    services.save_questionnaire(testing.SYSTEM, q)  # before any answer the office may raise it
    # A minimum held from before (or written past the service) still counts as the installation's.
    Questionnaire.objects.filter(pk=q.pk).update(min_answers=1)
    survey = f.survey(Questionnaire.objects.get(pk=q.pk))
    for _ in range(threshold - 1):
        f.answer(survey, {1: 6, 2: 6})
    assert all(r.too_few and r.min_answers == threshold for r in results.survey_results(survey))
