"""The pages through Django's test client: who may read and edit, the office's forms, the anonymous answer."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.conf import settings
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry
from finsam.goals import services
from finsam.goals.models import Commitment, DeviationReport, Measure, Response, Status, SurveyLink
from finsam.goals.tests import factories as f
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db


@pytest.fixture
def assoc() -> Association:
    return testing.association()


def _client(username: str, *roles: tuple[Association, Role]) -> Client:
    client = Client()
    client.force_login(testing.user(username, *roles))
    return client


def test_the_board_reads_everything_and_changes_nothing(assoc: Association) -> None:
    goal = f.commitment(assoc, measure=Measure.DEVIATION_REPORTS, target=12)
    report = f.deviation(assoc)
    survey = f.survey(f.questionnaire(assoc))
    (link,) = services.create_links(testing.SYSTEM, survey, 1, single_use=True)
    board = _client("styrelse", (assoc, Role.BOARD_MEMBER))
    base = f"/f/{assoc.slug}/mal"
    for path in (
        "/?ar=2023",
        "/struktur/?ar=2023",
        "/register/avvikelser/?ar=2023",
        "/enkater/",
        f"/enkater/{survey.pk}/",
    ):
        response = board.get(base + path)
        assert response.status_code == 200, path
        assert b"Bed\xc3\xb6m" not in response.content and b"/ny/" not in response.content, path
    assert link.token not in board.get(f"{base}/enkater/{survey.pk}/").content.decode()
    for path in (
        "/atagande/ny/",
        f"/atagande/{goal.pk}/",
        f"/atagande/{goal.pk}/bedom/",
        "/register/avvikelser/ny/",
        f"/register/avvikelser/{report.pk}/",
        "/enkater/ny/",
        f"/enkater/formular/{survey.questionnaire.pk}/",
    ):
        assert board.get(base + path).status_code == 403, path
    assert board.post(f"{base}/atagande/{goal.pk}/bedom/", {"status": Status.FULFILLED}).status_code == 403
    assert board.post(f"{base}/register/avvikelser/{report.pk}/ta-bort/").status_code == 403
    assert board.post(f"{base}/enkater/").status_code == 403
    assert board.post(f"{base}/enkater/{survey.pk}/", {"count": 5, "single_use": "on"}).status_code == 403
    goal.refresh_from_db()
    assert goal.status == "" and DeviationReport.objects.count() == 1 and SurveyLink.objects.count() == 1


def test_another_associations_user_gets_not_found(assoc: Association) -> None:
    goal = f.commitment(assoc)
    other = testing.association("annat", "Samordningsförbundet Annat")
    stranger = _client("kansli-annat", (other, Role.OFFICE_ADMIN))
    for path in ("/", "/struktur/", "/enkater/", f"/atagande/{goal.pk}/bedom/", "/register/avvikelser/"):
        assert stranger.get(f"/f/{assoc.slug}/mal{path}").status_code == 404, path
    # Nor through its own association's address.
    assert stranger.get(f"/f/annat/mal/atagande/{goal.pk}/").status_code == 404


def test_a_registrar_without_report_rights_is_refused(assoc: Association) -> None:
    registrar = _client("registrator", (assoc, Role.REGISTRAR))
    assert registrar.get(f"/f/{assoc.slug}/mal/").status_code == 403
    assert Client().get(f"/f/{assoc.slug}/mal/").status_code == 302  # to the login


def test_the_office_overrides_a_suggestion_only_with_a_comment(assoc: Association) -> None:
    for _ in range(6):
        f.deviation(assoc)
    goal = f.commitment(assoc, measure=Measure.DEVIATION_REPORTS, target=12)
    office = _client("kansli", (assoc, Role.OFFICE_ADMIN))
    url = f"/f/{assoc.slug}/mal/atagande/{goal.pk}/bedom/"
    page = office.get(url).content.decode()
    assert "<dd><strong>Delvis uppfyllt</strong></dd>" in page  # the suggestion
    assert re.search(r'value="partly_fulfilled"[^>]*checked', page)  # chosen until the office changes it
    refused = office.post(url, {"status": Status.FULFILLED, "comment": ""})
    assert refused.status_code == 200
    assert "Skriv varför du väljer en annan måluppfyllelse" in refused.content.decode()
    saved = office.post(url, {"status": Status.FULFILLED, "comment": "Ärendena var fler än de syns."})
    assert saved.status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.suggested_status) == (Status.FULFILLED, Status.PARTLY)
    listing = office.get(f"/f/{assoc.slug}/mal/?ar=2023").content.decode()
    assert "ändrad av kansliet" in listing
    assert "Målet i verksamhetsplanen för 2023 bedöms vara helt uppfyllt under året." in listing


def test_the_office_keeps_the_registers(assoc: Association) -> None:
    office = _client("kansli", (assoc, Role.OFFICE_ADMIN))
    base = f"/f/{assoc.slug}/mal/register/avvikelser"
    response = office.post(
        f"{base}/ny/",
        {"reported_on": "2023-11-08", "parties": "FK, AF", "what_failed": "Ett glapp", "state": "received"},
    )
    assert response.status_code == 302
    report = DeviationReport.objects.get()
    assert (report.association, report.raised_nationally) == (assoc, False)
    assert "2023-11-08" in office.get(f"{base}/?ar=2023").content.decode()
    assert office.post(f"{base}/{report.pk}/ta-bort/").status_code == 302
    assert not DeviationReport.objects.exists()
    assert [
        e.action for e in AuditEntry.objects.filter(object_type="goals.deviationreport").order_by("id")
    ] == [
        "deviationreport.create",
        "deviationreport.delete",
    ]


def test_a_new_commitment_gets_the_next_position(assoc: Association) -> None:
    f.commitment(assoc, 1)
    office = _client("kansli", (assoc, Role.OFFICE_ADMIN))
    form = office.get(f"/f/{assoc.slug}/mal/atagande/ny/?ar=2023").content.decode()
    assert 'name="position" value="2"' in form
    response = office.post(
        f"/f/{assoc.slug}/mal/atagande/ny/?ar=2023",
        {
            "year": 2023,
            "position": 2,
            "text": "Fler ärenden",
            "measure": "cooperation_cases",
            "target": "100",
        },
    )
    assert response.status_code == 302
    assert Commitment.objects.get(position=2).measure == Measure.COOPERATION_CASES


def test_an_anonymous_answer_through_the_public_form(assoc: Association) -> None:
    survey = f.survey(f.questionnaire(assoc))
    first = survey.questionnaire.questions.get(position=1)
    first.required = True
    first.save()
    (link,) = services.create_links(testing.SYSTEM, survey, 1, single_use=True)
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(f"/enkat/{link.token}/")
    assert page.status_code == 200 and "Avslut" in page.content.decode()
    token = page.cookies["csrftoken"].value
    missing = visitor.post(f"/enkat/{link.token}/", {"csrfmiddlewaretoken": token})
    assert "Välj ett svar på den här frågan." in missing.content.decode()
    assert not Response.objects.exists()
    done = visitor.post(f"/enkat/{link.token}/", {"csrfmiddlewaretoken": token, f"q{first.pk}": "5"})
    assert done.status_code == 302 and done["Location"] == "/enkat/tack/"
    assert Response.objects.get().answers.get().value == 5
    again = visitor.get(f"/enkat/{link.token}/")
    assert again.status_code == 404 and "redan använts" in again.content.decode()


def test_the_form_refuses_to_change_an_answered_questionnaires_minimum(assoc: Association) -> None:
    q = f.questionnaire(assoc, min_answers=10)
    survey = f.survey(q, closes=dt.date(2023, 6, 30))
    for value in (6, 5, 5, 4, 6, 2, 5):
        f.answer(survey, {1: value, 2: value})
    office = _client("kansli", (assoc, Role.OFFICE_ADMIN))
    url = f"/f/{assoc.slug}/mal/enkater/formular/{q.pk}/"
    form = {"name": q.name, "respondent_group": q.respondent_group, "intro": "", "min_answers": 1}
    refused = office.post(url, form)
    assert refused.status_code == 200
    assert "Minsta antal svar kan inte ändras när formuläret har fått svar (det är 10)." in html.unescape(
        refused.content.decode()
    )
    q.refresh_from_db()
    assert q.min_answers == 10
    page = office.get(f"/f/{assoc.slug}/mal/enkater/{survey.pk}/").content.decode()
    assert page.count("för få svar") == 2 and "Visas från 10 svar." in page
    new = {"name": "Nytt", "respondent_group": q.respondent_group, "intro": "", "min_answers": 2}
    refused = office.post(f"/f/{assoc.slug}/mal/enkater/formular/ny/", new)
    assert refused.status_code == 200
    threshold = settings.SUPPRESSION_THRESHOLD
    assert f"Minsta antal svar kan inte vara lägre än {threshold}" in html.unescape(refused.content.decode())
