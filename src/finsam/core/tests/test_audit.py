from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core import services
from finsam.core.models import AuditEntry
from finsam.organisation.models import Grant, Intervention

pytestmark = pytest.mark.django_db


def test_a_change_through_the_web_is_logged_with_who_and_before_and_after(client: Client) -> None:
    assoc = testing.association()
    intervention = testing.intervention(assoc)
    karin = testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    client.force_login(karin)
    response = client.post(
        f"/f/{assoc.slug}/beviljade-belopp/ny/",
        {"intervention": intervention.pk, "year": 2024, "amount": "1 250 000,50", "decided_on": "2023-11-23"},
    )
    assert response.status_code == 302
    grant = Grant.objects.get()
    entry = AuditEntry.objects.get(action="grant.create")
    assert (entry.user, entry.actor, entry.association) == (karin, "karin", assoc)
    assert entry.source.startswith("webb ")
    assert entry.before is None
    assert entry.after is not None
    assert entry.after["amount"] == "1250000.50"
    assert entry.after["decided_on"] == "2023-11-23"

    response = client.post(
        f"/f/{assoc.slug}/beviljade-belopp/{grant.pk}/",
        {"intervention": intervention.pk, "year": 2024, "amount": "1300000", "decided_on": "2023-11-23"},
    )
    assert response.status_code == 302
    update = AuditEntry.objects.get(action="grant.update")
    assert update.changed_fields() == [("amount", "1250000.50", "1300000.00")]


def test_saving_without_a_change_leaves_no_entry() -> None:
    assoc = testing.association()
    grant = Grant.objects.create(
        intervention=testing.intervention(assoc), year=2024, amount=Decimal(10), decided_on="2023-01-01"
    )
    grant.refresh_from_db()
    services.save(testing.SYSTEM, grant, association=assoc)
    assert AuditEntry.objects.count() == 0


def test_a_password_never_enters_the_trail() -> None:
    user = testing.user("karin")
    user.set_password("ett annat långt lösenord")
    services.save(testing.SYSTEM, user, association=None)
    entry = AuditEntry.objects.get(action="user.update")
    assert entry.before is not None and entry.after is not None
    assert entry.before["password"] == entry.after["password"] == "***"


def test_the_office_and_the_data_protection_officer_read_the_trail(client: Client) -> None:
    assoc = testing.association()
    new = Intervention(association=assoc, code="NYA", name="Nya vägar", kind=Intervention.Kind.INDIVIDUAL)
    services.save(testing.SYSTEM, new, association=assoc)
    for username, role in (("kansli", Role.OFFICE_ADMIN), ("dso", Role.DATA_PROTECTION_OFFICER)):
        client.force_login(testing.user(username, (assoc, role)))
        page = client.get(f"/f/{assoc.slug}/andringslogg/").content.decode()
        assert "Skapade insats" in page and "intervention.create" not in page
        assert "Nya vägar" in page


def test_a_change_is_said_with_the_names_and_labels_of_the_form() -> None:
    assoc = testing.association()
    intervention = testing.intervention(assoc)
    intervention.kind, intervention.places = Intervention.Kind.STRUCTURAL, 12
    services.save(testing.SYSTEM, intervention, association=assoc)
    entry = AuditEntry.objects.get(action="intervention.update")
    assert ("kind", "individual", "structural") in entry.changed_fields()
    assert entry.changes() == [("slag", "Individinriktad", "Strukturinriktad"), ("platser", None, 12)]


@pytest.mark.parametrize(
    ("action", "object_type", "said"),
    [
        ("intervention.update", "organisation.intervention", "Ändrade insats"),
        ("grant.delete", "organisation.grant", "Tog bort beviljat belopp"),
        ("ledger.import", "finance.ledgerimport", "Läste in bokföring (SIE)"),
        ("participants.erase_expired", "participantsettings", "Gallrade deltagaruppgifter"),
        ("intervention.renamed", "organisation.intervention", "intervention.renamed"),  # not known: the code
        ("thing.create", "nowhere.thing", "thing.create"),
    ],
)
def test_each_action_is_said_in_swedish(action: str, object_type: str, said: str) -> None:
    assert AuditEntry(action=action, object_type=object_type).description == said


def test_a_bad_amount_is_explained_and_nothing_is_saved(client: Client) -> None:
    assoc = testing.association()
    intervention = testing.intervention(assoc)
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    response = client.post(
        f"/f/{assoc.slug}/beviljade-belopp/ny/",
        {"intervention": intervention.pk, "year": 2024, "amount": "12 tkr", "decided_on": "2023-11-23"},
    )
    assert response.status_code == 200
    assert "Skriv ett belopp i kronor" in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()
    assert not Grant.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="grant.").exists()
