"""Period balances (ADR 0029): kept by every import, rebuilt by a command, always the rows in force summed."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam import testing
from finsam.core.imports import ImportRejected
from finsam.core.models import AuditEntry
from finsam.finance import balances, sie_import
from finsam.finance.models import LedgerRow, PeriodBalance
from finsam.organisation.models import Association
from finsam.testdata import SIE_CORPUS

pytestmark = pytest.mark.django_db
Key = tuple[dt.date, dt.date, int, str]  # fiscal year, month, account, objects
serial = itertools.count()


def rows_summed(association: Association) -> dict[Key, tuple[int, int]]:
    """The ledger rows in force summed in Python: (öre, rows) per fiscal year, month, account and objects."""
    found: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    rows = LedgerRow.objects.filter(association=association, source__in_force=True)
    for start, day, account, objects, ore in rows.values_list(
        "source__year_start", "date", "account", "object_key", "ore"
    ):
        total = found[start, day.replace(day=1), account, objects]
        total[0] += ore
        total[1] += 1
    return {key: (ore, count) for key, (ore, count) in found.items()}


def stored(association: Association) -> dict[Key, tuple[int, int]]:
    return {
        (b.year_start, b.month, b.account, b.object_key): (b.ore, b.rows)
        for b in PeriodBalance.objects.filter(association=association)
    }


# One generated SIE file: its year, whether it is a full export (opening balances: it replaces the year) or
# adds its vouchers, whether one voucher falls outside the year (the file is refused), and its vouchers as
# (month, day, account, objects, öre) against the bank.
Voucher = tuple[int, int, int, str, int]
vouchers = st.lists(
    st.tuples(
        st.integers(1, 12),
        st.integers(1, 28),
        st.sampled_from([3611, 4010, 5410, 1510, 2440]),
        st.sampled_from(["", '6 "STEG"', '1 "10" 6 "TEAM"']),
        st.integers(-5_000_000, 5_000_000).filter(bool),
    ),
    min_size=1,
    max_size=8,
)
outside = st.sampled_from([False] * 4 + [True])
files = st.tuples(st.sampled_from([2023, 2024]), st.booleans(), outside, vouchers)


def write(folder: Path, year: int, full: bool, outside: bool, entries: list[Voucher]) -> Path:
    number = next(serial)
    lines = [
        "#FLAGGA 0",
        "#SIETYP 4",
        f"#GEN {dt.date(2025, 1, 1) + dt.timedelta(days=number):%Y%m%d}",  # each later than the one before
        f"#RAR 0 {year}0101 {year}1231",
    ]
    if full:
        lines.append("#IB 0 1930 100000.00")
    for index, (month, day, account, objects, ore) in enumerate(entries):
        date = f"{year - 1 if outside and not index else year}{month:02d}{day:02d}"
        lines += [
            f"#VER B{number} {index + 1} {date}",
            "{",
            f"#TRANS {account} {{{objects}}} {ore / 100:.2f}",
            f"#TRANS 1930 {{}} {-ore / 100:.2f}",
            "}",
        ]
    path = folder / f"fil-{number}.se"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="cp437")
    return path


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.one_of(files, st.just("again")), min_size=1, max_size=6))
def test_after_any_imports_and_replacements_the_balances_are_the_rows_summed(
    tmp_path: Path, steps: list[tuple[int, bool, bool, list[Voucher]] | str]
) -> None:
    association = testing.association(slug=f"egenskap-{next(serial)}")
    imported: list[Path] = []
    for step in steps:
        if isinstance(step, str):
            if not imported:
                continue
            path = imported[-1]  # the same file again changes nothing
        else:
            path = write(tmp_path, *step)
        try:
            sie_import.import_file(path, association, testing.SYSTEM)
            imported.append(path)
        except ImportRejected:
            pass  # a voucher outside the year: nothing stored
        assert stored(association) == rows_summed(association)
    before = stored(association)
    balances.rebuild(testing.SYSTEM, association)
    assert stored(association) == before


def test_a_replacement_takes_away_the_balances_of_the_year_it_replaces(tmp_path: Path) -> None:
    association = testing.association()
    sie_import.import_file(
        write(tmp_path, 2024, True, False, [(3, 5, 5410, "", 12_500)]), association, testing.SYSTEM
    )
    sie_import.import_file(
        write(tmp_path, 2024, False, False, [(3, 9, 5410, "", 500)]), association, testing.SYSTEM
    )
    march = dt.date(2024, 3, 1)
    assert stored(association)[dt.date(2024, 1, 1), march, 5410, ""] == (13_000, 2)
    sie_import.import_file(
        write(tmp_path, 2024, True, False, [(4, 1, 4010, '6 "STEG"', 700)]), association, testing.SYSTEM
    )
    assert stored(association) == {
        (dt.date(2024, 1, 1), dt.date(2024, 4, 1), 4010, "6:STEG"): (700, 1),
        (dt.date(2024, 1, 1), dt.date(2024, 4, 1), 1930, ""): (-700, 1),
    }


def test_the_command_rebuilds_balances_that_went_wrong_and_says_so_in_the_trail() -> None:
    association = testing.association()
    sie_import.import_file(SIE_CORPUS / "avendo-transaktioner-sie4.se", association, testing.SYSTEM)
    right = stored(association)
    assert right == rows_summed(association) and right
    PeriodBalance.objects.filter(association=association).earliest("pk").delete()
    PeriodBalance.objects.filter(association=association).update(ore=1)
    call_command("rebuild_balances", association=association.slug)
    assert stored(association) == right
    entry = AuditEntry.objects.get(action="ledger.rebuild_balances")
    assert entry.actor.endswith("(kommandorad)")
    assert entry.after == {"balances": len(right)}
    with pytest.raises(CommandError, match="inget förbund"):
        call_command("rebuild_balances", association="finns-inte")


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2023-01-01", "2023-12-31"),  # a year: whole months only
        ("2023-01-01", "2023-06-30"),  # an interim report
        ("2023-01-01", "2023-06-15"),  # a month's days after the whole months
        ("2022-12-10", "2023-02-03"),  # days on both sides
        ("2023-06-15", "2023-06-30"),  # days within one month
        ("2022-01-01", "2022-12-31"),  # the year before
    ],
)
def test_the_balances_give_the_sums_of_the_ledger_rows(
    demo: dict[str, Association], start: str, end: str
) -> None:
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    compared = 0
    for association in demo.values():
        for balance_accounts in (True, False):
            rows = LedgerRow.objects.filter(
                balances.accounts(balance_accounts=balance_accounts),
                association=association,
                date__range=(first, last),
                source__in_force=True,
            )
            expected = {
                (t["account"], t["object_key"]): t["total"]
                for t in rows.values("account", "object_key").annotate(total=Sum("ore")).order_by()
            }
            got = balances.ledger_sums(association, first, last, balance_accounts=balance_accounts)
            assert got == expected, (association.slug, start, end, balance_accounts)
            compared += len(expected)
    assert compared > 0
