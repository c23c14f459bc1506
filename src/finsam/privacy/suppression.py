"""Small-count suppression for tables that leave the association.

A table here is a grid of non-negative counts (say interventions × gender) published
with its row totals, column totals and grand total. A *position* is either a cell
`(row, column)` or a total: `(row, None)` is a row total, `(None, column)` a column
total and `(None, None)` the grand total. Totals are handled exactly like cells.

What is guaranteed (and tested) for `suppress(table, threshold=t)`:

* every published position equals the input, and so the published totals agree with
  the published cells;
* every position whose count is 1 … t-1 (and 0 too with `suppress_zeros=True`) is
  hidden; these are the *primary* positions, the rest of the hidden ones are
  *complementary*;
* `exposed_cells()` of the result is empty: for every hidden position, the values
  it can take in a table of non-negative integers agreeing with everything published
  (`feasible_ranges`, computed exactly) are at least two and are not all within
  1 … t-1. So a hidden count of 1 … t-1 could, as far as a reader can tell, be 0 or
  be t or more, and a hidden zero could be more than zero;
* the same table gives the same result.

With `guards` and `lower` (`privacy.periods` passes them, for tables of several
periods): a position with a guard is hidden and kept safe by its guard instead of the
threshold rule (see `Guard`), and every hidden position's range is computed with the
given lower bounds (a value the reader knows the position has at least).

What is not promised: a wide range (a 4 known to be 3 … 5 passes at t = 5), the
fewest possible hidden cells (the choice is a heuristic, cheap cells first), or
protection from someone who knows some hidden counts already (a participant knows
she is in the table), or from other published tables that share cells with this one.

Zeros are published by default. A small count is risky because it points at a few
people who may be recognised; a zero points at nobody. It tells that a group is
empty, which only matters when emptiness itself is sensitive, or when it combines with
other figures into a statement about everyone in a row ("all 7 from one municipality
left because of illness"): for such tables pass `suppress_zeros=True`.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "DEFAULT_THRESHOLD",
    "GRAND_TOTAL",
    "Guard",
    "Position",
    "SuppressedTable",
    "exposed_cells",
    "feasible_ranges",
    "suppress",
]

Position = tuple[int | None, int | None]
GRAND_TOTAL: Position = (None, None)
DEFAULT_THRESHOLD = 5

# A hidden position's possible values: lowest, highest (None when unbounded).
Range = tuple[int, int | None]


@dataclass(frozen=True)
class Guard:
    """When a hidden position is safe: once a table agreeing with everything published
    may hold `low` or less there (None: a lower value never helps) or `high` or more.

    The threshold rule is Guard(0, threshold): a hidden count of 1 … threshold-1 is safe
    once it could be 0 or the threshold. A count that grew by 1 … threshold-1 since a
    published count `a` of an earlier period is guarded by Guard(a, a + threshold).
    A position at (or below) `low` is safe once its value is not determined.
    """

    low: int | None
    high: int


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to publish: None marks a hidden figure ("–" or "för få")."""

    cells: tuple[tuple[int | None, ...], ...]
    row_totals: tuple[int | None, ...]
    column_totals: tuple[int | None, ...]
    grand_total: int | None
    threshold: int
    primary: frozenset[Position]
    complementary: frozenset[Position]

    @property
    def hidden(self) -> frozenset[Position]:
        return self.primary | self.complementary


class _Grid:
    """A validated table with its totals, seen as a circulation in a small network.

    Nodes: a source, one per row, one per column, a sink. A cell (i, j) is the arc
    row i → column j, a row total the arc source → row i, a column total the arc
    column j → sink, and the grand total the arc sink → source. Every equation a
    reader can use (a row adds up to its total, and so on) is flow conservation at a
    node, so the tables consistent with what is published are exactly the
    non-negative circulations that carry the published values on the published arcs.
    """

    def __init__(self, table: Sequence[Sequence[int]], lower: Mapping[Position, int] | None = None) -> None:
        rows = [[operator.index(count) for count in row] for row in table]
        if not rows or not rows[0]:
            raise ValueError("a table needs at least one row and one column")
        if any(len(row) != len(rows[0]) for row in rows):
            raise ValueError("every row of a table must have the same number of cells")
        if any(count < 0 for row in rows for count in row):
            raise ValueError("counts cannot be negative")
        self.row_count = len(rows)
        self.column_count = len(rows[0])
        self.values: dict[Position, int] = {}
        for i, row in enumerate(rows):
            for j, count in enumerate(row):
                self.values[i, j] = count
        for i, row in enumerate(rows):
            self.values[i, None] = sum(row)
        for j in range(self.column_count):
            self.values[None, j] = sum(row[j] for row in rows)
        self.values[GRAND_TOTAL] = sum(map(sum, rows))
        # What a reader knows each position holds at least (from elsewhere); 0 by default.
        self.lower = dict.fromkeys(self.values, 0)
        for position, bound in (lower or {}).items():
            if position not in self.values:
                raise ValueError(f"no such position in the table: {position}")
            if not 0 <= bound <= self.values[position]:
                raise ValueError(f"a lower bound must lie between 0 and the count: {position}")
            self.lower[position] = bound
        # Insertion order (cells row by row, row totals, column totals, grand total)
        # breaks ties, so the same table always gives the same result.
        self.order = {position: index for index, position in enumerate(self.values)}
        self.node_count = self.row_count + self.column_count + 2

        # The lines of the table with its margins: each says that some positions
        # add up, so a line with exactly one hidden position gives it away.
        self.lines: list[tuple[Position, ...]] = []
        self.lines_of: dict[Position, list[int]] = {position: [] for position in self.values}
        row_keys: list[int | None] = [*range(self.row_count), None]
        column_keys: list[int | None] = [*range(self.column_count), None]
        for row_key in row_keys:
            self._add_line(tuple((row_key, column_key) for column_key in column_keys))
        for column_key in column_keys:
            self._add_line(tuple((row_key, column_key) for row_key in row_keys))

        # Hiding costs, lowest first: a non-zero cell, a zero cell, a row or column
        # total, the grand total. Each tier costs more than all positions of the
        # tiers below together, so the search for complementary positions prefers
        # any set of cells to a total; within a tier a smaller count is cheaper.
        base = 2 * len(self.values) * (self.values[GRAND_TOTAL] + 1)
        self.cost = {position: base ** self.tier(position) + value for position, value in self.values.items()}

    def _add_line(self, line: tuple[Position, ...]) -> None:
        for position in line:
            self.lines_of[position].append(len(self.lines))
        self.lines.append(line)

    def tier(self, position: Position) -> int:
        i, j = position
        if i is not None and j is not None:
            return 0 if self.values[position] else 1
        return 3 if position == GRAND_TOTAL else 2

    def ends(self, position: Position) -> tuple[int, int]:
        """The arc of a position as (tail node, head node)."""
        source, sink = 0, self.node_count - 1
        i, j = position
        row_node = None if i is None else 1 + i
        column_node = None if j is None else 1 + self.row_count + j
        if row_node is not None and column_node is not None:
            return row_node, column_node
        if row_node is not None:
            return source, row_node
        if column_node is not None:
            return column_node, sink
        return sink, source

    def check(self, positions: Collection[Position]) -> None:
        for i, j in positions:
            if (i is not None and not 0 <= i < self.row_count) or (
                j is not None and not 0 <= j < self.column_count
            ):
                raise ValueError(f"no such position in the table: {(i, j)}")


class _Network:
    """Arcs with residual capacities and costs; flow is sent along cheapest paths.

    Cheapest paths are found with a queue-based Bellman–Ford, which handles the
    negative costs of residual arcs; when all costs are zero it visits nodes in
    breadth-first order, so sending flow is then Edmonds–Karp maximum flow.
    """

    def __init__(self, node_count: int) -> None:
        self._outgoing: list[list[int]] = [[] for _ in range(node_count)]
        self._head: list[int] = []
        self._residual: list[int] = []
        self._cost: list[int] = []

    def add_arc(self, tail: int, head: int, capacity: int, cost: int = 0) -> int:
        """Add an arc and its reverse (at index ^ 1); returns the arc's index."""
        index = len(self._head)
        for start, end, residual, unit_cost in ((tail, head, capacity, cost), (head, tail, 0, -cost)):
            self._outgoing[start].append(len(self._head))
            self._head.append(end)
            self._residual.append(residual)
            self._cost.append(unit_cost)
        return index

    def flow(self, arc: int) -> int:
        return self._residual[arc ^ 1]

    def send(self, source: int, sink: int, limit: int) -> int:
        """Send up to `limit` units at least cost; returns the amount sent."""
        sent = 0
        while sent < limit:
            path = self._cheapest_path(source, sink)
            if path is None:
                break
            amount = min(limit - sent, *(self._residual[arc] for arc in path))
            for arc in path:
                self._residual[arc] -= amount
                self._residual[arc ^ 1] += amount
            sent += amount
        return sent

    def _cheapest_path(self, source: int, sink: int) -> list[int] | None:
        distance = {source: 0}
        arrived_by: dict[int, int] = {}
        queue = deque([source])
        queued = {source}
        while queue:
            node = queue.popleft()
            queued.discard(node)
            for arc in self._outgoing[node]:
                if self._residual[arc] <= 0:
                    continue
                head, reached = self._head[arc], distance[node] + self._cost[arc]
                if head not in distance or reached < distance[head]:
                    distance[head] = reached
                    arrived_by[head] = arc
                    if head not in queued:
                        queue.append(head)
                        queued.add(head)
        if sink not in distance:
            return None
        path: list[int] = []
        node = sink
        while node != source:
            arc = arrived_by[node]
            path.append(arc)
            node = self._head[arc ^ 1]
        return path


def _freedom_network(
    grid: _Grid, hidden: Collection[Position], without: Position, unbounded: int
) -> _Network:
    """Ways to change the hidden values: each hidden position but `without` may grow
    without bound (`unbounded` stands for infinity) or shrink to its lower bound."""
    network = _Network(grid.node_count)
    for position in hidden:
        if position != without:
            tail, head = grid.ends(position)
            network.add_arc(tail, head, unbounded)
            network.add_arc(head, tail, grid.values[position] - grid.lower[position])
    return network


def _range(grid: _Grid, hidden: Collection[Position], position: Position) -> Range:
    # Raising a hidden value by d keeps every equation only if d more flows back from
    # its arc's head to its tail through the other hidden arcs, and lowering it by d
    # needs d from tail to head; integer maximum flows give the exact integer bounds
    # (the constraint matrix of a network is totally unimodular).
    value = grid.values[position]
    tail, head = grid.ends(position)
    # A finite maximum flow is at most the sum of the shrinking capacities, so a flow
    # past that sum has found a path of growing arcs only: no upper bound.
    unbounded = sum(grid.values[other] for other in hidden) + 1
    rise = _freedom_network(grid, hidden, position, unbounded).send(head, tail, unbounded)
    fall = _freedom_network(grid, hidden, position, unbounded).send(tail, head, value - grid.lower[position])
    return value - fall, None if rise >= unbounded else value + rise


def _is_exposed(bounds: Range, guard: Guard) -> bool:
    low, high = bounds
    if low == high:
        return True
    if high is None or high >= guard.high:
        return False
    return guard.low is None or low > guard.low


def feasible_ranges(table: Sequence[Sequence[int]], hidden: Collection[Position]) -> dict[Position, Range]:
    """For each hidden position, the lowest and highest value (None: no upper bound)
    that a table of non-negative integers agreeing with everything published can have.
    """
    grid = _Grid(table)
    grid.check(hidden)
    return {position: _range(grid, hidden, position) for position in hidden}


def exposed_cells(
    table: Sequence[Sequence[int]], hidden: Collection[Position], *, threshold: int = DEFAULT_THRESHOLD
) -> set[Position]:
    """The hidden positions that the published figures give away.

    A hidden position is exposed when its feasible range (see `feasible_ranges`) is a
    single value, or lies within 1 … threshold-1, which proves a small non-zero count.
    """
    return {
        position
        for position, bounds in feasible_ranges(table, hidden).items()
        if _is_exposed(bounds, Guard(0, threshold))
    }


def _apply_line_rule(grid: _Grid, hidden: set[Position]) -> None:
    """Hide more until no line of the table has exactly one hidden position.

    The line's cheapest kind of position is hidden (a non-zero cell before a zero
    cell before a total), and within a kind one that also completes another line
    with a single hidden position, then one that starts no new such line, then the
    smallest count.
    """
    while True:
        counts = [sum(position in hidden for position in line) for line in grid.lines]
        lonely = next((index for index, count in enumerate(counts) if count == 1), None)
        if lonely is None:
            return
        choices: list[tuple[int, int, int, int, Position]] = []
        for position in grid.lines[lonely]:
            if position not in hidden:
                (crossing,) = (line for line in grid.lines_of[position] if line != lonely)
                # Best is a position that also completes the line crossing here, worst
                # one that leaves that line with a single hidden position to complete.
                knock_on = {1: 0, 0: 2}.get(counts[crossing], 1)
                choices.append(
                    (grid.tier(position), knock_on, grid.values[position], grid.order[position], position)
                )
        # The order numbers are unique, so the comparison never reaches the position.
        hidden.add(min(choices)[-1])


def _protection(grid: _Grid, hidden: set[Position], position: Position, guard: Guard) -> set[Position]:
    """The cheapest positions found to hide so that `position` is no longer exposed.

    `position` is safe once its value can rise to its guard's high, or (when it is
    above its guard's low) fall to that low; one at its low needs only to be able to
    rise by one. Each way is a minimum-cost flow of that many units around its
    arc, through hidden positions for free and through published ones at their
    hiding cost; the published positions the flow uses are the ones to hide, and the
    cheaper way wins. Rising is always possible (through the totals), so a choice
    exists.
    """
    value = grid.values[position]
    tail, head = grid.ends(position)
    if guard.low is not None and value <= guard.low:
        ways = [(head, tail, 1)]
    else:
        ways = [(head, tail, guard.high - value)]
        if guard.low is not None and guard.low >= grid.lower[position]:
            ways.append((tail, head, value - guard.low))
    choices: list[tuple[int, list[int], set[Position]]] = []
    for start, end, needed in ways:
        network = _Network(grid.node_count)
        arcs: dict[Position, tuple[int, int]] = {}
        for other in grid.values:
            if other != position:
                cost = 0 if other in hidden else grid.cost[other]
                other_tail, other_head = grid.ends(other)
                arcs[other] = (
                    network.add_arc(other_tail, other_head, needed, cost),
                    network.add_arc(other_head, other_tail, grid.values[other] - grid.lower[other], cost),
                )
        if network.send(start, end, needed) < needed:
            continue
        # A position whose rise and fall cancel out need not change, so not be hidden.
        chosen = {
            other
            for other, (rise, fall) in arcs.items()
            if other not in hidden and network.flow(rise) != network.flow(fall)
        }
        choices.append(
            (sum(grid.cost[other] for other in chosen), sorted(grid.order[other] for other in chosen), chosen)
        )
    return min(choices, key=lambda choice: choice[:2])[2]


def _protect(grid: _Grid, guards: Mapping[Position, Guard], *, line_rule: bool) -> set[Position]:
    """Steps 2–5 of `suppress` for the primary positions (the keys of `guards`); without
    the line rule step 3 does all the work."""
    primary = set(guards)
    hidden = set(primary)
    if line_rule:
        _apply_line_rule(grid, hidden)
    for position in sorted(primary, key=grid.order.__getitem__):
        if _is_exposed(_range(grid, hidden, position), guards[position]):
            hidden |= _protection(grid, hidden, position, guards[position])
    for position in sorted(hidden - primary, key=lambda other: (-grid.cost[other], grid.order[other])):
        trial = hidden - {position}
        if not any(_is_exposed(_range(grid, trial, guarded), guards[guarded]) for guarded in primary):
            hidden = trial
    ranges = {position: _range(grid, hidden, position) for position in hidden - primary}
    return hidden - {position for position, (low, high) in ranges.items() if low == high}


def suppress(
    table: Sequence[Sequence[int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    suppress_zeros: bool = False,
    guards: Mapping[Position, Guard] | None = None,
    lower: Mapping[Position, int] | None = None,
) -> SuppressedTable:
    """Hide the small counts of a table, and enough else that they stay hidden.

    1. Primary: every position (cells and totals alike) with a count of 1 …
       threshold-1 is hidden, and with `suppress_zeros` every zero too, each guarded by
       Guard(0, threshold); so is every position of `guards`, with its own guard. A
       total below the threshold is thereby hidden with all its non-zero cells.
    2. Lines: while a row or column (totals included) has exactly one hidden position,
       which its total would give away, its cheapest other position is hidden.
    3. Verification: each primary position's exact range is computed, and where it is
       exposed the cheapest positions that make it safe are hidden. Hiding more only
       widens ranges, so a position made safe stays safe.
    4. Pruning: the line rule is greedy and often hides more than needed, so each
       complementary position, the most informative first, is published again when
       every primary position stays safe without it.
    5. A complementary position whose value the published figures still determine
       protects nothing, and is published again: that changes no range.

    Steps 2–5 are also run without step 2, leaving the choice of complementary
    positions to the cost-driven step 3, and the cheaper of the two results is kept.
    """
    if threshold < 1:
        raise ValueError("the threshold must be at least 1")
    grid = _Grid(table, lower)
    grid.check(guards or {})
    primary = {
        position: Guard(0, threshold)
        for position, value in grid.values.items()
        if 0 < value < threshold or (suppress_zeros and value == 0)
    } | dict(guards or {})
    # Both ways are heuristics and neither wins always: keep the cheaper result.
    hidden = min(
        (
            _protect(grid, primary, line_rule=True),
            _protect(grid, primary, line_rule=False),
        ),
        key=lambda candidate: sum(grid.cost[position] for position in candidate - primary.keys()),
    )

    def shown(position: Position) -> int | None:
        return None if position in hidden else grid.values[position]

    return SuppressedTable(
        cells=tuple(tuple(shown((i, j)) for j in range(grid.column_count)) for i in range(grid.row_count)),
        row_totals=tuple(shown((i, None)) for i in range(grid.row_count)),
        column_totals=tuple(shown((None, j)) for j in range(grid.column_count)),
        grand_total=shown(GRAND_TOTAL),
        threshold=threshold,
        primary=frozenset(primary),
        complementary=frozenset(hidden - primary.keys()),
    )
