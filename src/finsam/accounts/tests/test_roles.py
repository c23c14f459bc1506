"""What each role may and may not see, and that another association's user is denied everything."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.roles import Role
from finsam.organisation.models import Association, BoardSeat, Grant, Member, Person

pytestmark = pytest.mark.django_db

VIEW = "view"
EDIT = "edit"
REPORTS = "reports"
AUDIT = "audit"
USERS = "users"
DECIDE = "decide"

# page -> what it needs
PAGES = {
    "": VIEW,
    "medlemmar/": VIEW,
    "medlemmar/{member}/": VIEW,
    "medlemmar/ny/": EDIT,
    "styrelse/": VIEW,
    "styrelse/ny/": EDIT,
    "styrelse/{seat}/": EDIT,
    "insatser/": VIEW,
    "insatser/{intervention}/": VIEW,
    "insatser/ny/": EDIT,
    "beviljade-belopp/": VIEW,
    "beviljade-belopp/ny/": EDIT,
    "beviljade-belopp/{grant}/": EDIT,
    "medlemsbidrag/?ar=2023": REPORTS,
    "rapporter/contributions.xlsx?ar=2023": REPORTS,
    "rapporter/contributions.json?ar=2023": REPORTS,
    "andringslogg/": AUDIT,
    "anvandare/": USERS,
    "anvandare/behorigheter/": DECIDE,
}

ALLOWED = {
    Role.OFFICE_ADMIN: {VIEW, EDIT, REPORTS, AUDIT, USERS, DECIDE},
    Role.ECONOMIST: {VIEW, REPORTS},
    Role.REGISTRAR: {VIEW},
    Role.BOARD_MEMBER: {VIEW, REPORTS},
    Role.DATA_PROTECTION_OFFICER: {VIEW, AUDIT, DECIDE},
    Role.REPORTING: {VIEW, REPORTS},
    Role.AUDITOR: {VIEW, REPORTS, AUDIT},
    Role.NATIONAL: set(),  # the roll-up of the installation (/nationellt/), nothing of the association
}


def build(slug: str) -> tuple[Association, dict[str, int]]:
    assoc = testing.association(slug, f"Samordningsförbundet {slug.title()}")
    members = testing.members(assoc, {"NORRBY": 10000, "SODERBY": 30000})
    intervention = testing.intervention(assoc)
    person = Person.objects.create(association=assoc, name="Ada Ordförande")
    seat = BoardSeat.objects.create(
        association=assoc, member=members[0], person=person, role="ledamot", start=dt.date(2023, 1, 1)
    )
    grant = Grant.objects.create(
        intervention=intervention, year=2023, amount=Decimal(500000), decided_on=dt.date(2022, 11, 24)
    )
    testing.contribution_total(assoc, 2023, 4000000)
    ids = {"member": members[0].pk, "seat": seat.pk, "intervention": intervention.pk, "grant": grant.pk}
    return assoc, ids


def urls(assoc: Association, ids: dict[str, int]) -> dict[str, str]:
    return {f"/f/{assoc.slug}/{page.format(**ids)}": need for page, need in PAGES.items()}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_what_it_may_and_nothing_else(client: Client, role: Role) -> None:
    home, ids = build("hemma")
    intervention = home.interventions.get()
    user = testing.user("anna", (home, role), interventions=[intervention])
    client.force_login(user)
    for url, need in urls(home, ids).items():
        status = client.get(url).status_code
        expected = 200 if need in ALLOWED[role] else 403
        assert status == expected, f"{role} {url}: {status}, expected {expected}"


@pytest.mark.parametrize("role", list(Role))
def test_a_user_of_another_association_is_denied_everything(client: Client, role: Role) -> None:
    home, ids = build("hemma")
    away, _ = build("borta")
    client.force_login(testing.user("bertil", (away, role)))
    for url in urls(home, ids):
        assert client.get(url).status_code == 404, url
    member_url = f"/f/{home.slug}/medlemmar/{ids['member']}/"
    response = client.post(member_url, {"code": "X", "name": "Kapad", "kind": "state"})
    assert response.status_code == 404
    assert Member.objects.get(pk=ids["member"]).name != "Kapad"


def test_objects_of_another_association_are_not_reachable_through_ones_own(client: Client) -> None:
    home, _ = build("hemma")
    _, away_ids = build("borta")
    client.force_login(testing.user("cecilia", (home, Role.OFFICE_ADMIN)))
    for page in (
        "medlemmar/{member}/",
        "styrelse/{seat}/",
        "insatser/{intervention}/",
        "beviljade-belopp/{grant}/",
    ):
        assert client.get(f"/f/{home.slug}/{page.format(**away_ids)}").status_code == 404, page


def test_anonymous_visitors_are_sent_to_the_login(client: Client) -> None:
    home, ids = build("hemma")
    for url in urls(home, ids):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/konto/logga-in/")


def test_only_the_office_may_change_organisation_data(client: Client) -> None:
    home, ids = build("hemma")
    url = f"/f/{home.slug}/medlemmar/{ids['member']}/"
    data = {"code": "FK", "name": "Försäkringskassan", "kind": "state"}
    client.force_login(testing.user("erik", (home, Role.ECONOMIST)))
    assert client.post(url, data).status_code == 403
    client.force_login(testing.user("karin", (home, Role.OFFICE_ADMIN)))
    assert client.post(url, data).status_code == 302
    assert Member.objects.get(pk=ids["member"]).name == "Försäkringskassan"


def test_the_home_page_lists_only_ones_own_associations(client: Client) -> None:
    home, _ = build("hemma")
    build("borta")
    third, _ = build("tredje")
    client.force_login(testing.user("dora", (home, Role.BOARD_MEMBER), (third, Role.REPORTING)))
    page = client.get("/").content.decode()
    assert "Samordningsförbundet Hemma" in page
    assert "Samordningsförbundet Tredje" in page
    assert "Borta" not in page
