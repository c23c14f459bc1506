"""Benchmark: the income statement and the balance sheet of one association with a large ledger.

Run on demand (not a test):

    .venv/bin/python bench/statements.py [--rows 4000000] [--runs 7] [--databases sqlite postgresql]
                                            [--dir DIR]

For each database it builds, once (kept in ``--dir`` for SQLite, so that a second run starts at once), the
worked example's association (``finsam setup``) with a generated ledger of ``--rows`` #TRANS rows in one
fiscal year (the file of bench/sie_import.py, imported by ``finsam import sie``: the period balances are what
that import keeps). Then it times, in this process (medians of ``--runs``, the first run not counted):

* ``statements_ms``: the income statement and the balance sheet together at the year's end (whole months:
  read from the period balances), what the start page and every report ask for;
* ``statements_mid_month_ms``: the same on the 15th of June (the days of the half month read from the rows);
* the reference of the same run: the one query the statements made before ADR 0029, summing the year's
  ledger rows per account and objects (``ledger_rows_ms``).

It ends with ``RESULT`` lines; the target (issue 17) is ``statements_ms`` under 50.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SRC = BENCH.parent / "src"
sys.path.insert(0, str(SRC))
sys.path.insert(0, str(BENCH))

from finsam.testdata import EXAMPLES  # noqa: E402
from finsam.testdata.ledger import write_sie  # noqa: E402
from sie_import import throwaway_postgresql  # noqa: E402

YEAR_END = dt.date(2024, 12, 31)
MID_MONTH = dt.date(2024, 6, 15)
REFERENCE = (
    "Reference (issue 17, the 2-core machine, SQLite, statements from the ledger rows):\n"
    "  income statement  84 ms at 100 000 rows, 1.0 s at 1 000 000 rows\n"
    "  balance sheet    172 ms at 100 000 rows, 2.1 s at 1 000 000 rows"
)


def build(env: dict[str, str], rows: int, sie: Path) -> None:
    """The worked example's association with the generated ledger, through the real commands."""
    finsam = [sys.executable, "-m", "finsam"]
    subprocess.run(
        [*finsam, "setup", str(EXAMPLES / "organisation.yaml")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    if not sie.exists():
        print(f"writing {rows} rows to {sie} …", flush=True)
        write_sie(sie, rows)
    started = time.perf_counter()
    subprocess.run(
        [*finsam, "import", "sie", str(sie), "--association", "exempel"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"imported in {time.perf_counter() - started:.0f} s", flush=True)


def median_ms(work: Callable[[], object], runs: int) -> float:
    work()  # the first: caches, the query planner
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def measure(runs: int) -> dict[str, float]:
    """Time the statements and the reference in this process (Django set up on the environment's database)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    django.setup()
    from django.db.models import Sum

    from finsam.finance import statements
    from finsam.finance.models import LedgerRow
    from finsam.organisation.models import Association

    association = Association.objects.get(slug="exempel")
    start = dt.date(YEAR_END.year, 1, 1)

    def both(day: dt.date) -> Callable[[], object]:
        return lambda: (
            statements.income_statement(association, day),
            statements.balance_sheet(association, day),
        )

    def from_rows() -> object:
        rows = LedgerRow.objects.filter(
            association=association, date__range=(start, YEAR_END), source__in_force=True
        )
        return list(rows.values("account", "object_key").annotate(total=Sum("ore")).order_by())

    count = LedgerRow.objects.filter(association=association).count()
    print(f"  {count} ledger rows", flush=True)
    return {
        "statements_ms": median_ms(both(YEAR_END), runs),
        "statements_mid_month_ms": median_ms(both(MID_MONTH), runs),
        "ledger_rows_ms": median_ms(from_rows, max(1, runs // 2)),
    }


def run_child(env: dict[str, str], runs: int) -> dict[str, float]:
    """The measurement in a child process of its own, on the environment's database."""
    code = (
        f"import json, sys; sys.path.insert(0, {str(SRC)!r}); sys.path.insert(0, {str(BENCH)!r}); "
        f"import statements as b; print('JSON ' + json.dumps(b.measure({runs})))"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("JSON "):
            return dict(json.loads(line[5:]))
        print(line, flush=True)
    raise SystemExit(out.stdout + out.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=4_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument(
        "--databases", nargs="+", default=["sqlite", "postgresql"], choices=["sqlite", "postgresql"]
    )
    parser.add_argument("--dir", type=Path, help="where the SQLite dataset is kept between runs")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="finsam-statements-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    sie = Path(tempfile.gettempdir()) / "finsam-statements-bench" / f"ledger-{args.rows}.se"
    sie.parent.mkdir(exist_ok=True)
    print(REFERENCE, flush=True)
    results: dict[str, dict[str, float]] = {}
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "FINSAM_ENV")}
    # 4 000 000 rows are a 200 MB file, beyond the default limit for an SIE file (50 MB, ADR 0013): a host
    # whose associations keep ledgers this detailed raises it the same way.
    base |= {"PYTHONPATH": str(SRC), "FINSAM_LOG_LEVEL": "WARNING", "FINSAM_MAX_UPLOAD_SIE_MB": "400"}
    base |= {"FINSAM_ENV": "dev", "FINSAM_DEBUG": "0"}  # Django's debugging would log every query
    for database in args.databases:
        data = folder / f"{database}-{args.rows}"
        env = base | {"FINSAM_DATA_DIR": str(data)}
        print(f"{database}:", flush=True)
        if database == "sqlite":
            if not (data / "finsam.sqlite3").exists():
                build(env, args.rows, sie)
            results[database] = run_child(env, args.runs)
        else:
            with tempfile.TemporaryDirectory(prefix="finsam-statements-pg-") as work:
                Path(work).chmod(0o755)  # the cluster runs as the user postgres
                with throwaway_postgresql(Path(work)) as url:
                    env |= {"DATABASE_URL": url}
                    build(env, args.rows, sie)
                    results[database] = run_child(env, args.runs)
        for name, value in results[database].items():
            print(f"  {name:<26} {value:9.1f} ms", flush=True)
    for database, figures in results.items():
        suffix = "" if database == "sqlite" else f"_{database}"
        for name, value in figures.items():
            print(f"RESULT {name}{suffix} {value:.1f}")


if __name__ == "__main__":
    main()
