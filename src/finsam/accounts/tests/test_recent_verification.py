"""A password alone never reaches what the second factor guards (issue 13, hole 1).

Each attack is replayed as it was made on the demo: a session that gave only the password tries to
mint recovery codes, enrol its own authenticator over the user's, or change the password. Until the
second factor is verified a session may only verify it (or log out), or enrol a first device when the
user has none; new recovery codes, device changes and password changes need a verification made within
the last FINSAM_RECENT_VERIFICATION_SECONDS.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam import testing
from finsam.accounts import security, services
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.accounts.tests.test_two_factor import code_for, login
from finsam.core.models import AuditEntry
from finsam.organisation.models import Association

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "en helt annan lång mening"


def enrolled(username: str = "rita") -> tuple[Association, User, TOTPDevice, list[str]]:
    """A registrar who has set up her authenticator and kept her recovery codes."""
    assoc = testing.association()
    steg = testing.intervention(assoc, "STEG")
    user = testing.user(username, (assoc, Role.REGISTRAR), interventions=[steg])
    device = TOTPDevice.objects.create(user=user, name=services.TOTP_NAME, confirmed=False)
    codes = services.confirm_totp(testing.SYSTEM, user, device)
    return assoc, user, device, codes


def password_only(username: str = "rita") -> Client:
    attacker = Client()
    response = attacker.post("/konto/logga-in/", {"username": username, "password": testing.PASSWORD})
    assert response["Location"].startswith("/konto/verifiera/")
    return attacker


def verified(username: str, device: TOTPDevice) -> Client:
    client = password_only(username)
    assert client.post("/konto/verifiera/", {"code": code_for(device)}).status_code == 302
    return client


def eight_digit_codes(page: str) -> list[str]:
    return re.findall(r"\b\d{8}\b", page)


@pytest.mark.parametrize("enforced", [True, False], ids=["production", "demo"])
def test_a_password_alone_cannot_mint_recovery_codes_and_verify_with_one(enforced: bool) -> None:
    with override_settings(FINSAM_REQUIRE_2FA=enforced):
        assoc, user, _, codes = enrolled()
        attacker = password_only()
        response = attacker.post("/konto/aterstallningskoder/")
        minted = eight_digit_codes(response.content.decode())
        for code in minted[:1]:
            attacker.post("/konto/verifiera/", {"code": code})
        assert minted == []
        assert response.status_code == 302 and response["Location"].startswith("/konto/verifiera/")
        if enforced:
            assert attacker.get(f"/f/{assoc.slug}/deltagare/").status_code == 302
        # The user's own codes were not replaced.
        tokens = StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
        assert sorted(tokens) == sorted(codes)
        assert not AuditEntry.objects.filter(action="2fa.recovery_codes").exists()


@pytest.mark.parametrize("enforced", [True, False], ids=["production", "demo"])
def test_a_password_alone_cannot_enrol_an_authenticator_over_a_confirmed_one(enforced: bool) -> None:
    with override_settings(FINSAM_REQUIRE_2FA=enforced):
        assoc, user, device, _ = enrolled()
        attacker = password_only()
        attacker.get("/konto/tvastegsinloggning/")
        theirs = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).first()
        if theirs is not None:
            attacker.post("/konto/tvastegsinloggning/", {"code": code_for(theirs)})
        assert theirs is None
        devices = TOTPDevice.objects.filter(user=user).values_list("pk", "confirmed")
        assert list(devices) == [(device.pk, True)]
        if enforced:
            assert attacker.get(f"/f/{assoc.slug}/deltagare/").status_code == 302


@pytest.mark.parametrize("enforced", [True, False], ids=["production", "demo"])
def test_a_password_alone_cannot_change_the_password(enforced: bool) -> None:
    with override_settings(FINSAM_REQUIRE_2FA=enforced):
        _, user, _, _ = enrolled()
        attacker = password_only()
        response = attacker.post(
            "/konto/byt-losenord/",
            {"old_password": testing.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        )
        assert response.status_code == 302 and response["Location"].startswith("/konto/verifiera/")
        user.refresh_from_db()
        assert user.check_password(testing.PASSWORD)


@override_settings(FINSAM_REQUIRE_2FA=True)
def test_before_verification_a_session_reaches_only_verify_and_log_out() -> None:
    enrolled()
    attacker = password_only()
    assert attacker.get("/konto/")["Location"] == "/konto/verifiera/?next=/konto/"
    assert attacker.get("/konto/verifiera/").status_code == 200
    assert attacker.post("/konto/logga-ut/").status_code == 302
    assert "_auth_user_id" not in attacker.session


@override_settings(FINSAM_REQUIRE_2FA=True)
def test_a_user_without_a_device_may_enrol_her_first_one() -> None:
    assoc = testing.association()
    user = testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    client = Client()
    login(client, "karin")
    assert client.get("/konto/tvastegsinloggning/").status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert len(client.post("/konto/tvastegsinloggning/", {"code": code_for(device)}).context["codes"]) == 10


def test_a_recent_verification_allows_new_codes_a_new_device_and_a_new_password() -> None:
    _, user, device, old_codes = enrolled()
    client = verified("rita", device)
    codes = client.post("/konto/aterstallningskoder/").context["codes"]
    assert len(codes) == 10 and not set(codes) & set(old_codes)

    client.get("/konto/tvastegsinloggning/")
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    assert client.post("/konto/tvastegsinloggning/", {"code": code_for(new)}).status_code == 200
    assert list(TOTPDevice.objects.filter(user=user).values_list("pk", flat=True)) == [new.pk]

    response = client.post(
        "/konto/byt-losenord/",
        {"old_password": testing.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    actions = list(AuditEntry.objects.filter(user=user).order_by("id").values_list("action", flat=True))
    assert actions == ["2fa.recovery_codes", "2fa.setup", "2fa.enable", "password.change"]
    replaced = AuditEntry.objects.get(user=user, action="2fa.enable")
    assert replaced.before == {"devices": [services.TOTP_NAME]}
    trail = str(list(AuditEntry.objects.values("before", "after", "object_repr")))
    assert not any(code in trail for code in codes + old_codes)
    assert NEW_PASSWORD not in trail and testing.PASSWORD not in trail


def test_an_old_verification_is_asked_for_again() -> None:
    _, _, device, codes = enrolled()
    client = verified("rita", device)
    session = client.session
    session[security.VERIFIED_AT] -= 11 * 60
    session.save()
    response = client.post("/konto/aterstallningskoder/")
    assert response["Location"] == "/konto/verifiera/?next=/konto/"
    assert not AuditEntry.objects.filter(action="2fa.recovery_codes").exists()
    # A recovery code verifies as well as the authenticator does, and is then used up.
    assert client.post("/konto/verifiera/", {"code": codes[0], "next": "/konto/"})["Location"] == "/konto/"
    assert len(client.post("/konto/aterstallningskoder/").context["codes"]) == 10


def test_the_user_is_shown_her_recent_security_events() -> None:
    _, user, device, _ = enrolled()
    client = verified("rita", device)
    client.post("/konto/aterstallningskoder/")
    client.post(
        "/konto/byt-losenord/",
        {"old_password": testing.PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    other = testing.user("karin")
    services.change_password(testing.SYSTEM, other, NEW_PASSWORD)

    since = timezone.now() - dt.timedelta(days=1)
    events = security.recent_events(user, since)
    assert [e.description for e in events] == [
        "Bytte lösenord",
        "Skapade nya återställningskoder",
        "Aktiverade tvåstegsinloggning",
    ]
    assert all(e.source.startswith("webb") for e in events[:2])
    assert security.recent_events(user, timezone.now() + dt.timedelta(seconds=1)) == []
    assert "Bytte lösenord" in client.get("/konto/").content.decode()  # her account page shows them

    shown = render_to_string("accounts/_security_events.html", {"security_events": events})
    assert "Bytte lösenord" in shown and "Skapade nya återställningskoder" in shown
