"""The request log and the JSON lines: one record a request with its id, never personal data."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.logs import JsonFormatter
from finsam.goals import services as goals
from finsam.goals.tests import factories

FORMAT = JsonFormatter()


def _lines(caplog: pytest.LogCaptureFixture, name: str) -> list[dict[str, Any]]:
    return [json.loads(FORMAT.format(r)) for r in caplog.records if r.name == name]


@pytest.mark.django_db
def test_a_page_is_logged_once_with_its_id_user_and_association(caplog: pytest.LogCaptureFixture) -> None:
    assoc = testing.association()
    karin = testing.user("karin.lund", (assoc, Role.OFFICE_ADMIN))
    client = Client()
    client.force_login(karin)
    with caplog.at_level(logging.INFO, logger="finsam.requests"):
        response = client.get(f"/f/{assoc.slug}/?sok=Karin+Lund", HTTP_X_REQUEST_ID="nginx-4f2a9c")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "nginx-4f2a9c"
    (line,) = _lines(caplog, "finsam.requests")
    assert line["request_id"] == "nginx-4f2a9c"
    assert line["method"] == "GET" and line["path"] == f"/f/{assoc.slug}/" and line["status"] == 200
    assert line["user_id"] == karin.pk and line["association"] == assoc.slug
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] > 0
    assert line["message"].startswith(f"GET /f/{assoc.slug}/ 200 ")
    written = json.dumps(line, ensure_ascii=False)
    assert "sok" not in written and "Karin" not in written and "karin.lund" not in written


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["", "a b", "<script>", "x" * 129, "ja;rm -rf", "ä123"])
def test_an_insane_request_id_is_replaced(caplog: pytest.LogCaptureFixture, sent: str) -> None:
    with caplog.at_level(logging.INFO, logger="finsam.requests"):
        response = Client().get("/katalog/", HTTP_X_REQUEST_ID=sent)
    given = response["X-Request-ID"]
    assert given != sent and len(given) == 32 and int(given, 16) >= 0
    (line,) = _lines(caplog, "finsam.requests")
    assert line["request_id"] == given and line["user_id"] is None and line["association"] is None


@pytest.mark.django_db
def test_a_survey_links_token_is_not_written_down(caplog: pytest.LogCaptureFixture) -> None:
    survey = factories.survey(factories.questionnaire(testing.association()))
    (link,) = goals.create_links(testing.SYSTEM, survey, 1, single_use=True)
    with caplog.at_level(logging.INFO, logger="finsam.requests"):
        Client().get(f"/enkat/{link.token}/")
    (line,) = _lines(caplog, "finsam.requests")
    assert line["path"] == "/enkat/<token>/"
    assert link.token not in json.dumps(line)


@pytest.mark.django_db
def test_djangos_own_warning_carries_the_request_id_and_no_query(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        response = Client().get("/finns-inte/?personnummer=191212121212")
    assert response.status_code == 404
    (warning,) = _lines(caplog, "django.request")
    assert warning["request_id"] == response["X-Request-ID"]
    assert warning["level"] == "WARNING" and warning["status_code"] == 404
    assert warning["message"] == "Not Found: /finns-inte/"
    assert "191212121212" not in json.dumps(warning)  # Django's `request` extra is left out


def test_an_exception_is_one_json_line_with_its_traceback() -> None:
    try:
        raise KeyError("saknas")
    except KeyError:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error: %s",
            ("/x/",),
            sys.exc_info(),
        )
    text = FORMAT.format(record)
    assert "\n" not in text
    line = json.loads(text)
    assert line["level"] == "ERROR" and line["message"] == "Internal Server Error: /x/"
    assert line["exception"].startswith("Traceback (most recent call last):")
    assert line["exception"].endswith("KeyError: 'saknas'")
