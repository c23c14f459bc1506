"""Two-factor login (TOTP with recovery codes), enforced when FINSAM_REQUIRE_2FA is on (production)."""

from __future__ import annotations

import base64
import json

import pytest
from django.test import Client, override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def code_for(device: TOTPDevice) -> str:
    """The code an authenticator app shows now for this device's key."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def login(client: Client, username: str) -> None:
    response = client.post("/konto/logga-in/", {"username": username, "password": testing.PASSWORD})
    assert response.status_code == 302


@override_settings(FINSAM_REQUIRE_2FA=True)
def test_production_sends_a_user_without_a_second_factor_to_set_one_up(client: Client) -> None:
    assoc = testing.association()
    testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    login(client, "karin")
    response = client.get(f"/f/{assoc.slug}/medlemmar/")
    assert response.status_code == 302
    assert response["Location"] == f"/konto/tvastegsinloggning/?next=/f/{assoc.slug}/medlemmar/"


@override_settings(FINSAM_REQUIRE_2FA=True)
def test_setting_up_an_authenticator_gives_recovery_codes_and_access(client: Client) -> None:
    assoc = testing.association()
    user = testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    login(client, "karin")
    page = client.get("/konto/tvastegsinloggning/").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post("/konto/tvastegsinloggning/", {"code": code_for(device)})
    codes = response.context["codes"]
    assert len(codes) == 10 and all(len(c) == 8 and c.isdigit() for c in codes)
    assert client.get(f"/f/{assoc.slug}/medlemmar/").status_code == 200
    assert AuditEntry.objects.filter(action="2fa.enable", user=user).count() == 1


@override_settings(FINSAM_REQUIRE_2FA=True)
def test_a_recovery_code_works_once(client: Client) -> None:
    assoc = testing.association()
    testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    login(client, "karin")
    client.get("/konto/tvastegsinloggning/")
    device = TOTPDevice.objects.get(confirmed=False)
    codes = client.post("/konto/tvastegsinloggning/", {"code": code_for(device)}).context["codes"]

    for attempt in range(2):
        other = Client()
        response = other.post("/konto/logga-in/", {"username": "karin", "password": testing.PASSWORD})
        assert response["Location"].startswith("/konto/verifiera/")
        assert other.get(f"/f/{assoc.slug}/").status_code == 302  # not yet verified
        response = other.post("/konto/verifiera/", {"code": codes[0], "next": f"/f/{assoc.slug}/"})
        if attempt == 0:
            assert response.status_code == 302
            assert other.get(f"/f/{assoc.slug}/").status_code == 200
        else:
            assert "Koden stämmer inte" in response.content.decode()
            assert other.get(f"/f/{assoc.slug}/").status_code == 302


@override_settings(FINSAM_REQUIRE_2FA=True)
def test_a_wrong_code_is_refused_and_further_tries_are_slowed_down(client: Client) -> None:
    testing.user("karin")
    login(client, "karin")
    client.get("/konto/tvastegsinloggning/")
    device = TOTPDevice.objects.get(confirmed=False)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post("/konto/tvastegsinloggning/", {"code": wrong})
    assert "Koden stämmer inte" in response.content.decode()
    # django-otp throttles the device after a failure: even the right code is refused at once.
    response = client.post("/konto/tvastegsinloggning/", {"code": right})
    assert "Koden stämmer inte" in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed


def test_demo_and_dev_do_not_require_a_second_factor(client: Client) -> None:
    assoc = testing.association()
    testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    login(client, "karin")
    assert client.get(f"/f/{assoc.slug}/").status_code == 200


def test_login_is_throttled_after_five_failures(client: Client) -> None:
    assoc = testing.association()
    testing.user("karin", (assoc, Role.OFFICE_ADMIN))
    for _ in range(5):
        response = client.post("/konto/logga-in/", {"username": "karin", "password": "fel"})
    assert response.status_code in (200, 429)
    locked = client.post("/konto/logga-in/", {"username": "karin", "password": testing.PASSWORD})
    assert locked.status_code == 429
    assert "För många misslyckade inloggningar" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_passwords_are_hashed_with_argon2(settings: Settings) -> None:
    """The tests hash with a fast hasher (finsam/conftest.py); the project's settings, which every
    installation runs, hash with Argon2 and still read the older PBKDF2 hashes."""
    from finsam import settings as project

    assert settings.PASSWORD_HASHERS != project.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = project.PASSWORD_HASHERS
    user = testing.user("karin")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(testing.PASSWORD)


def test_starting_to_set_up_an_authenticator_is_in_the_trail_without_its_secret(client: Client) -> None:
    user = testing.user("karin")
    login(client, "karin")
    client.get("/konto/tvastegsinloggning/")
    client.get("/konto/tvastegsinloggning/")  # the same device again: nothing new is made
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    (entry,) = AuditEntry.objects.filter(action="2fa.setup")
    assert (entry.user, entry.object_id, entry.after) == (user, str(user.pk), {"device": device.name})
    secret = base64.b32encode(device.bin_key).decode("ascii")
    trail = json.dumps([entry.before, entry.after, entry.object_repr])
    assert device.key not in trail and secret not in trail


def test_no_account_page_is_ever_cached(client: Client) -> None:
    """They show an authenticator's key, recovery codes, a new user's one-time password, the change log."""
    assoc = testing.association()
    client.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    for url in (
        "/konto/logga-in/",
        "/konto/verifiera/",
        "/konto/tvastegsinloggning/",
        "/konto/aterstallningskoder/",
        "/konto/byt-losenord/",
        "/konto/",
        f"/f/{assoc.slug}/anvandare/",
        f"/f/{assoc.slug}/andringslogg/",
    ):
        response = client.get(url)
        directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
        assert "no-store" in directives and response.get("Pragma") == "no-cache", (url, response.status_code)
