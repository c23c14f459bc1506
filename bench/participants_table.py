"""Benchmark: the participants table over a national-scale dataset, next to a hand-written SQL query.

Run on demand (not a test):

    .venv/bin/python bench/participants_table.py [--episodes 600000] [--runs 11] [--dir DIR]

It builds, in a fresh data dir (a temporary one unless ``--dir`` names one that holds it already), 80
associations with four to seven individual interventions each and about 600 000 episodes enrolled over ten
years (2015–2024), the largest association about 48 000, and runs ANALYZE. It times (medians of ``--runs``):

* ``finsam.participants.tables.counts`` for the year 2024, for the largest association and for all 80: the
  counts of the participants report (docs/participants.md: participating and exited per intervention and
  gender, exit reasons, years on support), live episodes plus erased tallies;
* the same counts (participating and exited per intervention × gender, voided episodes excluded) by one
  hand-written SQL query on the same database, as the reference figures of bench/README.md count;
* the whole report for the largest association (every table of the web page), for information.

With ``DATABASE_URL=postgres://…`` it uses that database instead (it must be empty: the script migrates it).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, cast

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

import national_data  # noqa: E402

REFERENCE = (
    "Reference (bench/README.md, 600 000 episodes, another machine like this one, hand-written SQL):\n"
    "  the largest association (48 k)   SQLite 46 ms (4.5 ms with a covering index)   PostgreSQL 4.8 ms\n"
    "  all 80 associations              SQLite 593 ms (a full scan would be 26 ms)    PostgreSQL 40 ms"
)
YEARS = range(2015, 2025)

HAND_SQL = """
SELECT intervention_id, gender,
       COUNT(*) AS participating,
       SUM(CASE WHEN exited_on IS NOT NULL AND exited_on <= %(end)s THEN 1 ELSE 0 END) AS exited
FROM participants_episode
WHERE association_id = %(association)s
  AND enrolled_on <= %(end)s
  AND (exited_on IS NULL OR exited_on >= %(start)s)
  AND exit_reason <> 'felregistrering'
GROUP BY intervention_id, gender
"""
HAND_SQL_ALL = """
SELECT association_id, intervention_id, gender,
       COUNT(*) AS participating,
       SUM(CASE WHEN exited_on IS NOT NULL AND exited_on <= %(end)s THEN 1 ELSE 0 END) AS exited
FROM participants_episode
WHERE enrolled_on <= %(end)s
  AND (exited_on IS NULL OR exited_on >= %(start)s)
  AND exit_reason <> 'felregistrering'
GROUP BY association_id, intervention_id, gender
"""


def build(total: int) -> None:
    from finsam.participants.models import Episode

    if Episode.objects.exists():
        print(f"Using the {Episode.objects.count():,} episodes already in the database.".replace(",", " "))
        return
    national_data.build_episodes(total, YEARS)


def medians_ms(functions: list[Callable[[], object]], runs: int) -> list[tuple[float, object]]:
    """Each function's median time over ``runs`` calls, and its result. They run in turns, so that a change in
    the machine's load falls on them all; each once first, to warm the caches as a running server has them."""
    results = [function() for function in functions]
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(runs):
        for index, function in enumerate(functions):
            started = time.perf_counter()
            results[index] = function()
            times[index].append((time.perf_counter() - started) * 1000)
    return [(statistics.median(kept), result) for kept, result in zip(times, results, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--episodes", type=int, default=600_000)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="finsam-bench-"))
    os.environ["FINSAM_DATA_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from finsam.organisation.models import Association
    from finsam.participants import tables
    from finsam.participants.models import Episode

    call_command("migrate", interactive=False, verbosity=0)
    build(args.episodes)
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    largest = Association.objects.get(slug="forbund-00")
    size = Episode.objects.filter(association=largest).count()
    params: dict[str, int | dt.date] = {"association": largest.pk, "start": start, "end": end}

    def hand(sql: str) -> Callable[[], list[tuple[Any, ...]]]:
        def run() -> list[tuple[Any, ...]]:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return list(cursor.fetchall())

        return run

    (one_ms, one), (one_sql_ms, one_sql), (all_ms, every), (all_sql_ms, all_sql), (report_ms, _) = medians_ms(
        [
            lambda: tables.counts(start, end, largest),
            hand(HAND_SQL),
            lambda: tables.counts(start, end),
            hand(HAND_SQL_ALL),
            lambda: tables.gather(largest, start, end),
        ],
        args.runs,
    )

    # The two ways must agree before their times mean anything.
    def as_rows(result: Any) -> set[tuple[int, int, str, int, int]]:
        keys = {"women": "kvinna", "men": "man", "other": "annat"}
        return {
            (association_id, intervention_id, keys[g], counts.participating[g], counts.exited[g])
            for association_id, by in result.items()
            for intervention_id, counts in by.items()
            for g in keys
            if counts.participating[g]
        }

    assert as_rows(one) == {(largest.pk, i, g, p, e) for i, g, p, e in one_sql}  # type: ignore[attr-defined]
    assert as_rows(every) == set(cast(list[tuple[int, int, str, int, int]], all_sql))

    engine = connection.vendor
    print(f"Participants table for 2024, {Episode.objects.count():,} episodes, {engine}:".replace(",", " "))
    print(f"  largest association ({size:,} episodes)".replace(",", " "))
    print(f"    finsam tables.counts     {one_ms:8.1f} ms   ({one_ms / one_sql_ms:.2f}× the SQL)")
    print(f"    hand-written SQL         {one_sql_ms:8.1f} ms")
    print(f"    whole report (all tables){report_ms:8.1f} ms")
    print("  all 80 associations")
    print(f"    finsam tables.counts     {all_ms:8.1f} ms   ({all_ms / all_sql_ms:.2f}× the SQL)")
    print(f"    hand-written SQL         {all_sql_ms:8.1f} ms")
    print(REFERENCE)
    print(f"Data dir: {folder}")
    print(f"RESULT participants_vs_sql_largest {one_ms / one_sql_ms:.2f}")
    print(f"RESULT participants_vs_sql_all {all_ms / all_sql_ms:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
