"""The office's register for the annual report: the events of significance of each year as they happen, and
the staff of each year. Every write is one transaction with its audit entry (core.services); the reads are
what the board's documents, and the commentary on a row's deviation, take from it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finsam.core import services as core
from finsam.core.audit import Actor
from finsam.organisation.models import Association
from finsam.reports.models import SignificantEvent, StaffYear


def save_event(actor: Actor, event: SignificantEvent) -> SignificantEvent:
    """Add an event, or change one (validated: its row, if any, is a row of the association's statement)."""
    return core.save(actor, event, association=event.association)


def delete_event(actor: Actor, event: SignificantEvent) -> None:
    core.delete(actor, event, association=event.association)


def save_staff(
    actor: Actor, association: Association, year: int, employees: int, purchased: Decimal | None
) -> StaffYear:
    """The staff of the year: own employees and purchased full-time equivalents (None: not known)."""
    staff = StaffYear.objects.filter(association=association, year=year).first()
    staff = staff or StaffYear(association=association, year=year)
    staff.employees, staff.purchased = employees, purchased
    return core.save(actor, staff, association=association)


def events(association: Association, start: dt.date, end: dt.date) -> list[SignificantEvent]:
    """The events from start to end, in date order."""
    return list(SignificantEvent.objects.during(association, start, end))


def events_of_row(
    association: Association, row_code: str, start: dt.date, end: dt.date
) -> list[SignificantEvent]:
    """The events from start to end that bear on a statement row (the cause of its deviation, perhaps)."""
    return list(SignificantEvent.objects.during(association, start, end).filter(row_code=row_code))


def staff(association: Association, years: list[int]) -> dict[int, StaffYear]:
    """The staff of each of the years that has it."""
    return {s.year: s for s in StaffYear.objects.filter(association=association, year__in=years)}
