"""Published participant tables never subtract to a small count: the attack of issue 13, hole 5, replayed.

The public tables of January–July and January–August 2023 subtracted to "one man left Samverkansteamet in
August". Suppressed tables are now given only for the allowed periods (`privacy.periods`), and no two of them
differ by 1 … threshold-1 in a count both show.
"""

from __future__ import annotations

import datetime as dt
from itertools import combinations
from typing import Any

import pytest
from django.test import Client
from pytest_django.fixtures import Settings

from finsam import testing
from finsam.accounts.roles import Role
from finsam.core.documents import Kind, Period, ReportUnavailable, gather
from finsam.organisation.models import Association
from finsam.participants import figures
from finsam.participants.tests.factories import episode
from finsam.privacy.periods import allowed_periods
from finsam.privacy.suppression import exposed_cells


def _counts(value: object, path: tuple[object, ...] = ()) -> dict[tuple[object, ...], int | None]:
    """Every count of a public JSON by its path (intervention by code, municipality by name)."""
    if isinstance(value, dict):
        found: dict[tuple[object, ...], int | None] = {}
        for key, item in value.items():
            if key not in ("suppression", "from", "to", "association", "code", "name", "municipality"):
                found |= _counts(item, (*path, key))
        return found
    if isinstance(value, list):
        found = {}
        for item in value:
            name = item.get("code") or item.get("municipality")
            found |= _counts(item, (*path, name))
        return found
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return {path: value}
    return {}


def _document_counts(gathered: Any) -> dict[tuple[object, ...], int | None]:
    found: dict[tuple[object, ...], int | None] = {}
    for table in gathered.document.tables:
        for row in table.rows:
            label = row.get("label", row.get("municipality"))
            for column in table.columns:
                if column.kind == Kind.INTEGER:
                    found[(table.title, label, column.key)] = row.get(column.key)
    return found


def _published(association: Association, year: int) -> list[dict[tuple[object, ...], int | None]]:
    result = []
    for start, end in allowed_periods(year):
        gathered = gather("participants-public", association, Period(start, end))
        result.append(_counts(gathered.data) | _document_counts(gathered))
    return result


@pytest.mark.usefixtures("demo")
def test_no_two_allowed_periods_of_the_demo_subtract_to_a_small_count(
    demo: dict[str, Association], settings: Settings
) -> None:
    threshold = settings.SUPPRESSION_THRESHOLD
    compared = 0
    for association in demo.values():
        for year in (2021, 2022, 2023):
            periods = _published(association, year)
            # Every pair of allowed periods of a year shares its start: the shorter lies in the longer.
            for shorter, longer in combinations(periods, 2):
                for path in shorter.keys() | longer.keys():
                    # A row a table does not have (an intervention not yet started) counts 0 there.
                    before, after = shorter.get(path, 0), longer.get(path, 0)
                    if before is not None and after is not None:
                        compared += 1
                        assert after - before == 0 or abs(after - before) >= threshold, (
                            association.slug,
                            year,
                            path,
                            before,
                            after,
                        )
            for published in periods:
                assert all(n is None or n == 0 or n >= threshold for n in published.values())
            # Within each table no hidden count can be recovered from the totals.
            for start, end in allowed_periods(year):
                tables, grids = figures.public_tables(association, start, end, threshold)
                for name, (_rows, grid, _keys) in figures.published_grids(tables).items():
                    if grid:
                        assert exposed_cells(grid, grids[name][0].hidden, threshold=threshold) == set()
    assert compared > 1000


@pytest.mark.usefixtures("demo")
def test_the_attack_months_give_one_table_and_the_seeds_print_their_totals(
    demo: dict[str, Association],
) -> None:
    finnveden = demo["finnveden"]
    july, august = (
        gather("participants-public", finnveden, Period(dt.date(2023, 1, 1), dt.date(2023, month, 28))).data
        for month in (7, 8)
    )
    assert july == august
    assert (july["from"], july["to"]) == ("2023-01-01", "2023-12-31")
    # Seed 001's annual report: 77 participants, 51 women and 26 men; 31 exited.
    total = july["total"]
    assert (total["participating_total"], total["participating"]["women"], total["participating"]["men"]) == (
        77,
        51,
        26,
    )
    assert total["exited_total"] == 31


@pytest.mark.django_db
def test_a_period_across_a_year_end_is_refused_with_a_swedish_message() -> None:
    assoc = testing.association("hemma")
    steg = testing.intervention(assoc, "STEG")
    for n in range(6):
        episode(steg, f"S-{n}")
    with pytest.raises(ReportUnavailable, match="går över ett årsskifte"):
        gather("participants-public", assoc, Period(dt.date(2022, 7, 1), dt.date(2023, 6, 30)))
    office = Client()
    office.force_login(testing.user("karin", (assoc, Role.OFFICE_ADMIN)))
    download = office.get("/f/hemma/deltagare/tabeller.json?fran=2022-07-01&till=2023-06-30")
    assert download.status_code == 400
    assert "går över ett årsskifte" in download.content.decode()
    page = office.get("/f/hemma/deltagare/tabeller/?fran=2022-07-01&till=2023-06-30", follow=True)
    assert page.redirect_chain[-1][0] == "/f/hemma/deltagare/tabeller/?fran=2023-01-01&till=2023-06-30"
    assert "går över ett årsskifte" in page.content.decode()
    # Exact tables, for the association itself, are given for any period.
    assert gather("participants", assoc, Period(dt.date(2022, 7, 1), dt.date(2023, 6, 30))).data
