"""The office's register for the annual report: its services leave an audit entry in the same transaction
and check the statement row; its pages let the office add, change and remove, the board read, and nobody of
another association see anything."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry
from finsam.finance.models import StatementRow
from finsam.organisation.models import Association
from finsam.reports import register
from finsam.reports.models import SignificantEvent, StaffYear

pytestmark = pytest.mark.django_db
DAY = dt.date(2023, 8, 1)


@pytest.fixture
def assoc() -> Association:
    association = testing.association()
    StatementRow.objects.create(
        association=association,
        statement=StatementRow.Statement.INCOME,
        position=1,
        code="VU",
        name="Verksamhetsutvecklare",
        section=StatementRow.Section.OPERATIONS,
    )
    return association


def _client(username: str, *roles: tuple[Association, Role]) -> Client:
    client = Client()
    client.force_login(testing.user(username, *roles))
    return client


def _actions(model: str) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type=f"reports.{model}")
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_an_event_is_saved_changed_and_removed_with_an_audit_entry_each(assoc: Association) -> None:
    event = register.save_event(
        testing.SYSTEM,
        SignificantEvent(
            association=assoc, occurred_on=DAY, title="Vakans", text="Tjänsten är vakant.", row_code="VU"
        ),
    )
    event.title = "Vakant tjänst"
    register.save_event(testing.SYSTEM, event)
    register.save_event(testing.SYSTEM, event)  # nothing changed: no entry
    assert register.events_of_row(assoc, "VU", dt.date(2023, 1, 1), dt.date(2023, 12, 31)) == [event]
    register.delete_event(testing.SYSTEM, event)
    assert not SignificantEvent.objects.exists()
    assert _actions("significantevent") == [
        "significantevent.create",
        "significantevent.update",
        "significantevent.delete",
    ]
    created = AuditEntry.objects.filter(action="significantevent.create").get()
    assert created.association == assoc
    assert created.after is not None and created.after["row_code"] == "VU"


def test_an_event_names_only_a_row_of_its_own_associations_statement(assoc: Association) -> None:
    other = testing.association("annan", "Samordningsförbundet Annan")
    with pytest.raises(ValidationError) as raised:
        register.save_event(
            testing.SYSTEM, SignificantEvent(association=other, occurred_on=DAY, title="X", row_code="VU")
        )
    assert "row_code" in raised.value.message_dict
    assert not SignificantEvent.objects.exists() and not AuditEntry.objects.filter(
        action__startswith="significant"
    )


def test_the_staff_of_a_year_is_one_row_changed_in_place(assoc: Association) -> None:
    register.save_staff(testing.SYSTEM, assoc, 2023, 0, Decimal("1.35"))
    register.save_staff(testing.SYSTEM, assoc, 2023, 1, None)
    assert [(s.year, s.employees, s.purchased) for s in StaffYear.objects.all()] == [(2023, 1, None)]
    assert register.staff(assoc, [2022, 2023])[2023].employees == 1
    assert _actions("staffyear") == ["staffyear.create", "staffyear.update"]


def test_the_office_keeps_the_register_on_its_page(assoc: Association) -> None:
    office = _client("kansli", (assoc, Role.OFFICE_ADMIN))
    base = f"/f/{assoc.slug}/rapporter/handelser"
    response = office.post(
        f"{base}/ny/",
        {"occurred_on": "2023-08-01", "title": "Vakant tjänst", "text": "Ingen i tjänst.", "row_code": "VU"},
    )
    assert response.status_code == 302 and response["Location"] == f"{base}/?ar=2023"
    event = SignificantEvent.objects.get()
    assert (event.association, event.row_code) == (assoc, "VU")
    page = office.get(f"{base}/?ar=2023").content.decode()
    assert "Vakant tjänst" in page and "Verksamhetsutvecklare" in page
    refused = office.post(f"{base}/ny/", {"occurred_on": "2023-08-01", "title": "X", "row_code": "OKAND"})
    assert refused.status_code == 200 and SignificantEvent.objects.count() == 1
    changed = office.post(
        f"{base}/{event.pk}/", {"occurred_on": "2023-08-02", "title": "Vakans", "row_code": ""}
    )
    assert changed.status_code == 302
    event.refresh_from_db()
    assert (event.occurred_on, event.title, event.row_code) == (dt.date(2023, 8, 2), "Vakans", "")
    assert (
        office.post(f"{base}/personal/", {"ar": "2023", "employees": "0", "purchased": "1,35"}).status_code
        == 302
    )
    assert StaffYear.objects.get(association=assoc, year=2023).purchased == Decimal("1.35")
    assert office.post(f"{base}/{event.pk}/ta-bort/").status_code == 302
    assert not SignificantEvent.objects.exists()
    assert _actions("significantevent") == [
        "significantevent.create",
        "significantevent.update",
        "significantevent.delete",
    ]


def test_the_board_reads_the_register_and_changes_nothing(assoc: Association) -> None:
    event = register.save_event(
        testing.SYSTEM, SignificantEvent(association=assoc, occurred_on=DAY, title="Vakans")
    )
    board = _client("styrelse", (assoc, Role.BOARD_MEMBER))
    base = f"/f/{assoc.slug}/rapporter/handelser"
    page = board.get(f"{base}/?ar=2023")
    assert (
        page.status_code == 200 and "Vakans" in page.content.decode() and "/ny/" not in page.content.decode()
    )
    assert board.get(f"{base}/ny/").status_code == 403
    assert (
        board.post(f"{base}/{event.pk}/", {"occurred_on": "2023-08-01", "title": "Annat"}).status_code == 403
    )
    assert board.post(f"{base}/{event.pk}/ta-bort/").status_code == 403
    assert board.post(f"{base}/personal/", {"ar": "2023", "employees": "3"}).status_code == 403
    assert SignificantEvent.objects.get().title == "Vakans" and not StaffYear.objects.exists()


def test_another_associations_office_sees_nothing_of_the_register(assoc: Association) -> None:
    event = register.save_event(
        testing.SYSTEM, SignificantEvent(association=assoc, occurred_on=DAY, title="Vakans")
    )
    other = testing.association("annan", "Samordningsförbundet Annan")
    office = _client("kansli", (other, Role.OFFICE_ADMIN))
    assert office.get(f"/f/{assoc.slug}/rapporter/handelser/").status_code == 404
    # Through its own association's address, the event of another is not found either.
    assert office.get(f"/f/{other.slug}/rapporter/handelser/{event.pk}/").status_code == 404
    assert office.post(f"/f/{other.slug}/rapporter/handelser/{event.pk}/ta-bort/").status_code == 404
    assert "Vakans" not in office.get(f"/f/{other.slug}/rapporter/handelser/?ar=2023").content.decode()
    assert SignificantEvent.objects.get().title == "Vakans"
