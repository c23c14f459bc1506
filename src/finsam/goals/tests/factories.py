"""Small factories for the goals tests: rows through the services, as the pages make them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finsam import testing
from finsam.goals import services
from finsam.goals.models import (
    Commitment,
    CooperationCase,
    CooperationMeeting,
    DeviationReport,
    Measure,
    Question,
    Questionnaire,
    RespondentGroup,
    Scale,
    Survey,
)
from finsam.organisation.models import Association

DAY = dt.date(2023, 5, 10)


def commitment(
    association: Association,
    position: int = 1,
    *,
    measure: str = Measure.NONE,
    target: int | None = None,
    question: Question | None = None,
    year: int = 2023,
) -> Commitment:
    return services.save_commitment(
        testing.SYSTEM,
        Commitment(
            association=association,
            year=year,
            position=position,
            text=f"Åtagande {position}",
            measure=measure,
            target=Decimal(target) if target is not None else None,
            question=question,
        ),
    )


def deviation(association: Association, day: dt.date = DAY) -> DeviationReport:
    report = DeviationReport(
        association=association, reported_on=day, parties="FK, AF", what_failed="Ett glapp"
    )
    services.save_register_row(testing.SYSTEM, report)
    return report


def meeting(association: Association, day: dt.date = DAY, group: str = "Gnosjö") -> CooperationMeeting:
    made = CooperationMeeting(association=association, held_on=day, local_group=group)
    services.save_register_row(testing.SYSTEM, made)
    return made


def case(
    association: Association,
    day: dt.date = DAY,
    *,
    party: str = "",
    age: str = "",
    at: CooperationMeeting | None = None,
) -> CooperationCase:
    made = CooperationCase(
        association=association,
        raised_on=day,
        local_group="Gnosjö",
        referring_party=party,
        age_group=age,
        meeting=at,
    )
    services.save_register_row(testing.SYSTEM, made)
    return made


def questionnaire(association: Association, min_answers: int = 5, questions: int = 2) -> Questionnaire:
    made = Questionnaire(
        association=association,
        name="Avslut",
        respondent_group=RespondentGroup.EXITED,
        min_answers=min_answers,
    )
    services.save_questionnaire(testing.SYSTEM, made)
    for position in range(1, questions + 1):
        question = Question(
            questionnaire=made, position=position, text=f"Fråga {position}", scale=Scale.AGREE6
        )
        services.save_question(testing.SYSTEM, question)
    return made


def survey(q: Questionnaire, opens: dt.date = dt.date(2023, 1, 1), closes: dt.date | None = None) -> Survey:
    made = Survey(
        association=q.association, questionnaire=q, name="Avslut 2023", opens_on=opens, closes_on=closes
    )
    services.save_survey(testing.SYSTEM, made)
    return made


def answer(s: Survey, values: dict[int, int | None], day: dt.date = DAY) -> None:
    """One response through a fresh single-use link: question position → value."""
    (link,) = services.create_links(testing.SYSTEM, s, 1, single_use=True)
    by_position = {q.position: q.pk for q in s.questionnaire.questions.all()}
    services.submit(link.token, {by_position[p]: v for p, v in values.items()}, today=day)
