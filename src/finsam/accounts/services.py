"""Writes of the accounts app: each one transaction with its audit entry."""

from __future__ import annotations

import base64
import secrets

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.accounts.models import Membership, User
from finsam.accounts.roles import Role
from finsam.core import services as core
from finsam.core.audit import Actor, record
from finsam.organisation.models import Association, Intervention

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Autentiseringsapp"
RECOVERY_NAME = "Återställningskoder"


@transaction.atomic
def start_totp_setup(actor: Actor, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user is setting up, created on first request with an audit entry that
    names the device, never its secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)
        record(actor, "2fa.setup", user, association=None, after={"device": device.name})
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode("ascii")


def _new_recovery_codes(user: User) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        StaticToken.objects.create(device=device, token=code)
    return codes


@transaction.atomic
def confirm_totp(actor: Actor, user: User, device: TOTPDevice) -> list[str]:
    """Confirm the authenticator, drop any other, and issue fresh recovery codes (shown once, never again).

    Replacing a confirmed authenticator is for a session that recently proved the second factor
    (accounts.security); the entry names the devices it replaced.
    """
    others = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk)
    replaced = sorted(others.filter(confirmed=True).values_list("name", flat=True))
    others.delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    before = {"devices": replaced} if replaced else None
    record(actor, "2fa.enable", user, association=None, before=before, after={"device": device.name})
    return codes


@transaction.atomic
def regenerate_recovery_codes(actor: Actor, user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    record(actor, "2fa.recovery_codes", user, association=None, after={"count": len(codes)})
    return codes


@transaction.atomic
def grant_role(
    actor: Actor,
    user: User,
    association: Association,
    role: Role,
    interventions: list[Intervention] | None = None,
) -> Membership:
    membership, created = Membership.objects.get_or_create(user=user, association=association, role=role)
    before = None if created else {"interventions": sorted(i.code for i in membership.interventions.all())}
    if interventions is not None:
        if any(i.association_id != association.pk for i in interventions):
            raise ValueError("an intervention of another association cannot be granted")
        membership.interventions.set(interventions)
    after = {
        "user": user.username,
        "role": role.value,
        "interventions": sorted(i.code for i in membership.interventions.all()),
    }
    if created or before != {"interventions": after["interventions"]}:
        record(actor, "membership.grant", membership, association=association, before=before, after=after)
    return membership


@transaction.atomic
def revoke_role(actor: Actor, membership: Membership) -> None:
    before = {
        "user": membership.user.username,
        "role": membership.role,
        "interventions": sorted(i.code for i in membership.interventions.all()),
    }
    record(actor, "membership.revoke", membership, association=membership.association, before=before)
    membership.delete()


@transaction.atomic
def create_user(
    actor: Actor, username: str, first_name: str, last_name: str, email: str, password: str | None = None
) -> tuple[User, str]:
    """A new account with a one-time password that must be changed at first login (returned once), or with
    the password given (the demo's known logins), which need not be changed."""
    given = password is not None
    password = password if password is not None else secrets.token_urlsafe(12)
    user = User(
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        password_change_required=not given,
    )
    user.set_password(password)
    core.save(actor, user, association=None)
    return user, password


@transaction.atomic
def change_password(actor: Actor, user: User, password: str) -> None:
    """Set a new password; the trail says that it changed, never what it is."""
    user.set_password(password)
    user.password_change_required = False
    user.save(update_fields=["password", "password_change_required"])
    record(actor, "password.change", user, association=None)


@transaction.atomic
def invite(
    actor: Actor,
    association: Association,
    *,
    username: str,
    role: Role,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    interventions: list[Intervention] | None = None,
) -> tuple[User, str | None]:
    """Give a role in the association, creating the account first if the user name is new.

    Returns the user and, for a new account, its one-time password (shown once to the office).
    """
    user = User.objects.filter(username=username).first()
    password = None
    if user is None:
        user, password = create_user(actor, username, first_name, last_name, email)
    grant_role(actor, user, association, role, interventions)
    return user, password
