"""The participants' jobs on the queue (finsam.core.jobs)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.core.management import call_command

from finsam.accounts import notifications
from finsam.accounts.models import Membership
from finsam.accounts.roles import Role
from finsam.core import clock
from finsam.core.audit import Actor
from finsam.participants import caseload

SUMMARY = "registrar_summary"  # the weekly notification to each registrar (apps.py registers it)
SUMMARIES = Actor(user=None, label="finsam", source="veckosammanfattning")


def erase_expired() -> str:
    """The nightly erasure: `finsam manage erase_expired` for every association, its report kept with the
    job's result."""
    report = StringIO()
    call_command("erase_expired", stdout=report)
    return report.getvalue()


def registrar_summaries(today: dt.date | None = None) -> int:
    """The weekly summary: each registrar with progress ratings due or exits to register in the interventions
    she registers for (the counts of her start page, caseload) is told how many, with a link; nothing else.
    Returns the number of summaries queued."""
    today = today or clock.today()
    queued = 0
    registrars = Membership.objects.filter(role=Role.REGISTRAR).select_related("user", "association")
    for membership in registrars.order_by("association__slug", "user_id"):
        rows = caseload.caseload(membership.association, membership.user, today)
        ratings = sum(row.ratings_due for row in rows)
        exits = sum(row.exits_due for row in rows)
        if ratings or exits:
            queued += notifications.notify(
                SUMMARIES,
                SUMMARY,
                [membership.user],
                membership.association,
                link=f"/f/{membership.association.slug}/",
                values={"ratings": ratings, "exits": exits},
            )
    return queued
