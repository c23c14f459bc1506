"""The classification of interventions (ADR 0027): in the organisation file, on the web and in the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry
from finsam.organisation import classification, orgfile
from finsam.organisation.models import Intervention

pytestmark = pytest.mark.django_db

# ruff: noqa: E501
FILE = """\
association: {slug: testdalen, name: Samordningsförbundet Testdalen}
members:
  - {code: FK, name: Staten gm Försäkringskassan, kind: state}
interventions:
  - {code: STEG, name: Steget, kind: individual, purpose: job_support, target_groups: [young, newly_arrived, young], esf: true}
  - {code: KOMP, name: Kompetensutveckling, kind: structural, purpose: competence, target_groups: [staff]}
  - {code: GAMMAL, name: Gammal, kind: individual, purpose: work}
  - {code: FORUM, name: Forum, kind: structural, purpose: preparatory, follow_up: person}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "organisation.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_organisation_file_round_trips_the_classification(tmp_path: Path) -> None:
    association = orgfile.setup(write(tmp_path, FILE), testing.SYSTEM)
    got = {i.code: classification.as_dict(i) for i in association.interventions.all()}
    assert got == {
        "STEG": {
            "orientation": "individual",
            "precise_orientation": "job_support",
            "target_groups": ["newly_arrived", "young"],
            "follow_up": "person",
            "esf": True,
        },
        "KOMP": {
            "orientation": "structural",
            "precise_orientation": "competence",
            "target_groups": ["staff"],
            "follow_up": "volume",
            "esf": False,
        },
        # An earlier file's keys only: the defaults of its orientation.
        "GAMMAL": {
            "orientation": "individual",
            "precise_orientation": "work",
            "target_groups": [],
            "follow_up": "person",
            "esf": False,
        },
        # An earlier code on a structural intervention stays valid, and follow-up may be chosen.
        "FORUM": {
            "orientation": "structural",
            "precise_orientation": "preparatory",
            "target_groups": [],
            "follow_up": "person",
            "esf": False,
        },
    }
    entries = AuditEntry.objects.count()
    orgfile.setup(write(tmp_path, FILE), testing.SYSTEM)
    assert AuditEntry.objects.count() == entries  # the same file again changes nothing
    labels = classification.labels(association.interventions.get(code="STEG"))
    assert labels["precise_orientation"] == "Stöd till och i arbete"
    assert labels["target_groups"] == ["Nyanlända och utrikes födda", "Unga 16–29 år"]


def test_every_code_has_a_label() -> None:
    codes = {"individual", "structural", "person", "volume", classification.UNSPECIFIED}
    codes |= {code for fitting in classification.PRECISE.values() for code in fitting}
    codes |= set(classification.TARGET_GROUPS)
    assert codes == set(classification.LABELS)
    unspecified = Intervention(kind="individual")
    assert classification.as_dict(unspecified)["precise_orientation"] == "unspecified"


def test_a_bad_classification_in_the_file_is_named_and_changes_nothing(tmp_path: Path) -> None:
    text = FILE.replace("purpose: competence", "purpose: studies").replace(
        "target_groups: [staff]", "target_groups: [staff, {a: 1}, vuxna]"
    )
    text = text.replace("esf: true", "esf: ja").replace("follow_up: person", "follow_up: [person]")
    text += "  - {code: X, name: X, kind: individual, target_groups: unga}\n"
    with pytest.raises(orgfile.OrgFileError) as raised:
        orgfile.setup(write(tmp_path, text), testing.SYSTEM)
    problems = [str(p) for p in raised.value.problems]
    assert problems == [
        "interventions[0].esf: värdet 'ja' går inte att använda; förväntade true eller false",
        "interventions[1].purpose: värdet 'studies' går inte att använda; förväntade en av competence, "
        "cooperation, methods, development, information, mapping, preparatory, assessment, work",
        "interventions[1].target_groups[1]: värdet {'a': 1} går inte att använda; förväntade en av "
        + ", ".join(classification.TARGET_GROUPS),
        "interventions[1].target_groups[2]: värdet 'vuxna' går inte att använda; förväntade en av "
        + ", ".join(classification.TARGET_GROUPS),
        "interventions[3].follow_up: värdet ['person'] går inte att använda; förväntade en av person, volume",
        "interventions[4].target_groups: värdet 'unga' går inte att använda; förväntade en lista",
    ]
    assert not Intervention.objects.exists()


def test_the_office_classifies_an_intervention_on_the_web(client: Client) -> None:
    association = testing.association()
    steg = testing.intervention(association)
    client.force_login(testing.user("kansli", (association, Role.OFFICE_ADMIN)))
    url = f"/f/{association.slug}/insatser/{steg.pk}/"
    form = {"code": "STEG", "name": "Steget", "kind": "individual", "follow_up": "person"}
    page = client.post(url, form | {"purpose": "competence", "target_groups": ["young", "staff"]})
    assert page.status_code == 200
    assert "Den precisa inriktningen passar inte en individinriktad insats" in page.content.decode()
    page = client.post(
        url, form | {"purpose": "studies", "target_groups": ["young", "disability"], "esf": "on"}
    )
    assert page.status_code == 302
    steg.refresh_from_db()
    assert classification.as_dict(steg) == {
        "orientation": "individual",
        "precise_orientation": "studies",
        "target_groups": ["disability", "young"],
        "follow_up": "person",
        "esf": True,
    }
    edit = client.get(url).content.decode()
    assert 'value="disability" id="id_target_groups_' in edit and "checked" in edit


def test_the_catalogue_shows_the_classification(client: Client, tmp_path: Path) -> None:
    association = orgfile.setup(write(tmp_path, FILE), testing.SYSTEM)
    listing = client.get(f"/katalog/{association.slug}/").content.decode()
    assert "Stöd till och i arbete" in listing and "ESF" in listing
    detail = client.get(f"/katalog/{association.slug}/STEG/").content.decode()
    for text in (
        "Individinriktad",
        "Stöd till och i arbete",
        "<li>Nyanlända och utrikes födda</li>",
        "<li>Unga 16–29 år</li>",
        "Per deltagare",
        "Finansieras av ESF",
    ):
        assert text in detail, text
    structural = client.get(f"/katalog/{association.slug}/KOMP/").content.decode()
    assert "Kompetensutveckling" in structural and "Volym (antal)" in structural
