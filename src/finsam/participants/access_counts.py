"""The access log as counts: how many reads of personal data each month, by the role of the one who read.

What the auditor sees of the log (ADR 0020): no names, no addresses, no records, only how often personal data
was read and by which role. A reader is counted under her roles in the association that read personal data
(today's roles: the log keeps who read, not which role she held); one who no longer holds such a role is
counted as such.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from finsam.accounts.models import Membership
from finsam.accounts.roles import ROLE_PERMS, Perm, Role
from finsam.organisation.models import Association
from finsam.participants.models import AccessLogEntry


@dataclass(frozen=True)
class MonthCount:
    month: dt.date
    reads: list[int]  # by role, in the order of the labels monthly() gives

    @property
    def total(self) -> int:
        return sum(self.reads)


def reader_roles(association: Association) -> dict[int, str]:
    """User id → the label of her roles in the association that read personal data ("A, B")."""
    personal = [role for role in Role if Perm.VIEW_PERSONAL_DATA in ROLE_PERMS[role]]
    roles: dict[int, list[str]] = defaultdict(list)
    memberships = Membership.objects.filter(association=association, role__in=personal).order_by("role")
    for user_id, role in memberships.values_list("user_id", "role"):
        roles[user_id].append(str(Role(role).label))
    return {user_id: ", ".join(labels) for user_id, labels in roles.items()}


def monthly(association: Association) -> tuple[list[str], list[MonthCount]]:
    """The role labels (columns) and each month with reads, newest first."""
    roles = reader_roles(association)
    without = _("Utan sådan roll i dag")
    counts: dict[dt.date, Counter[str]] = defaultdict(Counter)
    rows = (
        AccessLogEntry.objects.filter(association=association)
        .annotate(month=TruncMonth("at"))
        .values("month", "user_id")
        .annotate(reads=Count("id"))
        .order_by()
    )
    for row in rows:
        month = row["month"]
        day = month.date() if isinstance(month, dt.datetime) else month
        counts[day][roles.get(row["user_id"], without)] += row["reads"]
    labels = sorted({label for counter in counts.values() for label in counter})
    newest_first = sorted(counts, reverse=True)
    months = [MonthCount(month, [counts[month][label] for label in labels]) for month in newest_first]
    return labels, months
