"""The pages and downloads of the outcome reports and of the national follow-up (ADR 0027)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from finsam import testing
from finsam.accounts.roles import Role
from finsam.organisation.models import Association
from finsam.participants import national_follow_up, outcomes, services

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("demo")
def test_the_outcome_page_and_its_files(client: Client, demo: dict[str, Association]) -> None:
    finnveden = demo["finnveden"]
    base = f"/f/{finnveden.slug}/deltagare/"
    client.force_login(testing.user("kontor", (finnveden, Role.OFFICE_ADMIN)))
    page = client.get(f"{base}utfall/?fran=2023-01-01&till=2023-12-31").content.decode()
    assert "Utfall för avslutade deltagare" in page and "Samverkansteam Finnveden" in page
    assert "I arbete före inskrivning och efter avslut" in page  # the chart
    data = json.loads(client.get(f"{base}utfall.json?fran=2023-01-01&till=2023-12-31").content)
    expected = outcomes.outcome_report(finnveden, dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert data == json.loads(json.dumps(expected))
    workbook = load_workbook(
        io.BytesIO(client.get(f"{base}utfall.xlsx?fran=2023-01-01&till=2023-12-31").content)
    )
    cells = [[c for c in row if c is not None] for ws in workbook for row in ws.iter_rows(values_only=True)]
    assert ["Samverkansteam Finnveden, totalt", 31] in [row[:2] for row in cells]
    # Exited, median days, mean years (the employment figures are too few to show).
    assert ["Samverkansteam Finnveden, totalt", 31, 367, 5.4] in cells
    client.force_login(testing.user("rita", (finnveden, Role.REGISTRAR)))
    assert client.get(f"{base}utfall/").status_code == 403


@pytest.mark.usefixtures("demo")
def test_the_national_follow_up_of_seed_000s_half_year(client: Client, demo: dict[str, Association]) -> None:
    sodra = demo["sodra-vatterbygden"]
    rows = {e["code"]: e for e in national_follow_up.figures(sodra, 2023, 1)}
    # Seed 000, January–June 2023: Enter 31 men and 18 women taking part, 6 and 5 exited.
    assert rows["ENTER"]["active"] == {"women": 18, "men": 31, "other": 0, "total": 49}
    assert rows["ENTER"]["exited"] == {"women": 5, "men": 6, "other": 0, "total": 11}
    assert rows["KOLL"]["exited"] == {"women": 19, "men": 16, "other": 0, "total": 35}
    assert rows["KOMP"]["follow_up"] == "volume"
    assert rows["KOMP"]["volume"] == {"women": 112, "men": 38, "other": 0, "total": 150}
    assert rows["ENTER"]["classification"]["target_groups"] == ["disability", "mental_health", "young"]
    enter = sodra.interventions.get(code="ENTER")
    base = f"/f/{sodra.slug}/deltagare/nationell-uppfoljning"
    # A registrar sees the exact counts of her own intervention only.
    client.force_login(testing.user("rut", (sodra, Role.REGISTRAR), interventions=[enter]))
    data = json.loads(client.get(f"{base}.json?ar=2023&halvar=1").content)
    assert [e["code"] for e in data["interventions"]] == ["ENTER"]
    page = client.get(f"{base}/?ar=2023&halvar=1").content.decode()
    assert "Enter" in page and "Koll på förmåga" not in page
    # The office sees them all only where the association chose exact counts for its own tables.
    client.force_login(testing.user("kontor", (sodra, Role.OFFICE_ADMIN)))
    assert json.loads(client.get(f"{base}.json?ar=2023&halvar=1").content)["interventions"] == []
    chosen = services.settings_of(sodra)
    chosen.suppress_own_tables = False
    services.save_settings(testing.SYSTEM, chosen)
    workbook = load_workbook(io.BytesIO(client.get(f"{base}.xlsx?ar=2023&halvar=1").content))
    values = [row for ws in workbook for row in ws.iter_rows(values_only=True)]
    assert any(row[0] == "Kompetensutveckling" and 112 in row for row in values)
    assert client.get(f"{base}/?ar=2023&halvar=3").status_code == 404
