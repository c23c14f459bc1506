"""A registrar's caseload: her active episodes, the progress ratings due and the exits to register.

The rules (docs/participants.md, "The registrar's start page"):
- *active*: no exit date, as the list's "Pågående";
- *exit to register*: active, and either the intervention's end date has passed (nobody takes part in an
  intervention that has ended) or nothing has happened for INACTIVE_AFTER: the later of the enrolment and the
  latest rating is older than that. The episode model has no planned end, so activity is what we have;
- *rating due*: active, not an exit to register (first settle whether the participant is still there), and
  either the latest rating is older than RATING_INTERVAL or there is none and the enrolment is older than
  FIRST_RATING_AFTER.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from finsam.accounts.models import User
from finsam.accounts.roles import Role
from finsam.organisation.models import Association, Intervention
from finsam.participants.models import Episode, Rating

# SKAPA is rated at enrolment and then about once a quarter: a rating is due 90 days after the latest one.
RATING_INTERVAL = dt.timedelta(days=90)
# The first rating belongs to the start of the episode: due when 30 days have passed without one.
FIRST_RATING_AFTER = dt.timedelta(days=30)
# Two missed ratings without anything else happening: ask whether the participant has in fact left.
INACTIVE_AFTER = dt.timedelta(days=180)


def registered_interventions(association: Association, user: User) -> QuerySet[Intervention]:
    """The interventions whose participants this user may see: those named on her registrar role."""
    return Intervention.objects.filter(
        association=association,
        registrars__user=user,
        registrars__role=Role.REGISTRAR,
        registrars__association=association,
    ).distinct()


def episodes_of(association: Association, user: User) -> QuerySet[Episode]:
    """Every episode of the interventions she registers for."""
    return Episode.objects.filter(
        association=association, intervention__in=registered_interventions(association, user)
    ).select_related("intervention")


def active(episodes: QuerySet[Episode]) -> QuerySet[Episode]:
    """Active episodes with the date of their latest rating and of their latest activity."""
    latest = Rating.objects.filter(episode=OuterRef("pk")).order_by("-rated_on").values("rated_on")[:1]
    return episodes.filter(exited_on__isnull=True).annotate(
        last_rated=Subquery(latest),
        last_activity=Greatest(F("enrolled_on"), Coalesce(Subquery(latest), F("enrolled_on"))),
    )


def _exit_due(today: dt.date) -> Q:
    return Q(intervention__end__lt=today) | Q(last_activity__lt=today - INACTIVE_AFTER)


def _rating_due(today: dt.date) -> Q:
    overdue = Q(last_rated__lt=today - RATING_INTERVAL)
    never = Q(last_rated__isnull=True, enrolled_on__lt=today - FIRST_RATING_AFTER)
    return (overdue | never) & ~_exit_due(today)


def exits_due(episodes: QuerySet[Episode], today: dt.date) -> QuerySet[Episode]:
    """Active episodes whose exit should be registered, the longest without activity first."""
    return active(episodes).filter(_exit_due(today)).order_by("last_activity", "pk")


def ratings_due(episodes: QuerySet[Episode], today: dt.date) -> QuerySet[Episode]:
    """Active episodes due a progress rating, the longest waiting first."""
    return active(episodes).filter(_rating_due(today)).order_by("last_activity", "pk")


@dataclass(frozen=True)
class Caseload:
    intervention: Intervention
    active: int
    ratings_due: int
    exits_due: int


def caseload(association: Association, user: User, today: dt.date) -> list[Caseload]:
    """Per intervention she registers for: active episodes, ratings due and exits to register."""
    counts = {
        row["intervention"]: row
        for row in active(episodes_of(association, user))
        .values("intervention")
        .annotate(
            n=Count("pk"),
            due_ratings=Count("pk", filter=_rating_due(today)),
            due_exits=Count("pk", filter=_exit_due(today)),
        )
        .order_by()
    }
    found = []
    for intervention in registered_interventions(association, user).order_by("name"):
        row = counts.get(intervention.pk, {})
        found.append(
            Caseload(intervention, row.get("n", 0), row.get("due_ratings", 0), row.get("due_exits", 0))
        )
    return found
