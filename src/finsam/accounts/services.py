"""Writes of the accounts app: each one transaction with its audit entry."""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.accounts import notifications
from finsam.accounts.approvals import may_decide
from finsam.accounts.models import Membership, NotificationSetting, RoleRequest, User
from finsam.accounts.roles import Role, needs_approval
from finsam.core import services as core
from finsam.core.audit import Actor, record
from finsam.organisation.models import Association, Intervention

RECOVERY_CODE_COUNT = 10
TOTP_NAME = "Autentiseringsapp"
RECOVERY_NAME = "Återställningskoder"


ROLE_REQUESTED = "role_requested"  # the notification to the data protection officer (apps.py registers it)


class ApprovalRequired(PermissionDenied):
    """A logged-in user tried to give a role that needs approval directly (ADR 0014): it is asked for."""


class DecisionRefused(PermissionDenied):
    """The user may not decide this request: she asked for it, it is for her, or she may not decide at all."""


class AlreadyDecided(Exception):
    """The request was approved or refused before."""


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
    *,
    approval: RoleRequest | None = None,
) -> Membership:
    """Give a role at once (a registrar: for exactly the interventions given, when given).

    A role that needs approval (roles.needs_approval) is given so only by a command, whose shell user is the
    host's administrator and which the trail names (the demo, the tests' factories), or as the approval of a
    request, passed as approval; a logged-in user asks through request_role (ADR 0014).
    """
    approved = (
        approval is not None
        and approval.status == RoleRequest.Status.APPROVED
        and (approval.user_id, approval.association_id, approval.role) == (user.pk, association.pk, role)
    )
    if needs_approval(role) and actor.user is not None and not approved:
        raise ApprovalRequired("a role that reads personal data is asked for, then approved by another")
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


@dataclass(frozen=True)
class Invitation:
    user: User
    password: str | None  # a new account's one-time password, shown once to the office
    request: RoleRequest | None  # the role asked for, waiting for approval; None when given at once


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
    reason: str = "",
) -> Invitation:
    """Give a role in the association, creating the account first if the user name is new.

    A role that needs approval is asked for instead (request_role) when a logged-in user gives it; the account
    is created all the same, with no role until the request is approved.
    """
    user = User.objects.filter(username=username).first()
    password = None
    if user is None:
        user, password = create_user(actor, username, first_name, last_name, email)
    if needs_approval(role) and actor.user is not None:
        asked = request_role(actor, user, association, role, interventions, reason)
        return Invitation(user, password, asked)
    grant_role(actor, user, association, role, interventions)
    return Invitation(user, password, None)


def _request_values(role_request: RoleRequest) -> dict[str, object]:
    return {
        "user": role_request.user.username,
        "role": role_request.role,
        "interventions": sorted(i.code for i in role_request.interventions.all()),
    }


@transaction.atomic
def request_role(
    actor: Actor,
    user: User,
    association: Association,
    role: Role,
    interventions: list[Intervention] | None = None,
    reason: str = "",
) -> RoleRequest:
    """Ask for a role that needs approval; the data protection officer or another administrator decides
    (decide_role_request). One request per user and role waits at a time."""
    if actor.user is None:
        raise ValueError("a request is made by a logged-in user; a command grants directly")
    if any(i.association_id != association.pk for i in interventions or []):
        raise ValueError("an intervention of another association cannot be asked for")
    waiting = RoleRequest.objects.filter(
        user=user, association=association, role=role, status=RoleRequest.Status.PENDING
    )
    if waiting.exists():
        raise ValidationError(
            _("%(user)s har redan en begäran om rollen som väntar på beslut.") % {"user": user.username}
        )
    role_request = RoleRequest.objects.create(
        association=association, user=user, role=role, reason=reason, requested_by=actor.user
    )
    role_request.interventions.set(interventions or [])
    record(actor, "role.request", role_request, association=association, after=_request_values(role_request))
    deciders = notifications.members(association, Role.DATA_PROTECTION_OFFICER)
    notifications.notify(
        actor,
        ROLE_REQUESTED,
        [dpo for dpo in deciders if may_decide(dpo, role_request)],
        association,
        link=f"/f/{association.slug}/anvandare/behorigheter/",
        values={"role": role_request.get_role_display()},
    )
    return role_request


@transaction.atomic
def decide_role_request(
    actor: Actor, role_request: RoleRequest, *, approve: bool, comment: str = ""
) -> RoleRequest:
    """Approve a pending request, giving the role through grant_role in this transaction, or refuse it.

    Only a user who may decide (approvals.may_decide): never the one who asked, never the one it is for,
    never a command. Both the decision and, on approval, the grant are in the trail under the decider.
    """
    role_request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if actor.user is None or not may_decide(actor.user, role_request):
        raise DecisionRefused("the one who asked, or the one it is for, never decides")
    if role_request.status != RoleRequest.Status.PENDING:
        raise AlreadyDecided
    role_request.status = RoleRequest.Status.APPROVED if approve else RoleRequest.Status.REFUSED
    role_request.decided_by = actor.user
    role_request.decided_at = timezone.now()
    role_request.comment = comment
    role_request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    association = role_request.association
    before = {"status": RoleRequest.Status.PENDING.value}
    after = {**_request_values(role_request), "status": role_request.status}
    action = "role.approve" if approve else "role.refuse"
    record(actor, action, role_request, association=association, before=before, after=after)
    if approve:
        role = Role(role_request.role)
        interventions = list(role_request.interventions.all()) if role == Role.REGISTRAR else None
        grant_role(actor, role_request.user, association, role, interventions, approval=role_request)
    return role_request


@transaction.atomic
def save_notification_choices(actor: Actor, user: User, chosen: dict[str, bool]) -> None:
    """Turn kinds of e-mail notification on or off for the user (accounts.notifications); the trail names the
    kinds changed and how."""
    current = notifications.choices_of(user)
    unknown = set(chosen) - set(current)
    if unknown:
        raise ValueError(f"not a kind of notification this user may get: {', '.join(sorted(unknown))}")
    changed = sorted(key for key, on in chosen.items() if current[key] != on)
    for key in changed:
        NotificationSetting.objects.update_or_create(user=user, kind=key, defaults={"enabled": chosen[key]})
    if changed:
        before = {key: current[key] for key in changed}
        after = {key: chosen[key] for key in changed}
        record(actor, "notifications.choose", user, association=None, before=before, after=after)
