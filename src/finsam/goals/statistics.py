"""The statistics of the structural-work registers for a period, counted in the database.

Shares are exact Decimals rounded to four places (0.5556 = 55,56 %); a share of a breakdown is taken of the
rows where the value is known, so "55 % of the referrals" means of the referrals with a recorded referring
party.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from finsam.goals.models import (
    AgeGroup,
    CooperationCase,
    CooperationMeeting,
    DeviationReport,
    Event,
    ReferringParty,
)
from finsam.organisation.models import Association

SHARE_PLACES = Decimal("0.0001")


def share(part: int, whole: int) -> Decimal | None:
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    count: int
    share: Decimal | None


@dataclass(frozen=True)
class GroupRow:
    local_group: str
    cases: int
    meetings: int
    meetings_with_case: int


@dataclass(frozen=True)
class CooperationStats:
    cases: int
    meetings: int
    meetings_with_case: int
    meeting_share: Decimal | None
    cases_at_meetings: int
    party_known: int
    by_party: list[Row]
    age_known: int
    by_age: list[Row]
    by_group: list[GroupRow]


def _breakdown(
    counts: dict[str, int], choices: type[ReferringParty] | type[AgeGroup]
) -> tuple[int, list[Row]]:
    """Known rows with their shares, then the unknown. Referring parties come largest first, as the annual
    report names them; age groups in age order."""
    known = sum(n for key, n in counts.items() if key)
    rows = [
        Row(key, str(label), counts.get(key, 0), share(counts.get(key, 0), known))
        for key, label in choices.choices
        if key
    ]
    if choices is ReferringParty:
        rows.sort(key=lambda r: -r.count)
    if counts.get("", 0):
        rows.append(Row("", str(choices("").label), counts[""], None))
    return known, rows


def cooperation(association: Association, start: dt.date, end: dt.date) -> CooperationStats:
    cases = CooperationCase.objects.filter(association=association, raised_on__range=(start, end))
    meetings = CooperationMeeting.objects.filter(association=association, held_on__range=(start, end))
    party_counts = dict(cases.values_list("referring_party").annotate(n=Count("id")).order_by())
    age_counts = dict(cases.values_list("age_group").annotate(n=Count("id")).order_by())
    party_known, by_party = _breakdown(party_counts, ReferringParty)
    age_known, by_age = _breakdown(age_counts, AgeGroup)
    case_groups = dict(cases.values_list("local_group").annotate(n=Count("id")).order_by())
    meeting_groups = {
        group: (n, with_case)
        for group, n, with_case in meetings.values_list("local_group")
        .annotate(
            total=Count("id", distinct=True),
            with_case=Count("id", filter=Q(cases__isnull=False), distinct=True),
        )
        .order_by()
    }
    groups = sorted(set(case_groups) | set(meeting_groups))
    meeting_total = sum(n for n, _ in meeting_groups.values())
    with_case = sum(w for _, w in meeting_groups.values())
    return CooperationStats(
        cases=cases.count(),
        meetings=meeting_total,
        meetings_with_case=with_case,
        meeting_share=share(with_case, meeting_total),
        cases_at_meetings=cases.filter(meeting__isnull=False).count(),
        party_known=party_known,
        by_party=by_party,
        age_known=age_known,
        by_age=by_age,
        by_group=[GroupRow(g, case_groups.get(g, 0), *meeting_groups.get(g, (0, 0))) for g in groups],
    )


@dataclass(frozen=True)
class DeviationStats:
    reports: int
    by_state: list[Row]
    raised_nationally: int


def deviations(association: Association, start: dt.date, end: dt.date) -> DeviationStats:
    reports = DeviationReport.objects.filter(association=association, reported_on__range=(start, end))
    counts = dict(reports.values_list("state").annotate(n=Count("id")).order_by())
    total = sum(counts.values())
    return DeviationStats(
        reports=total,
        by_state=[
            Row(key, str(label), counts.get(key, 0), share(counts.get(key, 0), total))
            for key, label in DeviationReport.State.choices
        ],
        raised_nationally=reports.filter(raised_nationally=True).count(),
    )


@dataclass(frozen=True)
class EventRow:
    kind: str
    label: str
    events: int
    attendees: int
    unique_viewers: int


@dataclass(frozen=True)
class EventStats:
    by_kind: list[EventRow]
    events: int
    attendees: int
    unique_viewers: int

    @property
    def reach(self) -> int:
        return self.attendees + self.unique_viewers


def events(association: Association, start: dt.date, end: dt.date) -> EventStats:
    rows = {
        kind: (n, attendees or 0, viewers or 0)
        for kind, n, attendees, viewers in Event.objects.filter(
            association=association, held_on__range=(start, end)
        )
        .values_list("kind")
        .annotate(n=Count("id"), a=Sum("attendees"), v=Sum("unique_viewers"))
        .order_by()
    }
    by_kind = [EventRow(kind, str(label), *rows.get(kind, (0, 0, 0))) for kind, label in Event.Kind.choices]
    return EventStats(
        by_kind=by_kind,
        events=sum(r.events for r in by_kind),
        attendees=sum(r.attendees for r in by_kind),
        unique_viewers=sum(r.unique_viewers for r in by_kind),
    )
