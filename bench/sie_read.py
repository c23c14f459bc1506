"""Benchmark: reading a large SIE 4 file with finsam.sie, next to pysie-accounting and the reference figures.

Run on demand (not a test):

    .venv/bin/python bench/sie_read.py [--rows 1000000] [--runs 5] [--dir DIR]

It writes a file of ``--rows`` #TRANS rows (CP437, CRLF, unquoted ``#VER A 1 …``) into a temporary folder
unless one is there already, and one of half as many rows to show that memory stays flat. Every reading
runs in a fresh subprocess that reports rows/s and its peak RSS; the median of ``--runs`` is printed.
finsam and pysie-accounting run in turns, so that a change in the machine's load falls on both.

Wall time on a shared machine swings by half from one minute to the next. ``--instructions ROWS`` counts
the CPU instructions each reader executes instead (valgrind's cachegrind, ``apt install valgrind``), which do
not depend on the load: a file of ROWS rows less an empty one, per row. It leaves out what memory costs, which
is where pysie-accounting loses most of its time on a large file, so it complements the wall time.
pysie-accounting, if installed in /tmp/sievenv (``python3 -m venv /tmp/sievenv && /tmp/sievenv/bin/pip
install pysie-accounting pandas``; it imports pandas without declaring it), reads a copy whose #VER series
and numbers are quoted, the only form it finds vouchers in.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from finsam.testdata.ledger import write_sie

SRC = Path(__file__).resolve().parents[1] / "src"
PYSIE_PYTHON = Path("/tmp/sievenv/bin/python")

REFERENCE = (
    "Reference (bench/README.md, 1 000 000 rows, 48 MB, another machine like this one):\n"
    "  pysie-accounting 0.0.2            365 000 rows/s   575 MB (loads the whole file)\n"
    "  strict streaming pure-Python      431 000 rows/s    11 MB\n"
    "  reading and decoding lines only  4 500 000 rows/s     9 MB"
)

# Runs in a fresh interpreter: reads the file through the callback API and prints rows/s and peak RSS.
OURS = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[2])
from finsam.sie import read_sie
rows = 0
def take(voucher):
    global rows
    rows += len(voucher.transactions)
start, cpu = time.perf_counter(), time.process_time()
sie = read_sie(sys.argv[1], on_voucher=take)
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
assert rows == sie.row_count
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": rows, "seconds": seconds, "cpu": cpu, "peak": peak}))
"""

LINES_ONLY = """
import json, resource, sys, time
start, cpu = time.perf_counter(), time.process_time()
with open(sys.argv[1], encoding="cp437", newline="") as text:
    for _ in text:
        pass
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": int(sys.argv[3]), "seconds": seconds, "cpu": cpu, "peak": peak}))
"""

PYSIE = """
import json, resource, sys, time
import pandas as pd
from pysie_accounting.pysie import PySIE
start, cpu = time.perf_counter(), time.process_time()
sie = PySIE()
sie.sie_encoding = "cp437"
sie.dftrans = pd.DataFrame({"SRU": pd.Series([], dtype=int), "Ink2": pd.Series([], dtype=str)})
sie.open(sys.argv[1])
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
rows = sum(len(voucher[3]) for voucher in sie.verifikat.values())
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": rows, "seconds": seconds, "cpu": cpu, "peak": peak}))
"""

Reading = tuple[Path | str, str, Path, int]  # interpreter, script, file, rows


def measure(readings: list[Reading], runs: int) -> list[dict[str, float]]:
    """Run each reading ``runs`` times, in turns, so that a change in the machine's load falls on them all."""
    results: list[list[dict[str, float]]] = [[] for _ in readings]
    for _ in range(runs):
        for (python, script, path, rows), kept in zip(readings, results, strict=True):
            command = [str(python), "-c", script, str(path), str(SRC), str(rows)]
            output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            kept.append(json.loads(output))
    summaries = []
    for (_, _, _, rows), kept in zip(readings, results, strict=True):
        assert all(result["rows"] == rows for result in kept), kept
        summaries.append(
            {
                "rate": rows / statistics.median(result["seconds"] for result in kept),
                "cpu_rate": rows / statistics.median(result["cpu"] for result in kept),
                "peak": max(result["peak"] for result in kept),
            }
        )
    return summaries


def instructions(python: Path | str, script: str, path: Path) -> int:
    """Instructions one reading executes under cachegrind, interpreter start and imports included."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    command += [str(python), "-c", script, str(path), str(SRC), "0"]
    report = subprocess.run(command, check=True, capture_output=True, text=True).stderr
    found = re.search(r"I\s+refs:\s+([0-9,]+)", report)
    if found is None:
        raise RuntimeError(f"no instruction count in valgrind's output:\n{report}")
    return int(found[1].replace(",", ""))


def count_instructions(rows: int, folder: Path, pysie: bool) -> None:
    """Print instructions per row of each reader: a file of ``rows`` rows less an empty one."""
    files = {}
    for count, quoted in ((rows, False), (0, False), (rows, True), (0, True)):
        files[count, quoted] = folder / f"bench-{count}{'-quoted' if quoted else ''}.se"
        if not files[count, quoted].exists():
            write_sie(files[count, quoted], count, quoted=quoted)
    print(f"{rows:,} #TRANS rows; CPU instructions per row (cachegrind), less an empty file's")
    readings: list[tuple[str, str | Path, str, bool]] = [("finsam.sie.read_sie", sys.executable, OURS, False)]
    if pysie:
        readings.append(("pysie-accounting (quoted #VER)", PYSIE_PYTHON, PYSIE, True))
    per_row = {}
    for label, python, script, quoted in readings:
        full, empty = (instructions(python, script, files[count, quoted]) for count in (rows, 0))
        per_row[label] = (full - empty) / rows
        print(f"  {label:32s} {per_row[label]:>9,.0f} instructions per row")
    if pysie:
        ours, theirs = per_row.values()
        print(f"  finsam.sie / pysie-accounting: {theirs / ours:.2f}× fewer instructions")


def pysie_installed() -> bool:
    if not PYSIE_PYTHON.exists():
        return False
    command = [str(PYSIE_PYTHON), "-c", "import pandas, pysie_accounting.pysie"]
    return subprocess.run(command, capture_output=True, check=False).returncode == 0


def line(label: str, result: dict[str, float]) -> str:
    rates = f"{result['rate']:>11,.0f} rows/s ({result['cpu_rate']:>9,.0f} by CPU time)"
    return f"  {label:32s} {rates} {result['peak'] / 2**20:6.0f} MB peak RSS"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "finsam-sie-bench")
    parser.add_argument("--instructions", type=int, metavar="ROWS", help="count instructions instead")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    if args.instructions:
        count_instructions(args.instructions, args.dir, pysie_installed())
        return
    files = {}
    for rows, quoted in ((args.rows, False), (args.rows // 2, False), (args.rows, True)):
        path = args.dir / f"bench-{rows}{'-quoted' if quoted else ''}.se"
        if not path.exists():
            print(f"writing {path} …", file=sys.stderr)
            write_sie(path, rows, quoted=quoted)
        files[rows, quoted] = path

    big = files[args.rows, False]
    size = big.stat().st_size / 1e6
    print(f"{big.name}: {args.rows:,} #TRANS rows, {size:.0f} MB; medians of {args.runs} runs, wall time")
    readings: list[Reading] = [(sys.executable, OURS, big, args.rows)]
    if pysie_installed():
        readings.append((PYSIE_PYTHON, PYSIE, files[args.rows, True], args.rows))
    ours, *others = measure(readings, args.runs)
    print(line("finsam.sie.read_sie", ours))
    [half] = measure([(sys.executable, OURS, files[args.rows // 2, False], args.rows // 2)], args.runs)
    print(line(f"finsam.sie.read_sie, {args.rows // 2:,} rows", half))
    [floor] = measure([(sys.executable, LINES_ONLY, big, args.rows)], 1)
    print(line("reading and decoding lines only", floor))
    if others:
        [theirs] = others
        print(line("pysie-accounting (quoted #VER)", theirs))
        ratio, cpu_ratio = ours["rate"] / theirs["rate"], ours["cpu_rate"] / theirs["cpu_rate"]
        print(f"  finsam.sie / pysie-accounting: {ratio:.2f}× the speed ({cpu_ratio:.2f}× by CPU time)")
    else:
        print(f"  pysie-accounting: not importable by {PYSIE_PYTHON}, left out")
    print(REFERENCE)


if __name__ == "__main__":
    main()
