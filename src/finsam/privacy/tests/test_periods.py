"""Tables of several periods of a year never subtract to a small count (privacy.periods)."""

import datetime as dt
from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.privacy.periods import PeriodNotAllowed, allowed_periods, fixed_period, suppress_chain
from finsam.privacy.suppression import GRAND_TOTAL, Position, SuppressedTable, exposed_cells

Table = list[list[int]]


def shown(table: SuppressedTable, position: Position) -> int | None:
    i, j = position
    if i is not None and j is not None:
        return table.cells[i][j]
    if i is not None:
        return table.row_totals[i]
    if j is not None:
        return table.column_totals[j]
    return table.grand_total


def positions(rows: int, columns: int) -> list[Position]:
    return [
        *((i, j) for i in range(rows) for j in range(columns)),
        *((i, None) for i in range(rows)),
        *((None, j) for j in range(columns)),
        GRAND_TOTAL,
    ]


def assert_safe(chain: Sequence[Table], results: Sequence[SuppressedTable], threshold: int) -> None:
    rows, columns = len(chain[0]), len(chain[0][0])
    for table, result in zip(chain, results, strict=True):
        assert exposed_cells(table, result.hidden, threshold=threshold) == set()
    for position in positions(rows, columns):
        published = [shown(result, position) for result in results]
        assert all(n is None or n == 0 or n >= threshold for n in published), (position, published)
        counts = [n for n in published if n is not None]
        for index, later in enumerate(counts):
            for earlier in counts[:index]:
                assert later - earlier == 0 or later - earlier >= threshold, (position, published)


def test_the_allowed_periods_are_the_year_to_date_at_march_june_and_december() -> None:
    assert allowed_periods(2023) == [
        (dt.date(2023, 1, 1), dt.date(2023, 3, 31)),
        (dt.date(2023, 1, 1), dt.date(2023, 6, 30)),
        (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
    ]


def test_any_other_period_is_widened_to_the_shortest_allowed_one_that_holds_it() -> None:
    # The attack: January–July and January–August subtracted to one man who left in August. Both are now the
    # whole year, the same table.
    assert fixed_period(dt.date(2023, 1, 1), dt.date(2023, 7, 31)) == allowed_periods(2023)[2]
    assert fixed_period(dt.date(2023, 1, 1), dt.date(2023, 8, 31)) == allowed_periods(2023)[2]
    assert fixed_period(dt.date(2023, 1, 1), dt.date(2023, 3, 5)) == allowed_periods(2023)[0]
    assert fixed_period(dt.date(2023, 4, 1), dt.date(2023, 6, 30)) == allowed_periods(2023)[1]
    assert fixed_period(dt.date(2023, 6, 30), dt.date(2023, 6, 30)) == allowed_periods(2023)[1]


def test_a_period_across_a_year_end_is_refused_in_swedish() -> None:
    with pytest.raises(PeriodNotAllowed, match="går över ett årsskifte"):
        fixed_period(dt.date(2022, 7, 1), dt.date(2023, 6, 30))


def test_one_man_who_left_between_two_periods_cannot_be_subtracted() -> None:
    # Exited men and women of two interventions, January–June and the whole year: one more man left the first
    # intervention in the second half-year.
    half = [[20, 12], [8, 9]]
    year = [[21, 12], [8, 9]]
    first, second = suppress_chain([(["A", "B"], half), (["A", "B"], year)], columns=2, threshold=5)
    assert first.hidden == frozenset()
    assert second.cells[0][0] is None and second.row_totals[0] is None
    assert second.column_totals[0] is None and second.grand_total is None
    assert_safe([half, year], [first, second], 5)


def test_a_group_hidden_once_stays_hidden_until_it_has_grown_by_the_threshold() -> None:
    # Two men in March; six in June (4 more: hidden); eleven at the year's end. The other groups grow by 5.
    chain = [[[2, 30], [10, 40]], [[6, 35], [15, 45]], [[11, 40], [20, 50]]]
    results = suppress_chain([(["A", "B"], t) for t in chain], columns=2, threshold=5)
    assert [r.cells[0][0] for r in results] == [None, None, 11]
    assert results[2].hidden == frozenset()
    # A group that did not grow by the threshold since it was hidden stays hidden.
    still = [chain[0], chain[1], [[10, 40], [20, 50]]]
    results = suppress_chain([(["A", "B"], t) for t in still], columns=2, threshold=5)
    assert [r.cells[0][0] for r in results] == [None, None, None]
    assert_safe(still, results, 5)
    assert_safe(chain, results, 5)


def test_rows_that_appear_later_count_as_zero_before() -> None:
    chain = [[[20, 12]], [[21, 14], [3, 0]]]
    results = suppress_chain([(["A"], chain[0]), (["A", "B"], chain[1])], columns=2, threshold=5)
    assert results[1].cells[1][0] is None and results[1].cells[0][0] is None
    assert exposed_cells(chain[1], results[1].hidden) == set()


@st.composite
def chains(draw: st.DrawFn) -> tuple[list[Table], int]:
    """Three growing tables of counts, as the year-to-date periods of one year give them."""
    rows = draw(st.integers(min_value=1, max_value=4))
    columns = draw(st.integers(min_value=1, max_value=3))
    growth = st.integers(min_value=0, max_value=9)
    table = [[draw(st.integers(min_value=0, max_value=20)) for _ in range(columns)] for _ in range(rows)]
    chain = [table]
    for _ in range(2):
        chain.append([[count + draw(growth) for count in row] for row in chain[-1]])
    return chain, draw(st.integers(min_value=2, max_value=6))


@settings(max_examples=80, deadline=None)
@given(chains())
def test_no_two_periods_subtract_to_a_small_count(example: tuple[list[Table], int]) -> None:
    chain, threshold = example
    keys = list(range(len(chain[0])))
    results = suppress_chain(
        [(keys, table) for table in chain], columns=len(chain[0][0]), threshold=threshold
    )
    assert_safe(chain, results, threshold)
    # A table is suppressed knowing only the ones before it: a later period never changes an earlier one.
    assert suppress_chain([(keys, chain[0])], columns=len(chain[0][0]), threshold=threshold) == results[:1]
