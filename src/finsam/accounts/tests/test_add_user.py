"""The first administrator of an installation, made from the host's shell."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from finsam import testing
from finsam.accounts.models import Membership, User
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry


@pytest.mark.django_db
def test_add_user_makes_an_account_with_a_one_time_password_and_a_role(client: Client) -> None:
    assoc = testing.association()
    out = StringIO()
    call_command(
        "add_user", "anna", association=assoc.slug, role="kansliadministrator", email="a@x.se", stdout=out
    )
    password = re.search(r"Engångslösenord \(visas bara nu\): (\S+)", out.getvalue())
    assert password and f"anna är kansliadministratör i {assoc.name}." in out.getvalue()
    user = User.objects.get(username="anna")
    assert user.password_change_required and user.check_password(password.group(1)) and user.email == "a@x.se"
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [Role.OFFICE_ADMIN]
    assert AuditEntry.objects.get(action="membership.grant").actor.endswith("(kommandorad)")

    again = StringIO()
    call_command("add_user", "anna", association=assoc.slug, role="dataskyddsombud", stdout=again)
    assert "Engångslösenord" not in again.getvalue()  # an existing account keeps its password
    roles = set(Membership.objects.filter(user=user).values_list("role", flat=True))
    assert roles == {Role.OFFICE_ADMIN, Role.DATA_PROTECTION_OFFICER}

    assert (
        client.post("/konto/logga-in/", {"username": "anna", "password": password.group(1)}).status_code
        == 302
    )
    with pytest.raises(CommandError, match="inget förbund med kortnamnet 'saknas'"):
        call_command("add_user", "bo", association="saknas", role="ekonom")
    assert not User.objects.filter(username="bo").exists()
