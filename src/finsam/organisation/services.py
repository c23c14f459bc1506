"""Writes of the organisation app. Each is one transaction that leaves an audit entry."""

from __future__ import annotations

from django.db import transaction

from finsam.core import services as core
from finsam.core.audit import Actor
from finsam.organisation.models import (
    Association,
    BoardSeat,
    ContributionTotal,
    Grant,
    Intervention,
    Member,
    MemberName,
    Person,
    Population,
)


def save_member(actor: Actor, member: Member) -> Member:
    return core.save(actor, member, association=member.association)


def save_intervention(actor: Actor, intervention: Intervention) -> Intervention:
    return core.save(actor, intervention, association=intervention.association)


def save_contribution_total(actor: Actor, total: ContributionTotal) -> ContributionTotal:
    return core.save(actor, total, association=total.association)


def save_population(actor: Actor, population: Population) -> Population:
    return core.save(actor, population, association=population.member.association)


def save_member_name(actor: Actor, name: MemberName) -> MemberName:
    return core.save(actor, name, association=name.member.association)


def save_grant(actor: Actor, grant: Grant) -> Grant:
    return core.save(actor, grant, association=grant.intervention.association)


@transaction.atomic
def person_named(actor: Actor, association: Association, name: str) -> Person:
    """The association's person of that name, created on first mention."""
    name = " ".join(name.split())
    person = Person.objects.filter(association=association, name=name).first()
    return person or core.save(actor, Person(association=association, name=name), association=association)


@transaction.atomic
def save_board_seat(actor: Actor, seat: BoardSeat, person_name: str) -> BoardSeat:
    seat.person = person_named(actor, seat.association, person_name)
    return core.save(actor, seat, association=seat.association)
