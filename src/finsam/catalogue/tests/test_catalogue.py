from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from finsam import testing
from finsam.organisation.models import Intervention

pytestmark = pytest.mark.django_db


def test_the_catalogue_needs_no_login_and_lists_current_interventions(client: Client) -> None:
    assoc = testing.association()
    Intervention.objects.create(
        association=assoc,
        code="STEG",
        name="Steget",
        kind="individual",
        provider="Askeby kommun",
        target_group="Unga vuxna med psykisk ohälsa",
        referral_info="Remiss från kommunen",
        contact="Anna, 010-123 45 67",
    )
    Intervention.objects.create(
        association=assoc, code="GAMMAL", name="Avslutad", kind="individual", end=dt.date(2020, 12, 31)
    )
    page = client.get(f"/katalog/{assoc.slug}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Steget" in text and "Askeby kommun" in text and "Avslutad" not in text
    detail = client.get(f"/katalog/{assoc.slug}/STEG/").content.decode()
    assert "Remiss från kommunen" in detail and "010-123 45 67" in detail


def test_the_catalogue_is_searchable(client: Client) -> None:
    assoc = testing.association()
    Intervention.objects.create(
        association=assoc, code="A", name="Steget", kind="individual", target_group="unga vuxna"
    )
    Intervention.objects.create(association=assoc, code="B", name="Kompetensdagar", kind="structural")
    found = client.get(f"/katalog/{assoc.slug}/", {"q": "UNGA"}).content.decode()
    assert "Steget" in found and "Kompetensdagar" not in found
    structural = client.get(f"/katalog/{assoc.slug}/", {"slag": "structural"}).content.decode()
    assert "Kompetensdagar" in structural and "Steget" not in structural


def test_an_unknown_association_or_intervention_is_not_found(client: Client) -> None:
    assoc = testing.association()
    assert client.get("/katalog/finns-inte/").status_code == 404
    assert client.get(f"/katalog/{assoc.slug}/FINNSINTE/").status_code == 404
