"""The board as the reports show it: a row per member, its ledamöter and ersättare during a period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from finsam.organisation.models import Association, BoardSeat, Member


@dataclass(frozen=True)
class Holder:
    seat: BoardSeat
    until: dt.date | None  # set when the seat ends inside the period
    since: dt.date | None  # set when the seat starts inside the period


@dataclass
class BoardRow:
    member: Member
    members: list[Holder] = field(default_factory=list)
    deputies: list[Holder] = field(default_factory=list)


def board_during(association: Association, start: dt.date, end: dt.date) -> list[BoardRow]:
    """Seats held at any time from start to end, by member in report order, ledamot before ersättare."""
    seats = (
        BoardSeat.objects.filter(association=association, start__lte=end)
        .exclude(end__lt=start)
        .select_related("member", "person")
        .order_by("start", "person__name")
    )
    rows = {m.pk: BoardRow(m) for m in Member.objects.filter(association=association).in_report_order()}
    for seat in seats:
        holder = Holder(
            seat,
            until=seat.end if seat.end and seat.end < end else None,
            since=seat.start if seat.start > start else None,
        )
        row = rows[seat.member_id]
        (row.members if seat.role == BoardSeat.Role.MEMBER else row.deputies).append(holder)
    return [row for row in rows.values() if row.members or row.deputies]
