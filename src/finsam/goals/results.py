"""Survey results per question, with the questionnaire's minimum number of answers (never less than the
installation's, `settings.SUPPRESSION_THRESHOLD`, whatever a questionnaire holds).

Below the minimum nothing but the number of answers is shown ("för få svar"): neither the share nor the spread
over the scale, so a small group's answers cannot be told apart. A "vet inte" answer counts as an answer
for the minimum but stays outside the share.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, QuerySet

from finsam.goals.models import DONT_KNOW, Answer, Question, Questionnaire, ScaleStep, Survey
from finsam.goals.statistics import share


@dataclass(frozen=True)
class QuestionResult:
    question: Question
    answered: int  # every answer, "vet inte" included
    dont_know: int
    min_answers: int
    distribution: list[tuple[ScaleStep, int]]  # empty when too few
    positive: int | None
    share: Decimal | None

    @property
    def too_few(self) -> bool:
        return self.answered < self.min_answers

    @property
    def rated(self) -> int:
        return self.answered - self.dont_know


def _minimum(questionnaire: Questionnaire) -> int:
    return max(questionnaire.min_answers, settings.SUPPRESSION_THRESHOLD)


def _result(question: Question, answers: QuerySet[Answer], min_answers: int) -> QuestionResult:
    counts: dict[int, int] = dict(answers.values_list("value").annotate(n=Count("id")).order_by())
    answered = sum(counts.values())
    dont_know = counts.get(DONT_KNOW, 0)
    if answered < min_answers:
        return QuestionResult(question, answered, dont_know, min_answers, [], None, None)
    positive = sum(n for value, n in counts.items() if value >= question.positive_threshold)
    return QuestionResult(
        question,
        answered,
        dont_know,
        min_answers,
        [(step, counts.get(step.value, 0)) for step in question.steps],
        positive,
        share(positive, answered - dont_know),
    )


def survey_results(survey: Survey) -> list[QuestionResult]:
    questionnaire = survey.questionnaire
    return [
        _result(q, Answer.objects.filter(question=q, response__survey=survey), _minimum(questionnaire))
        for q in questionnaire.questions.all()
    ]


def question_result(question: Question, start: dt.date, end: dt.date) -> QuestionResult:
    """The question's answers in every survey of its questionnaire, submitted in the period."""
    answers = Answer.objects.filter(question=question, response__submitted_on__range=(start, end))
    return _result(question, answers, _minimum(question.questionnaire))
