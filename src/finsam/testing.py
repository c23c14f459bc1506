"""Small factories for tests: real rows in the real database, through the services where it matters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from finsam.accounts import services as accounts
from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.core.audit import Actor
from finsam.organisation.models import Association, ContributionTotal, Intervention, Member, Population

if TYPE_CHECKING:
    from finsam.reports.models import ReportVersion

SYSTEM = Actor(user=None, label="test")
PASSWORD = "ett långt testlösenord"


def association(slug: str = "testdalen", name: str = "Samordningsförbundet Testdalen") -> Association:
    return Association.objects.create(slug=slug, name=name)


def member(
    assoc: Association, code: str, kind: str = Member.Kind.MUNICIPALITY, population: int | None = None
) -> Member:
    created = Member.objects.create(association=assoc, code=code, name=f"{code.title()} kommun", kind=kind)
    if population is not None:
        Population.objects.create(member=created, reference_date=dt.date(2022, 11, 1), count=population)
    return created


def members(assoc: Association, populations: dict[str, int]) -> list[Member]:
    """The state, the region, Arbetsförmedlingen and the municipalities given (populations of 2022-11-01)."""
    made = [
        member(assoc, "FK", Member.Kind.STATE),
        member(assoc, "REG", Member.Kind.REGION),
        member(assoc, "AF", Member.Kind.EMPLOYMENT_SERVICE),
    ]
    made += [member(assoc, code, population=count) for code, count in populations.items()]
    return made


def contribution_total(assoc: Association, year: int, amount: int) -> ContributionTotal:
    return ContributionTotal.objects.create(association=assoc, year=year, amount=Decimal(amount))


def intervention(
    assoc: Association, code: str = "STEG", kind: str = Intervention.Kind.INDIVIDUAL
) -> Intervention:
    return Intervention.objects.create(association=assoc, code=code, name=code.title(), kind=kind)


def user(
    username: str, *roles: tuple[Association, Role], interventions: list[Intervention] | None = None
) -> User:
    created = User.objects.create_user(username=username, password=PASSWORD)
    for assoc, role in roles:
        granted = [i for i in interventions or [] if i.association_id == assoc.pk]
        accounts.grant_role(SYSTEM, created, assoc, role, granted if role == Role.REGISTRAR else None)
    return created


def authenticator_code(user: User) -> str:
    """The code her authenticator app shows for the next 30-second step (a confirmed device made if she has
    none): within the device's tolerance, and never a step it has already taken, however recently she used
    it."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - device.step, digits=device.digits):06d}"


def approve_by_board(version: ReportVersion, *, but: tuple[str, ...] = ()) -> None:
    """Every board member of the version's association approves it, but those named."""
    from finsam.reports import services

    for member in services.board_users(version.association):
        if member.username not in but:
            services.approve(SYSTEM, version, member, authenticator_code(member), "Ledamot")
