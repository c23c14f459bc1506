"""The office asks the board to approve a version: the board members who have not approved it are told by
e-mail, through a real SMTP server on loopback (finsam/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from finsam import testing
from finsam.accounts import notifications
from finsam.accounts import services as accounts
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.conftest import Mailbox
from finsam.core.models import AuditEntry
from finsam.reports import services
from finsam.reports.models import ReportVersion
from finsam.reports.tests.test_board_reports import board_member_with_authenticator, code

pytestmark = pytest.mark.django_db


def addressed(user: User) -> User:
    user.email = f"{user.username}@testdalen.se"
    user.save()
    return user


def test_the_board_members_who_have_not_approved_are_asked_by_e_mail(
    smtp_server: Mailbox, client: Client
) -> None:
    assoc = testing.association()
    testing.members(assoc, {"A": 1000})
    ada, ada_device = board_member_with_authenticator(assoc, "ada", "Ada Ordförande")
    bo, _ = board_member_with_authenticator(assoc, "bo", "Bo Ledamot")
    cilla = testing.user("cilla", (assoc, Role.BOARD_MEMBER))
    for member in (ada, bo, cilla):
        addressed(member)
    accounts.save_notification_choices(testing.SYSTEM, cilla, {services.APPROVAL_ASKED: False})
    karin = addressed(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    elsewhere = testing.association("annanstans", "Samordningsförbundet Annanstans")
    addressed(testing.user("olle", (elsewhere, Role.BOARD_MEMBER)))
    version = services.start_version(testing.SYSTEM, assoc, ReportVersion.Kind.INTERIM, dt.date(2025, 6, 30))
    assert not smtp_server.messages  # a draft just started is still being written: nobody is told
    services.approve(testing.SYSTEM, version, ada, code(ada_device), "Ordförande")

    client.force_login(karin)
    page = f"/f/{assoc.slug}/rapporter/versioner/{version.pk}/"
    assert "Be styrelsen godkänna" in client.get(page).content.decode()
    response = client.post(f"{page}be-om-godkannande/", follow=True)
    assert "2 styrelseledamöter som inte har godkänt ännu får e-post" in response.content.decode()
    assert "Styrelsen ombads senast" in response.content.decode()

    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["bo@testdalen.se"]
    [message] = smtp_server.messages
    assert (
        message["Subject"].strip()
        == "Samordningsförbundet Testdalen: Delårsrapport 2025-06-30 v1 väntar på ditt godkännande"
    )
    body = Mailbox.body(message)
    assert f"https://finsam.example.org{page}#godkannande" in body
    assert "Du har inte godkänt den här versionen ännu." in body
    assert "Ada" not in body and "Bo Ledamot" not in body
    asked = AuditEntry.objects.get(action=services.ASKED)
    assert (asked.actor, asked.after) == ("karin", {"ombedda": 2})
    assert AuditEntry.objects.get(action=notifications.SENT).object_repr == "bo"

    # A board member reads the version but does not ask the board; nor is a locked version asked for.
    board = Client()
    board.force_login(bo)
    assert "Be styrelsen godkänna" not in board.get(page).content.decode()
    assert board.post(f"{page}be-om-godkannande/").status_code == 403
    ReportVersion.objects.filter(pk=version.pk).update(status=ReportVersion.Status.LOCKED)
    response = client.post(f"{page}be-om-godkannande/", follow=True)
    assert "Versionen är redan låst." in response.content.decode()
    assert len(smtp_server.messages) == 1
