"""The weekly reminder to the office of what next year needs decided: the budget and the members' total
contribution (a job of the queue, finsam.core.jobs; finance/apps.py schedules it)."""

from __future__ import annotations

import datetime as dt

from finsam.accounts import notifications
from finsam.accounts.roles import Role
from finsam.core import clock
from finsam.core.audit import Actor
from finsam.finance.models import BudgetLine
from finsam.organisation.models import Association, ContributionTotal

DECISIONS_MISSING = "decisions_missing"  # the notification to the office (apps.py registers it)
# From this day of the year on, next year's budget and contribution decision are looked for every week.
LOOK_FROM = (10, 1)
REMINDER = Actor(user=None, label="finsam", source="påminnelse om beslut")


def missing(association: Association, year: int) -> dict[str, bool]:
    """Whether the year's budget and the decision of its total contribution are missing."""
    return {
        "budget": not BudgetLine.objects.filter(
            association=association, year=year, kind=BudgetLine.Kind.BUDGET
        ).exists(),
        "contribution": not ContributionTotal.objects.filter(association=association, year=year).exists(),
    }


def remind_missing_decisions(today: dt.date | None = None) -> int:
    """From 1 October: tell the office administrators of each association whose budget or contribution
    decision for next year is missing. Returns the number of associations reminded."""
    today = today or clock.today()
    if (today.month, today.day) < LOOK_FROM:
        return 0
    year = today.year + 1
    reminded = 0
    for association in Association.objects.order_by("slug"):
        found = missing(association, year)
        if any(found.values()):
            reminded += 1
            notifications.notify(
                REMINDER,
                DECISIONS_MISSING,
                notifications.members(association, Role.OFFICE_ADMIN),
                association,
                link=f"/f/{association.slug}/",
                values={
                    **found,
                    "year": year,
                    "budget_path": f"/f/{association.slug}/ekonomi/budget/",
                    "contribution_path": f"/f/{association.slug}/medlemsbidrag/",
                },
            )
    return reminded
