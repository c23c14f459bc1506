"""The office gives roles, creates accounts with a one-time password, and takes roles away."""

from __future__ import annotations

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts.models import Membership, RoleRequest, User
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_new_registrar_gets_an_account_and_must_choose_a_password(client: Client) -> None:
    """The account at once; the role, which reads personal data, once the data protection officer approves."""
    assoc = testing.association()
    steg = testing.intervention(assoc, "STEG")
    testing.intervention(assoc, "TEAM")
    dpo = Client()
    dpo.force_login(testing.user("dora", (assoc, Role.DATA_PROTECTION_OFFICER)))
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    response = client.post(
        f"/f/{assoc.slug}/anvandare/",
        {
            "username": "rita",
            "first_name": "Rita",
            "last_name": "Ros",
            "role": "registrar",
            "interventions": [steg.pk],
        },
    )
    password = response.context["password"]
    rita = User.objects.get(username="rita")
    assert rita.password_change_required
    assert not Membership.objects.filter(user=rita).exists()
    asked = RoleRequest.objects.get(user=rita)
    decision = dpo.post(f"/f/{assoc.slug}/anvandare/behorigheter/{asked.pk}/", {"decision": "approve"})
    assert decision.status_code == 302
    membership = Membership.objects.get(user=rita)
    assert (membership.role, [i.code for i in membership.interventions.all()]) == ("registrar", ["STEG"])
    assert AuditEntry.objects.filter(action="membership.grant", association=assoc).count() == 3

    other = Client()
    assert other.post("/konto/logga-in/", {"username": "rita", "password": password}).status_code == 302
    assert other.get(f"/f/{assoc.slug}/")["Location"] == "/konto/byt-losenord/"
    new = "en lång egen mening som lösenord"
    response = other.post(
        "/konto/byt-losenord/", {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    assert other.get(f"/f/{assoc.slug}/").status_code == 200
    rita.refresh_from_db()
    assert not rita.password_change_required and rita.check_password(new)


def test_a_registrar_needs_an_intervention_and_others_get_none(client: Client) -> None:
    assoc = testing.association()
    steg = testing.intervention(assoc, "STEG")
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    response = client.post(f"/f/{assoc.slug}/anvandare/", {"username": "rita", "role": "registrar"})
    assert "En deltagarregistrator behöver minst en insats." in response.content.decode()
    response = client.post(
        f"/f/{assoc.slug}/anvandare/", {"username": "erik", "role": "economist", "interventions": [steg.pk]}
    )
    assert "Insatser anges bara för deltagarregistratorer." in response.content.decode()
    assert not User.objects.filter(username__in=["rita", "erik"]).exists()


def test_an_existing_user_gets_a_role_in_a_second_association(client: Client) -> None:
    first = testing.association("forsta", "Första")
    second = testing.association("andra", "Andra")
    shared = testing.user("delad", (first, Role.ECONOMIST))
    client.force_login(testing.user("karin", (second, Role.OFFICE_ADMIN)))
    response = client.post(f"/f/{second.slug}/anvandare/", {"username": "delad", "role": "economist"})
    assert response.status_code == 302
    assert sorted(m.association.slug for m in shared.memberships.all()) == ["andra", "forsta"]
    shared.refresh_from_db()
    assert shared.check_password(testing.PASSWORD)  # untouched


def test_roles_are_taken_away_but_not_ones_own_office_role(client: Client) -> None:
    assoc = testing.association()
    karin = testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    erik = testing.user("erik", (assoc, Role.ECONOMIST))
    client.force_login(karin)
    own = Membership.objects.get(user=karin)
    client.post(f"/f/{assoc.slug}/anvandare/{own.pk}/ta-bort/")
    assert Membership.objects.filter(pk=own.pk).exists()
    theirs = Membership.objects.get(user=erik)
    client.post(f"/f/{assoc.slug}/anvandare/{theirs.pk}/ta-bort/")
    assert not Membership.objects.filter(pk=theirs.pk).exists()
    assert AuditEntry.objects.get(action="membership.revoke").before == {
        "user": "erik",
        "role": "economist",
        "interventions": [],
    }


def test_a_membership_of_another_association_cannot_be_revoked(client: Client) -> None:
    home = testing.association("hemma", "Hemma")
    away = testing.association("borta", "Borta")
    testing.user("bertil", (away, Role.ECONOMIST))
    client.force_login(testing.user("karin", (home, Role.OFFICE_ADMIN)))
    theirs = Membership.objects.get(user__username="bertil")
    assert client.post(f"/f/{home.slug}/anvandare/{theirs.pk}/ta-bort/").status_code == 404
    assert client.post(f"/f/{away.slug}/anvandare/{theirs.pk}/ta-bort/").status_code == 404
    assert Membership.objects.filter(pk=theirs.pk).exists()
