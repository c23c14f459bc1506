"""The personnummer kept sealed for associations that choose it: encrypted under a key outside the database,
opened only for a registrar of the intervention who asks, each opening logged, gone when the choice ends."""

from __future__ import annotations

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.imports import ImportResult
from finsam.core.models import AuditEntry
from finsam.organisation.models import Association, Intervention
from finsam.participants import imports, services
from finsam.participants.identity import participant_key, seal, unseal
from finsam.participants.models import AccessLogEntry, Episode, ParticipantSettings

pytestmark = pytest.mark.django_db

HEADER = (
    "insats;deltagare;kön;födelseår;kommun;remittent;remissdatum;inskrivningsdatum;avslutsdatum;avslutsorsak;"
    "försörjning_före;försörjning_efter;år_med_offentlig_försörjning;anonym"
)
FILE = "\n".join(
    [
        HEADER,
        "STEG;19121212-1212;kvinna;1912;Askeby;;;2025-01-10;;;;;;nej",
        "STEG;A-7;man;1990;Askeby;;;2025-01-11;;;;;;nej",
        "STEG;20000229-2381;man;;;;;2025-01-12;;;;;;ja",
    ]
)


@pytest.fixture
def assoc() -> Association:
    made = testing.association("hemma", "Samordningsförbundet Hemma")
    steg = testing.intervention(made, "STEG")
    testing.intervention(made, "TEAM")
    assert steg.kind == Intervention.Kind.INDIVIDUAL
    return made


def keep_numbers(assoc: Association, keep: bool) -> None:
    chosen = services.settings_of(assoc)
    chosen.keep_personal_numbers = keep
    services.save_settings(testing.SYSTEM, chosen)


def load(assoc: Association) -> ImportResult:
    return imports.apply(imports.plan(FILE.encode(), "deltagare.csv", assoc), testing.SYSTEM)


def test_a_sealed_copy_opens_only_for_its_association() -> None:
    here = testing.association("hemma")
    there = testing.association("borta", "Samordningsförbundet Borta")
    copy = seal("191212121212", here)
    assert "1212" not in copy and "19121212" not in copy
    assert seal("191212121212", here) != copy  # a fresh nonce each time
    assert unseal(copy, here) == "19121212-1212"
    with pytest.raises(ValueError, match="does not open"):
        unseal(copy, there)


def test_nothing_is_kept_unless_the_association_chooses_it(assoc: Association) -> None:
    assert load(assoc).created == 3
    assert list(Episode.objects.values_list("sealed_number", flat=True)) == ["", "", ""]


def test_the_import_seals_personal_numbers_only_and_stays_idempotent(assoc: Association) -> None:
    keep_numbers(assoc, True)
    assert load(assoc).created == 3
    by_key = {e.enrolled_on.day: e for e in Episode.objects.all()}
    assert unseal(by_key[10].sealed_number, assoc) == "19121212-1212"
    assert by_key[11].sealed_number == ""  # the association's own key needs no copy
    assert by_key[12].sealed_number == ""  # an anonymous participant keeps none
    again = load(assoc)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_undoing_the_choice_erases_every_copy(assoc: Association) -> None:
    keep_numbers(assoc, True)
    load(assoc)
    keep_numbers(assoc, False)
    assert not Episode.objects.exclude(sealed_number="").exists()
    entry = AuditEntry.objects.get(action="participants.erase_numbers")
    assert entry.after == {"raderade kopior": 1}
    assert ParticipantSettings.objects.get(association=assoc).keep_personal_numbers is False
    # A later import under the old choice does not bring them back.
    assert load(assoc).unchanged == 3
    assert not Episode.objects.exclude(sealed_number="").exists()


def test_a_registrar_sees_the_number_when_she_asks_and_the_reading_is_logged(assoc: Association) -> None:
    keep_numbers(assoc, True)
    load(assoc)
    sealed = Episode.objects.get(enrolled_on__day=10)
    steg, team = assoc.interventions.get(code="STEG"), assoc.interventions.get(code="TEAM")
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.force_login(testing.user("rita", (assoc, Role.REGISTRAR), interventions=[steg]))
    url = f"/f/hemma/deltagare/{sealed.pk}/"

    page = client.get(url).content.decode()
    assert "Visa personnummer" in page and "19121212-1212" not in page
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.NUMBER).exists()

    shown = client.post(url).content.decode()
    assert "19121212-1212" in shown
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.NUMBER)
    assert (entry.actor, entry.address, entry.record_ids) == ("rita", "10.1.2.3", [sealed.pk])

    other = Client()
    other.force_login(testing.user("tove", (assoc, Role.REGISTRAR), interventions=[team]))
    assert other.post(url).status_code == 404
    office = Client()
    office.force_login(testing.user("olle", (assoc, Role.OFFICE_ADMIN)))
    assert office.post(url).status_code == 403
    assert AccessLogEntry.objects.filter(action=AccessLogEntry.Action.NUMBER).count() == 1


def test_the_key_kind_alone_never_carries_the_number(assoc: Association) -> None:
    key = participant_key("19121212-1212", assoc)
    assert "1212" not in repr(key)
