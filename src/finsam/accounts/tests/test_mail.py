"""E-mail notifications through a real SMTP server on loopback (aiosmtpd, finsam/conftest.py): the
settings, the choices of each user, the data protection officer told of a requested role, sending once, a
server that cannot be reached. The other kinds are tested in the apps that send them (test_mail.py of
finance, participants and reports).
"""

from __future__ import annotations

import ast
import datetime as dt
import logging
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_q.models import Schedule
from pytest_django.fixtures import Settings

from finsam import testing
from finsam.accounts import notifications, services
from finsam.accounts.models import NotificationSetting, User
from finsam.accounts.roles import Role
from finsam.conftest import Mailbox, free_port
from finsam.core.models import AuditEntry
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db
SITE = "https://finsam.example.org"


def with_email(user: User, address: str) -> User:
    user.email = address
    user.save()
    return user


def turn_off(user: User, key: str) -> None:
    services.save_notification_choices(testing.SYSTEM, user, {key: False})


@pytest.fixture
def assoc() -> Association:
    made = testing.association()
    testing.intervention(made, "STEG")
    return made


def test_a_requested_role_tells_the_data_protection_officers_who_may_decide_it(
    smtp_server: Mailbox, client: Client, assoc: Association
) -> None:
    karin = with_email(testing.user("karin", (assoc, Role.OFFICE_ADMIN)), "karin@testdalen.se")
    with_email(testing.user("dora", (assoc, Role.DATA_PROTECTION_OFFICER)), "dora@testdalen.se")
    dag = with_email(testing.user("dag", (assoc, Role.DATA_PROTECTION_OFFICER)), "dag@testdalen.se")
    turn_off(dag, services.ROLE_REQUESTED)
    testing.user("dina", (assoc, Role.DATA_PROTECTION_OFFICER))  # no e-mail address
    elsewhere = testing.association("annanstans", "Samordningsförbundet Annanstans")
    with_email(testing.user("bodil", (elsewhere, Role.DATA_PROTECTION_OFFICER)), "bodil@annanstans.se")

    client.force_login(karin)
    steg = assoc.interventions.get(code="STEG")
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
    assert response.status_code == 200  # the new account's one-time password is shown

    assert [m["X-Envelope-To"] for m in smtp_server.messages] == ["dora@testdalen.se"]
    [message] = smtp_server.messages
    assert message["From"] == "finsam@example.org" and message["To"] == "dora@testdalen.se"
    assert (
        message["Subject"].strip()
        == "Samordningsförbundet Testdalen: en begärd behörighet väntar på ditt beslut"
    )
    body = Mailbox.body(message)
    assert "rollen Deltagarregistrator" in body
    assert f"{SITE}/f/testdalen/anvandare/behorigheter/" in body
    assert f"{SITE}/konto/aviseringar/" in body  # where she turns it off
    raw = smtp_server.raw[0].decode()
    assert "rita" not in raw.lower() and "Ros" not in raw and "karin" not in raw  # nobody's name
    sent = AuditEntry.objects.get(action=notifications.SENT)
    assert (sent.object_repr, sent.association) == ("dora", assoc)
    assert sent.after is not None and sent.after["kind"] == "role_requested"
    assert sent.actor == "karin"


def test_the_page_offers_the_kinds_of_her_roles_and_saves_her_choice_in_the_trail(
    client: Client, assoc: Association
) -> None:
    dora = testing.user("dora", (assoc, Role.DATA_PROTECTION_OFFICER), (assoc, Role.BOARD_MEMBER))
    client.force_login(dora)
    assert "/konto/aviseringar/" in client.get("/konto/").content.decode()
    page = client.get("/konto/aviseringar/").content.decode()
    assert "<h1>E-postaviseringar</h1>" in page
    assert "någon begär en roll som kräver godkännande" in page  # the data protection officer's
    assert "gallringen har tagit bort deltagaruppgifter" in page
    assert "en rapportversion väntar på mitt godkännande" in page  # the board member's
    assert "skattningar eller avslut" not in page and "en import jag startade" not in page  # not hers
    assert "Ditt konto har ingen e-postadress" in page
    assert page.count("checked") == 3  # every kind is on until she turns it off

    response = client.post("/konto/aviseringar/", {"role_requested": "on", "report_approval": "on"})
    assert response.status_code == 302
    assert notifications.choices_of(dora) == {
        "role_requested": True,
        "report_approval": True,
        "erasure_run": False,
    }
    assert list(NotificationSetting.objects.values_list("kind", "enabled")) == [("erasure_run", False)]
    entry = AuditEntry.objects.get(action="notifications.choose")
    assert (entry.before, entry.after, entry.actor) == ({"erasure_run": True}, {"erasure_run": False}, "dora")
    assert entry.description == "Ändrade sina e-postaviseringar"
    client.post("/konto/aviseringar/", {"role_requested": "on", "report_approval": "on"})
    assert AuditEntry.objects.filter(action="notifications.choose").count() == 1  # nothing changed
    with pytest.raises(ValueError, match="registrar_summary"):
        services.save_notification_choices(testing.SYSTEM, dora, {"registrar_summary": False})


def test_a_notification_is_sent_once_however_often_its_job_runs(
    smtp_server: Mailbox, assoc: Association
) -> None:
    dora = with_email(testing.user("dora", (assoc, Role.DATA_PROTECTION_OFFICER)), "dora@testdalen.se")

    def job(notification: str) -> bool:
        link, values = "/f/testdalen/anvandare/behorigheter/", {"role": "Deltagarregistrator"}
        actor = testing.SYSTEM.as_job_argument()
        return notifications.send("role_requested", dora.pk, assoc.pk, link, values, actor, notification)

    assert job("a-notification") is True
    assert job("a-notification") is False  # the queue delivered the job again
    assert len(smtp_server.messages) == 1
    # She is no longer the data protection officer when the next one's job runs: she is not told.
    services.revoke_role(testing.SYSTEM, dora.memberships.get())
    assert job("another") is False
    assert len(smtp_server.messages) == 1


def test_a_mail_server_that_cannot_be_reached_is_tried_again_later_then_the_job_fails(
    settings: Settings, smtp_server: Mailbox, assoc: Association
) -> None:
    dora = with_email(testing.user("dora", (assoc, Role.DATA_PROTECTION_OFFICER)), "dora@testdalen.se")
    listening = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens there
    arguments = (
        "role_requested",
        dora.pk,
        assoc.pk,
        "/",
        {"role": "x"},
        testing.SYSTEM.as_job_argument(),
        "n-1",
    )
    assert notifications.send(*arguments) is False
    failed = AuditEntry.objects.get(action=notifications.FAILED)
    assert failed.after == {
        "kind": "role_requested",
        "notification": "n-1",
        "error": "ConnectionRefusedError",
        "attempt": 1,
    }
    retry = Schedule.objects.get(func=notifications.SEND)
    assert retry.schedule_type == Schedule.ONCE and ast.literal_eval(retry.args) == (*arguments, 2)
    assert dt.timedelta(seconds=110) < retry.next_run - timezone.now() <= dt.timedelta(minutes=2)

    with pytest.raises(ConnectionRefusedError):  # the last attempt: the queue keeps the failed job
        notifications.send(*arguments, notifications.ATTEMPTS)
    assert Schedule.objects.filter(func=notifications.SEND).count() == 1
    assert not AuditEntry.objects.filter(action=notifications.SENT).exists()

    settings.EMAIL_PORT = listening  # the server is back: the retry goes out
    assert notifications.send(*ast.literal_eval(retry.args)) is True
    assert len(smtp_server.messages) == 1


def test_without_a_mail_server_nothing_is_queued_and_it_is_said_once(
    settings: Settings, caplog: pytest.LogCaptureFixture, assoc: Association
) -> None:
    settings.FINSAM_MAIL = False
    dora = with_email(testing.user("dora", (assoc, Role.DATA_PROTECTION_OFFICER)), "dora@testdalen.se")
    notifications._off_logged["logged"] = False
    with caplog.at_level(logging.WARNING, logger="finsam.accounts.notifications"):
        for _ in range(2):
            assert notifications.notify(testing.SYSTEM, "role_requested", [dora], assoc, link="/") == 0
    assert [r.getMessage() for r in caplog.records] == [
        "e-mail notifications are off: FINSAM_SMTP_HOST is not set"
    ]
    assert not mail.outbox


def finsam_manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "finsam", "manage", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_password_is_read_from_its_file_and_logs_in_to_the_server(
    installation: dict[str, str], tmp_path: Path
) -> None:
    """`finsam manage sendtestemail` (docs/mail.md) in a subprocess with the variables of the environment, to
    a server that takes a login without TLS."""
    mailbox = Mailbox()

    def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, auth: Any) -> AuthResult:
        assert isinstance(auth, LoginPassword)
        mailbox.logins.append((auth.login.decode(), auth.password.decode()))
        return AuthResult(success=auth.password == b"hemligt losenord 42")

    port = free_port()
    controller = Controller(
        mailbox, hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=False
    )
    controller.start()
    secret = tmp_path / "smtp-password"
    secret.write_text("hemligt losenord 42\n", encoding="utf-8")
    env = {
        **installation,
        "FINSAM_SMTP_HOST": "127.0.0.1",
        "FINSAM_SMTP_PORT": str(port),
        "FINSAM_SMTP_USER": "finsam",
        "FINSAM_SMTP_PASSWORD_FILE": str(secret),
        "FINSAM_SMTP_TLS": "none",
        "FINSAM_MAIL_FROM": "finsam@testdalen.se",
    }
    try:
        sent = finsam_manage(env, "sendtestemail", "drift@testdalen.se")
        assert sent.returncode == 0, sent.stderr
        assert mailbox.logins == [("finsam", "hemligt losenord 42")]
        assert [m["X-Envelope-To"] for m in mailbox.messages] == ["drift@testdalen.se"]
        assert mailbox.messages[0]["From"] == "finsam@testdalen.se"

    finally:
        controller.stop()

    in_variable = finsam_manage({**env, "FINSAM_SMTP_PASSWORD": "hemligt losenord 42"}, "check")
    assert in_variable.returncode != 0 and "FINSAM_SMTP_PASSWORD_FILE" in in_variable.stderr
    missing = finsam_manage({**env, "FINSAM_SMTP_PASSWORD_FILE": str(tmp_path / "saknas")}, "check")
    assert missing.returncode != 0
    assert f"FINSAM_SMTP_PASSWORD_FILE='{tmp_path / 'saknas'}' cannot be read" in missing.stderr
