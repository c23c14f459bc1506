"""The office's own settings (retention, suppression of its own tables) and the volume participants."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry
from finsam.organisation.models import Intervention
from finsam.participants import figures
from finsam.participants.models import ParticipantSettings
from finsam.participants.tests.factories import episode

pytestmark = pytest.mark.django_db


def test_small_counts_are_hidden_unless_the_office_chooses_exact_tables() -> None:
    assoc = testing.association("hemma")
    steg = testing.intervention(assoc, "STEG")
    for n in range(7):
        episode(steg, f"S-{n}")
    episode(steg, "S-man", gender="man")
    office = Client()
    office.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    url = "/f/hemma/deltagare/tabeller.json?fran=2023-01-01&till=2023-12-31"
    hidden = json.loads(office.get(url).content)  # by default, as every table that leaves the association
    assert hidden["interventions"][0]["participating"] == {"women": None, "men": None, "other": 0}
    page = office.get("/f/hemma/deltagare/tabeller/?fran=2023-01-01&till=2023-12-31").content.decode()
    assert "Små tal döljs, även i förbundets egna tabeller" in page
    response = office.post("/f/hemma/deltagare/installningar/", {"retention_years": "3"})
    assert response.status_code == 302
    stored = ParticipantSettings.objects.get(association=assoc)
    assert (stored.retention_years, stored.suppress_own_tables) == (3, False)
    assert AuditEntry.objects.filter(action="participantsettings.create").exists()
    exact = json.loads(office.get(url).content)
    assert exact["interventions"][0]["participating"] == {"women": 7, "men": 1, "other": 0}
    public = json.loads(office.get(f"{url}&publik=1").content)
    assert public["interventions"][0]["participating"] == {"women": None, "men": None, "other": 0}
    page = office.get("/f/hemma/deltagare/tabeller/?fran=2023-01-01&till=2023-12-31").content.decode()
    assert "Förbundet har valt exakta antal" in page


def test_suppressed_tables_are_for_whole_months() -> None:
    # Two periods a day apart would give away, by their difference, the one person who left on that day.
    assoc = testing.association("hemma")
    steg = testing.intervention(assoc, "STEG")
    for n in range(6):
        episode(steg, f"S-{n}", exited=dt.date(2023, 3, 1 + n), reason="arbete")
    office = Client()
    office.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    tables = [
        json.loads(
            office.get(f"/f/hemma/deltagare/tabeller.json?fran=2023-01-01&till=2023-03-0{day}").content
        )
        for day in (5, 6)
    ]
    assert [(t["from"], t["to"]) for t in tables] == [("2023-01-01", "2023-03-31")] * 2
    assert tables[0] == tables[1]
    assert tables[0]["interventions"][0]["exited_total"] == 6


def test_volume_participants_are_recorded_and_reported() -> None:
    assoc = testing.association("hemma")
    komp = testing.intervention(assoc, "KOMP", kind=Intervention.Kind.STRUCTURAL)
    office = Client()
    office.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    form = {
        "intervention": komp.pk,
        "start": "2023-01-01",
        "end": "2023-06-30",
        "women": "40",
        "men": "12",
        "other": "0",
    }
    assert office.post("/f/hemma/deltagare/volym/", form).status_code == 302
    assert office.post("/f/hemma/deltagare/volym/", {**form, "women": "41"}).status_code == 302
    data = figures.gathered(assoc, dt.date(2023, 1, 1), dt.date(2023, 12, 31)).data
    assert data["volume_participants"] == [
        {"code": "KOMP", "name": "Komp", "counts": {"women": 41, "men": 12, "other": 0}}
    ]
    bad = office.post("/f/hemma/deltagare/volym/", {**form, "end": "2022-12-31"})
    assert "Periodens slut kan inte vara före dess början" in bad.content.decode()


@pytest.mark.parametrize("role", [Role.BOARD_MEMBER, Role.REGISTRAR, Role.DATA_PROTECTION_OFFICER])
def test_only_the_office_changes_the_settings(role: Role) -> None:
    assoc = testing.association("hemma")
    client = Client()
    client.force_login(testing.user("anna", (assoc, role)))
    for url in ("/f/hemma/deltagare/installningar/", "/f/hemma/deltagare/volym/"):
        assert client.get(url).status_code == 403
