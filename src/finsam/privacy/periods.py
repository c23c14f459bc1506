"""The periods a suppressed table may be given for, and suppression across them.

Two published tables of periods that differ by a month subtract to what happened in that
month: January–July and January–August told that one man left an intervention in August.
So tables that leave the association are given only for fixed periods, each the
year-to-date at a quarter's end where associations report: **January–March,
January–June and the whole year** (`ALLOWED_ENDS`). Any other period is widened to the
shortest allowed one that holds it (`fixed_period`); a period across a year end is
refused (`PeriodNotAllowed`, with a message in Swedish).

The allowed periods of a year share their start, so a count of theirs (participating,
exited, new in the period, …) only grows from one to the next, and what two of them tell
together is their difference: every way of subtracting them is a pair. `suppress_chain`
suppresses them in order, each knowing the ones before it (a table, once published, is
never changed by later data), so that for every position (a cell or a total):

* every published count is 0 or at least the threshold (as `suppress`);
* two published counts of one position in two periods differ by 0 or by at least the
  threshold: a count that grew by 1 … threshold-1 since the latest period where it was
  published is hidden in the longer period, guarded so that the reader cannot pin it
  within threshold-1 above the earlier count (`Guard(a, a + threshold)`);
* a count hidden in a period and not grown by the threshold is hidden in the next too,
  guarded so that it could be the threshold above the earlier one; so a later table
  never caps an earlier hidden count more tightly than by threshold more;
* every hidden position is safe by the rules of `suppress`, with the latest published
  count of an earlier period as its lower bound (the count cannot have shrunk).

What is not promised: the reader who solves all periods' tables together as one system
(each hidden range here is computed within its own table, with the other periods'
published counts as bounds); combinations of two different grids of one period
(participating and exited, say), as `suppress` does not promise them either; periods that
are not allowed, which are never given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Sequence

from finsam.privacy.suppression import GRAND_TOTAL, Guard, Position, SuppressedTable, suppress

__all__ = ["ALLOWED_ENDS", "PeriodNotAllowed", "allowed_periods", "fixed_period", "suppress_chain"]

# (month, day) of the ends of the allowed periods; each starts on 1 January.
ALLOWED_ENDS = ((3, 31), (6, 30), (12, 31))

# A position keyed by its row's key rather than its index, so that the periods' tables
# (whose rows may differ: an intervention starts, a municipality appears) line up.
_Key = tuple[tuple[Hashable] | None, int | None]
# One period's table: the keys of its rows and its grid of counts.
KeyedTable = tuple[Sequence[Hashable], Sequence[Sequence[int]]]


class PeriodNotAllowed(ValueError):
    """A period that no allowed period holds (it crosses a year end)."""


def allowed_periods(year: int) -> list[tuple[dt.date, dt.date]]:
    """The allowed periods of a year, shortest first."""
    return [(dt.date(year, 1, 1), dt.date(year, month, day)) for month, day in ALLOWED_ENDS]


def fixed_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The shortest allowed period that holds start … end."""
    if start > end:
        raise ValueError("a period cannot end before it starts")
    if start.year == end.year:
        for period in allowed_periods(end.year):
            if end <= period[1]:
                return period
    raise PeriodNotAllowed(
        f"Tabeller där små tal döljs ges bara för 1 januari – 31 mars, 1 januari – 30 juni och "
        f"hela kalenderår. Perioden {start.isoformat()} – {end.isoformat()} går över ett årsskifte: "
        f"välj en period inom ett år."
    )


def _keyed(position: Position, rows: Sequence[Hashable]) -> _Key:
    i, j = position
    return (None if i is None else (rows[i],), j)


def _positions(row_count: int, column_count: int) -> list[Position]:
    rows, columns = range(row_count), range(column_count)
    return [
        *((i, j) for i in rows for j in columns),
        *((i, None) for i in rows),
        *((None, j) for j in columns),
        GRAND_TOTAL,
    ]


def _value(grid: Sequence[Sequence[int]], position: Position) -> int:
    i, j = position
    if i is not None and j is not None:
        return grid[i][j]
    if i is not None:
        return sum(grid[i])
    if j is not None:
        return sum(row[j] for row in grid)
    return sum(map(sum, grid))


def _guard(value: int, anchor: int, last: tuple[int, bool], threshold: int) -> Guard | None:
    """The guard a position needs in this period: `anchor` is its latest published count of an earlier
    period (0 if none), `last` its (count, published) in the period before."""
    guard = Guard(anchor, anchor + threshold) if 0 < value - anchor < threshold else None
    last_count, last_published = last
    if not last_published and value - last_count < threshold:
        guard = Guard(None, max(last_count + threshold, guard.high if guard else 0))
    return guard


def suppress_chain(tables: Sequence[KeyedTable], *, columns: int, threshold: int) -> list[SuppressedTable]:
    """Suppress the tables of a year's allowed periods, shortest first (see the module's text).

    Every table has `columns` columns; a row missing from a period counts 0 there, as a
    reader of that period's table knows.
    """
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    # Per keyed position: (count, published) in each period so far.
    history: dict[_Key, list[tuple[int, bool]]] = {}
    results = []
    for period, (rows, grid) in enumerate(tables):
        if len(rows) != len(grid) or any(len(row) != columns for row in grid):
            raise ValueError("a table needs one key per row and the same columns as the others")
        positions = _positions(len(grid), columns)
        if grid:
            guards: dict[Position, Guard] = {}
            lower: dict[Position, int] = {}
            for position in positions:
                past = history.get(_keyed(position, rows), [(0, True)] * period)
                value = _value(grid, position)
                # The latest published count: the reader knows the count has not shrunk since.
                anchor = min(value, next((count for count, shown in reversed(past) if shown), 0))
                guard = _guard(value, anchor, past[-1] if past else (0, True), threshold)
                if guard is not None:
                    guards[position] = guard
                lower[position] = anchor
            result = suppress(grid, threshold=threshold, guards=guards, lower=lower)
        else:
            # No rows: nothing to hide, every total is zero.
            result = SuppressedTable((), (), (0,) * columns, 0, threshold, frozenset(), frozenset())
        for position in positions:
            entry = (_value(grid, position), position not in result.hidden)
            history.setdefault(_keyed(position, rows), [(0, True)] * period).append(entry)
        for past in history.values():
            if len(past) == period:  # a row this period does not have
                past.append((0, True))
        results.append(result)
    return results
