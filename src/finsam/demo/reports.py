"""The demo's versions of the board's documents (data/reports.yaml): started, written, put to the board and
approved through the same services the office and the board use on the web. Nothing is rendered here: the
documents are made when someone asks for them.

A version that exists is left as it is, so loading the demo again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from finsam.accounts import services as accounts
from finsam.accounts.models import User
from finsam.core.audit import Actor
from finsam.core.safeyaml import BoundedSafeLoader
from finsam.organisation.models import Association
from finsam.reports import register
from finsam.reports import services as reports
from finsam.reports.models import ReportVersion, SignificantEvent

FILE = Path(__file__).resolve().parent / "data" / "reports.yaml"
REGISTER = Path(__file__).resolve().parent / "data" / "register.yaml"


def specs() -> list[dict[str, Any]]:
    """The versions the demo holds, as data/reports.yaml gives them."""
    loaded: list[dict[str, Any]] = yaml.load(FILE.read_text(encoding="utf-8"), Loader=BoundedSafeLoader)
    return loaded


def load(associations: dict[str, Association], actor: Actor) -> None:
    _load_register(associations, actor)
    for spec in specs():
        association = associations[spec["association"]]
        kind, end = spec["kind"], spec["period_end"]
        if ReportVersion.objects.filter(association=association, kind=kind, period_end=end).exists():
            continue
        version = _write(actor, association, kind, end, spec)
        if spec.get("ask_board"):
            reports.ask_for_approval(actor, version)
        for username in spec.get("approved_by", ()):
            _approve(version, User.objects.get(username=username))


def _load_register(associations: dict[str, Association], actor: Actor) -> None:
    """The events and staff of data/register.yaml, entered as the office does on the web; an association
    whose register has anything is left as it is."""
    loaded: list[dict[str, Any]] = yaml.load(REGISTER.read_text(encoding="utf-8"), Loader=BoundedSafeLoader)
    for spec in loaded:
        association = associations[spec["association"]]
        if SignificantEvent.objects.filter(association=association).exists():
            continue
        for event in spec.get("events", ()):
            register.save_event(
                actor,
                SignificantEvent(
                    association=association,
                    occurred_on=event["date"],
                    title=event["title"],
                    text=event.get("text", ""),
                    row_code=event.get("row", ""),
                ),
            )
        for staff in spec.get("staff", ()):
            purchased = staff.get("purchased")
            register.save_staff(
                actor,
                association,
                staff["year"],
                staff["employees"],
                None if purchased is None else Decimal(str(purchased)),
            )


def _write(
    actor: Actor, association: Association, kind: str, end: dt.date, spec: dict[str, Any]
) -> ReportVersion:
    version = reports.start_version(actor, association, kind, end)
    if spec.get("diary_number"):
        reports.save_reference(actor, version, spec["diary_number"], None)
    for key, markdown in spec.get("texts", {}).items():
        reports.save_text(actor, version, key, markdown)
    for row_code, text in spec.get("footnotes", {}).items():
        reports.save_row_note(actor, version, row_code, text)
    return version


def authenticator(user: User) -> TOTPDevice:
    """The board member's confirmed authenticator, set up as she would on the web the first time."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        own = Actor(user=user, label=user.get_username())
        device = accounts.start_totp_setup(own, user)
        accounts.confirm_totp(own, user, device)
    return device


def _approve(version: ReportVersion, user: User) -> None:
    """The board member approves with the code her authenticator shows now."""
    device = authenticator(user)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    reports.approve(Actor(user=user, label=user.get_username()), version, user, code, _("Styrelseledamot"))
