"""Benchmark: `finsam import sie` of a large generated file end to end, next to the reader alone.

Run on demand (not a test):

    .venv/bin/python bench/sie_import.py [--rows 1000000] [--runs 3] [--databases sqlite postgresql]

It writes, once, the file of bench/sie_read.py (``--rows`` #TRANS rows of balanced vouchers, CP437, in
``$TMPDIR/finsam-sie-bench/``) and one of half as many rows. For each database it runs, in turns so that a
change in the machine's load falls on both, ``--runs`` times:

* ``finsam import sie FILE --association exempel`` in a subprocess of its own, into a fresh data dir (and a
  fresh database) where ``finsam setup`` made the worked example's association: rows per second by wall
  time, interpreter start, migration check and the whole transaction included, and the child's peak RSS;
* the reader alone on the same file (``finsam.sie.read_sie`` with a callback, as bench/sie_read.py does):
  the reference, the speed an import could at most reach.

Once per database it also imports the half file, to show that memory stays flat. PostgreSQL is a throwaway
cluster started here (binaries in /usr/lib/postgresql/15/bin, run as the user ``postgres`` under root), or
the server of ``--postgresql-url`` (the bench creates and drops its databases there). It ends with

    RESULT sie_import_rows_per_s N              (SQLite, the database finsam embeds)
    RESULT sie_import_rows_per_s_postgresql N
    RESULT sie_read_rows_per_s N                (the reference of the same run)
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

BENCH = Path(__file__).resolve().parent
SRC = BENCH.parent / "src"
sys.path.insert(0, str(SRC))

from finsam.testdata import EXAMPLES  # noqa: E402
from finsam.testdata.ledger import write_sie  # noqa: E402
from sie_read import OURS  # noqa: E402

PG_BIN = Path("/usr/lib/postgresql/15/bin")
REFERENCE = (
    "Reference (bench/README.md, 1 000 000 rows, the 2-core machine under load):\n"
    "  before ADR 0029 (a model object per row)   15 000 rows/s  160 MB\n"
    "  the reader alone                  250 000–400 000 rows/s   16 MB"
)


def _child(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Wall seconds and peak RSS (MB) of one child, and what it wrote; fails loudly if it failed."""
    started = time.perf_counter()
    child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    output = child.stdout.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"{' '.join(argv)} failed:\n{output}")
    return seconds, usage.ru_maxrss / 1024, output


class Database:
    """Where one import goes: a fresh data dir, and on PostgreSQL a fresh database on the server."""

    def __init__(self, engine: str, url: str | None, folder: Path) -> None:
        self.engine, self.url, self.folder, self.count = engine, url, folder, 0

    def fresh(self) -> dict[str, str]:
        """The environment of a command against a new, empty data dir and database."""
        self.count += 1
        env = dict(os.environ, PYTHONPATH=str(SRC), FINSAM_ENV="dev", FINSAM_DEBUG="0")
        env["FINSAM_DATA_DIR"] = str(self.folder / f"{self.engine}-{self.count}")
        env.pop("DATABASE_URL", None)
        if self.url:
            name = f"bench_import_{self.count}"
            _psql(self.url, f"DROP DATABASE IF EXISTS {name}")
            _psql(self.url, f"CREATE DATABASE {name}")
            env["DATABASE_URL"] = f"{self.url.rsplit('/', 1)[0]}/{name}"
        return env

    def import_file(self, path: Path) -> tuple[float, float, str]:
        env = self.fresh()
        finsam = [sys.executable, "-m", "finsam"]
        _child([*finsam, "setup", str(EXAMPLES / "organisation.yaml")], env)
        return _child([*finsam, "import", "sie", str(path), "--association", "exempel"], env)


def _psql(url: str, sql: str) -> None:
    subprocess.run([str(PG_BIN / "psql"), url, "-qc", sql], check=True, capture_output=True)


@contextlib.contextmanager
def throwaway_postgresql(folder: Path) -> Iterator[str]:
    """A PostgreSQL 15 cluster on loopback for the run, as scripts/test starts one; its URL."""
    data = folder / "pg"
    data.mkdir()
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(data, "postgres")
        as_postgres = ["runuser", "-u", "postgres", "--"]
    subprocess.run(
        [*as_postgres, str(PG_BIN / "initdb"), "-D", str(data), "--auth=trust", "-U", "app", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    port = 20000 + os.getpid() % 20000
    options = f"-c listen_addresses=127.0.0.1 -p {port} -k {data} -c fsync=off"
    pg_ctl = [*as_postgres, str(PG_BIN / "pg_ctl"), "-D", str(data), "-w"]
    subprocess.run(
        [*pg_ctl, "-l", str(data / "log"), "-o", options, "start"], check=True, capture_output=True
    )
    try:
        yield f"postgres://app@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*pg_ctl, "-m", "fast", "stop"], check=False, capture_output=True)


def read_alone(path: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of the reader alone on the file, in a fresh interpreter."""
    output = subprocess.run(
        [sys.executable, "-c", OURS, str(path), str(SRC)], check=True, capture_output=True, text=True
    ).stdout
    result = json.loads(output)
    return result["seconds"], result["peak"] / 2**20


def measure(database: Database, big: Path, half: Path, rows: int, runs: int) -> tuple[float, float]:
    """Print the import's and the reader's figures on one database; their medians in rows per second."""
    imports: list[tuple[float, float]] = []
    reads: list[tuple[float, float]] = []
    for _ in range(runs):
        seconds, peak, output = database.import_file(big)
        assert f"{rows:,}".replace(",", " ") in output or str(rows) in output, output
        imports.append((seconds, peak))
        reads.append(read_alone(big))
    half_seconds, half_peak, _ = database.import_file(half)
    rate = rows / statistics.median(s for s, _ in imports)
    read_rate = rows / statistics.median(s for s, _ in reads)
    print(f"{database.engine}, {rows:,} rows, medians of {runs} runs:".replace(",", " "))
    for label, rate_of, peak in (
        ("finsam import sie (end to end)", rate, max(p for _, p in imports)),
        (f"the same, {rows // 2:,} rows", rows // 2 / half_seconds, half_peak),
        ("the reader alone (reference)", read_rate, max(p for _, p in reads)),
    ):
        print(f"  {label:34s} {rate_of:>9,.0f} rows/s {peak:6.0f} MB peak".replace(",", " "))
    print(f"  import / reader: {rate / read_rate:.2f}", flush=True)
    return rate, read_rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--databases", nargs="+", choices=("sqlite", "postgresql"), default=["sqlite", "postgresql"]
    )
    parser.add_argument("--postgresql-url", help="a server to use instead of a throwaway cluster")
    parser.add_argument("--files", type=Path, default=Path(tempfile.gettempdir()) / "finsam-sie-bench")
    args = parser.parse_args()
    args.files.mkdir(parents=True, exist_ok=True)
    paths = []
    for rows in (args.rows, args.rows // 2):
        path = args.files / f"bench-{rows}.se"
        if not path.exists():
            print(f"writing {path} …", file=sys.stderr)
            write_sie(path, rows)
        paths.append(path)
    big, half = paths
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="finsam-import-bench-") as work:
        folder = Path(work)
        folder.chmod(0o755)
        with contextlib.ExitStack() as stack:
            for engine in args.databases:
                url = None
                if engine == "postgresql":
                    url = args.postgresql_url or stack.enter_context(throwaway_postgresql(folder))
                rate, read_rate = measure(Database(engine, url, folder), big, half, args.rows, args.runs)
                suffix = "" if engine == "sqlite" else f"_{engine}"
                results[f"sie_import_rows_per_s{suffix}"] = rate
                results.setdefault("sie_read_rows_per_s", read_rate)
    print(REFERENCE)
    for name, value in results.items():
        print(f"RESULT {name} {value:.0f}")


if __name__ == "__main__":
    main()
