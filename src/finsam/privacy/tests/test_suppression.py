import random
from collections.abc import Sequence

import pytest
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st

from finsam.privacy.suppression import (
    GRAND_TOTAL,
    Position,
    SuppressedTable,
    exposed_cells,
    feasible_ranges,
    suppress,
)

Table = list[list[int]]

# Participants per intervention (Enter, FIA, IT-spåret, NOVA, Koll på förmåga) by
# gender (men, women), January–June 2023, from the association's interim report.
PARTICIPATING = [[31, 18], [11, 21], [2, 0], [16, 27], [17, 23]]
EXITED = [[6, 5], [3, 5], [0, 0], [2, 2], [16, 19]]


def positions(table: Sequence[Sequence[int]]) -> list[Position]:
    rows, columns = range(len(table)), range(len(table[0]))
    return [
        *((i, j) for i in rows for j in columns),
        *((i, None) for i in rows),
        *((None, j) for j in columns),
        GRAND_TOTAL,
    ]


def value(table: Sequence[Sequence[int]], position: Position) -> int:
    i, j = position
    if i is not None and j is not None:
        return table[i][j]
    if i is not None:
        return sum(table[i])
    if j is not None:
        return sum(row[j] for row in table)
    return sum(map(sum, table))


def shown(result: SuppressedTable, position: Position) -> int | None:
    i, j = position
    if i is not None and j is not None:
        return result.cells[i][j]
    if i is not None:
        return result.row_totals[i]
    if j is not None:
        return result.column_totals[j]
    return result.grand_total


def lines(table: Sequence[Sequence[int]]) -> list[list[Position]]:
    row_keys: list[int | None] = [*range(len(table)), None]
    column_keys: list[int | None] = [*range(len(table[0])), None]
    return [[(i, j) for j in column_keys] for i in row_keys] + [
        [(i, j) for i in row_keys] for j in column_keys
    ]


def check_guarantees(table: Table, result: SuppressedTable, threshold: int, suppress_zeros: bool) -> None:
    """Everything `suppress` promises, checked from the outside."""
    hidden = {position for position in positions(table) if shown(result, position) is None}
    assert hidden == result.hidden
    assert not result.primary & result.complementary
    assert result.threshold == threshold
    for position in positions(table):
        count = value(table, position)
        sensitive = 0 < count < threshold or (suppress_zeros and count == 0)
        # (a) small counts are hidden, and they are exactly the primary positions.
        assert (position in result.primary) == sensitive
        # (c) what is published is the input, so (d) published totals add up.
        assert shown(result, position) in (None, count)
    # (b) no hidden position can be pinned down or proven small.
    assert exposed_cells(table, result.hidden, threshold=threshold) == set()
    # A line with a single hidden position would give it away by subtraction.
    for line in lines(table):
        assert sum(position in result.hidden for position in line) != 1


def brute_force_values(table: Table, hidden: set[Position]) -> dict[Position, set[int]]:
    """Every value each hidden position takes over all tables of non-negative integers
    that agree with the published figures; the grand total must be published."""
    assert GRAND_TOTAL not in hidden
    rows, columns = len(table), len(table[0])
    grand = value(table, GRAND_TOTAL)
    unknown = [(i, j) for i in range(rows) for j in range(columns) if (i, j) in hidden]
    seen: dict[Position, set[int]] = {position: set() for position in hidden}
    candidate = [list(row) for row in table]

    def visit(index: int, used: int) -> None:
        if index == len(unknown):
            if used != grand:
                return
            for position in positions(table):
                if position not in hidden and value(candidate, position) != value(table, position):
                    return
            for position in hidden:
                seen[position].add(value(candidate, position))
            return
        i, j = unknown[index]
        for count in range(grand - used + 1):
            candidate[i][j] = count
            visit(index + 1, used + count)
        candidate[i][j] = table[i][j]

    visit(0, sum(table[i][j] for i in range(rows) for j in range(columns) if (i, j) not in hidden))
    return seen


def test_participants_per_intervention() -> None:
    result = suppress(PARTICIPATING)
    check_guarantees(PARTICIPATING, result, 5, False)
    # IT-spåret had 2 men and 0 women. Its total (2) is below the threshold too, so
    # the total of another intervention must go with it (else the grand total gives
    # it away): FIA's is the smallest, and one of FIA's cells then keeps its row
    # from adding up.
    assert result.cells == ((31, 18), (None, 21), (None, 0), (16, 27), (17, 23))
    assert result.row_totals == (49, None, None, 43, 40)
    assert result.column_totals == (77, 89)
    assert result.grand_total == 166
    assert result.primary == {(2, 0), (2, None)}
    assert result.complementary == {(1, 0), (1, None)}
    # A reader can tell only that IT-spåret had 0 … 13 men.
    assert feasible_ranges(PARTICIPATING, result.hidden)[2, 0] == (0, 13)


def test_exited_per_intervention() -> None:
    result = suppress(EXITED)
    check_guarantees(EXITED, result, 5, False)
    # The zeros of IT-spåret are published as they are.
    assert result.cells[2] == (0, 0)
    assert result.row_totals[2] == 0


def test_same_table_same_result() -> None:
    assert suppress(EXITED) == suppress([list(row) for row in EXITED])


def test_single_small_cell_is_recovered_by_subtraction() -> None:
    table = [[2, 10, 10], [8, 9, 7]]
    assert feasible_ranges(table, {(0, 0)}) == {(0, 0): (2, 2)}
    assert exposed_cells(table, {(0, 0)}) == {(0, 0)}
    result = suppress(table)
    check_guarantees(table, result, 5, False)
    # The cheapest rectangle around it: in the second row 7 is smaller than 9.
    assert result.cells == ((None, 10, None), (None, 9, None))
    assert feasible_ranges(table, result.hidden)[0, 0] == (0, 10)


def test_rectangle_is_safe() -> None:
    table = [[2, 10], [8, 9]]
    rectangle = {(0, 0), (0, 1), (1, 0), (1, 1)}
    # Moving d from one diagonal to the other keeps every total: d is -2 … 8.
    assert feasible_ranges(table, rectangle) == {
        (0, 0): (0, 10),
        (0, 1): (2, 12),
        (1, 0): (0, 10),
        (1, 1): (7, 17),
    }
    assert exposed_cells(table, rectangle) == set()


def test_rectangle_of_small_cells_can_still_be_exposed() -> None:
    # Every row and column has two hidden cells, yet the 3 can only be 2 … 4: the
    # 1s opposite it cannot fall below zero.
    table = [[3, 1, 10], [1, 1, 10], [10, 10, 10]]
    block = {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert feasible_ranges(table, block)[0, 0] == (2, 4)
    assert exposed_cells(table, block) == {(0, 0)}
    result = suppress(table)
    check_guarantees(table, result, 5, False)
    assert result.complementary
    assert feasible_ranges(table, result.hidden)[0, 0][0] == 0


def test_bridge_between_rectangles_is_pinned() -> None:
    # Two hidden rectangles joined by one hidden cell: every line has two or more
    # hidden positions, but rows 0–1 minus columns 0–1 give the bridge exactly.
    table = [[10, 10, 3, 10], [10, 10, 10, 10], [10, 10, 10, 10], [10, 10, 10, 10]]
    hidden = {(0, 0), (0, 1), (1, 0), (1, 1), (2, 2), (2, 3), (3, 2), (3, 3), (0, 2)}
    assert feasible_ranges(table, hidden)[0, 2] == (3, 3)
    assert exposed_cells(table, hidden) == {(0, 2)}
    check_guarantees(table, suppress(table), 5, False)


def test_exactly_determined_large_cell_is_exposed() -> None:
    table = [[20, 30], [40, 50]]
    assert exposed_cells(table, {(0, 0), (0, None)}) == {(0, 0), (0, None)}


def test_small_row_total_hides_its_row() -> None:
    table = [[3, 0], [10, 12]]
    result = suppress(table)
    check_guarantees(table, result, 5, False)
    assert result.primary == {(0, 0), (0, None)}
    assert result.cells[0] == (None, 0)
    assert result.row_totals[0] is None


def test_small_grand_total_hides_everything_but_zeros() -> None:
    table = [[1, 2], [0, 1]]
    result = suppress(table)
    check_guarantees(table, result, 5, False)
    assert result.cells == ((None, None), (0, None))
    assert result.row_totals == (None, None)
    assert result.column_totals == (None, None)
    assert result.grand_total is None
    # Nothing bounds the hidden figures from above any more.
    assert set(feasible_ranges(table, result.hidden).values()) == {(0, None)}


def test_zeros_can_be_suppressed() -> None:
    table = [[0, 12], [9, 14]]
    assert suppress(table).hidden == set()
    result = suppress(table, suppress_zeros=True)
    check_guarantees(table, result, 5, True)
    assert result.primary == {(0, 0)}
    assert feasible_ranges(table, result.hidden)[0, 0] == (0, 9)


def test_threshold_is_configurable() -> None:
    table = [[3, 12], [9, 14]]
    assert suppress(table, threshold=3).hidden == set()
    result = suppress(table, threshold=10)
    check_guarantees(table, result, 10, False)
    assert result.primary == {(0, 0), (1, 0)}
    assert suppress(table, threshold=1).hidden == set()


def test_large_table_is_handled() -> None:
    generator = random.Random(2023)
    table = [[generator.choice([0, 1, 2, 3, 4, 7, 12, 25, 40]) for _ in range(10)] for _ in range(30)]
    check_guarantees(table, suppress(table), 5, False)


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([], "at least one row"),
        ([[]], "at least one row"),
        ([[1, 2], [3]], "same number of cells"),
        ([[1, -2]], "negative"),
    ],
)
def test_bad_tables_are_refused(table: Table, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        suppress(table)


def test_bad_threshold_and_positions_are_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        suppress([[1]], threshold=0)
    with pytest.raises(ValueError, match="no such position"):
        feasible_ranges([[1, 2]], {(0, 2)})
    with pytest.raises(ValueError, match="no such position"):
        exposed_cells([[1, 2]], {(1, None)})


counts = st.one_of(st.integers(0, 6), st.integers(0, 60))


@st.composite
def tables(draw: st.DrawFn, max_rows: int = 6, max_columns: int = 5) -> Table:
    rows = draw(st.integers(1, max_rows))
    columns = draw(st.integers(1, max_columns))
    return [[draw(counts) for _ in range(columns)] for _ in range(rows)]


@st.composite
def tiny_tables(draw: st.DrawFn) -> Table:
    """At most 3 × 3 with a small grand total, so that all tables agreeing with the
    published figures can be listed."""
    rows = draw(st.integers(1, 3))
    columns = draw(st.integers(1, 3))
    budget = 12 if rows * columns <= 6 else 8
    table: Table = []
    for _ in range(rows):
        row = []
        for _ in range(columns):
            count = draw(st.integers(0, min(4, budget)))
            budget -= count
            row.append(count)
        table.append(row)
    return table


@st.composite
def one_small_cell(draw: st.DrawFn) -> tuple[Table, int]:
    """Large counts and a single small one, which its row total alone would reveal."""
    threshold = draw(st.integers(2, 6))
    rows = draw(st.integers(1, 5))
    columns = draw(st.integers(2, 5))
    table = [[draw(st.integers(threshold, 40)) for _ in range(columns)] for _ in range(rows)]
    table[draw(st.integers(0, rows - 1))][draw(st.integers(0, columns - 1))] = draw(
        st.integers(1, threshold - 1)
    )
    return table, threshold


@st.composite
def small_rectangle(draw: st.DrawFn) -> tuple[Table, int]:
    """Large counts and a rectangle of small ones: hiding it satisfies every row and
    column, but small cells opposite each other may still bound each other."""
    threshold = draw(st.integers(2, 6))
    rows = draw(st.integers(2, 5))
    columns = draw(st.integers(2, 5))
    table = [[draw(st.integers(threshold, 40)) for _ in range(columns)] for _ in range(rows)]
    first_row, second_row = sorted(
        draw(st.lists(st.integers(0, rows - 1), min_size=2, max_size=2, unique=True))
    )
    first_column, second_column = sorted(
        draw(st.lists(st.integers(0, columns - 1), min_size=2, max_size=2, unique=True))
    )
    for i in (first_row, second_row):
        for j in (first_column, second_column):
            table[i][j] = draw(st.integers(1, threshold - 1))
    return table, threshold


@settings(max_examples=300, deadline=None)
@given(table=tables(), threshold=st.integers(1, 7), suppress_zeros=st.booleans())
def test_suppression_guarantees(table: Table, threshold: int, suppress_zeros: bool) -> None:
    result = suppress(table, threshold=threshold, suppress_zeros=suppress_zeros)
    check_guarantees(table, result, threshold, suppress_zeros)


@settings(max_examples=150, deadline=None)
@given(case=one_small_cell())
def test_single_hidden_cell_is_never_left_alone(case: tuple[Table, int]) -> None:
    table, threshold = case
    result = suppress(table, threshold=threshold)
    (small,) = [
        position for position in result.primary if position[0] is not None and position[1] is not None
    ]
    assert exposed_cells(table, result.primary, threshold=threshold) >= {small}
    check_guarantees(table, result, threshold, False)


@settings(max_examples=150, deadline=None)
@given(case=small_rectangle())
def test_rectangles_of_small_cells_are_protected(case: tuple[Table, int]) -> None:
    table, threshold = case
    block = {(i, j) for i, row in enumerate(table) for j, count in enumerate(row) if count < threshold}
    event(
        "the rectangle alone is exposed" if exposed_cells(table, block, threshold=threshold) else "it is safe"
    )
    check_guarantees(table, suppress(table, threshold=threshold), threshold, False)


@settings(max_examples=150, deadline=None)
@given(table=tiny_tables(), data=st.data())
def test_ranges_match_listing_every_table(table: Table, data: st.DataObject) -> None:
    candidates = [position for position in positions(table) if position != GRAND_TOTAL]
    hidden = set(data.draw(st.lists(st.sampled_from(candidates), unique=True)))
    listed = brute_force_values(table, hidden)
    for position, (low, high) in feasible_ranges(table, hidden).items():
        assert high is not None
        assert listed[position] == set(range(low, high + 1))


@settings(max_examples=150, deadline=None)
@given(table=tiny_tables(), threshold=st.integers(2, 5), suppress_zeros=st.booleans())
def test_suppressed_tables_hold_up_against_listing_every_table(
    table: Table, threshold: int, suppress_zeros: bool
) -> None:
    result = suppress(table, threshold=threshold, suppress_zeros=suppress_zeros)
    assume(result.grand_total is not None)
    for position, possible in brute_force_values(table, set(result.hidden)).items():
        assert len(possible) >= 2
        if position in result.primary and value(table, position):
            assert 0 in possible or max(possible) >= threshold
