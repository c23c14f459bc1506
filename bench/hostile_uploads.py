"""Benchmark: the hostile files of the attack on the demo (issue 13), each fed to the real importer.

Run on demand (not a test):

    .venv/bin/python bench/hostile_uploads.py [--dir DIR] [--only NAME …]

It sets up the worked example's association in a fresh data dir (a temporary one unless ``--dir`` names one),
writes each hostile file there at the attack's own size (streaming: the zip members are compressed as they
are written, so the 1.1 GB shared string takes about a megabyte on disk), and feeds it to the command a user
would run, in a subprocess of its own: ``finsam import participants|budget``, ``finsam setup``, and for the
Word template, which has no command, the service the upload page calls. For each it prints the child's peak
memory (its own resident set size, from ``os.wait4``) and wall time, and the first lines of what it answered:

    RESULT <name>_max_rss_mb N
    RESULT <name>_seconds N

Target: each refused within seconds with a clear message, no process above 300 MB.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
sys.path.insert(0, str(SRC))

from finsam.testdata import EXAMPLES, hostile  # noqa: E402

MEGABYTE = 1024 * 1024
TEMPLATE_CHILD = """
import sys
import django
django.setup()
from finsam import testing
from finsam.core.archives import UnsafeArchive
from finsam.organisation.models import Association
from finsam.reports import services
association = Association.objects.get(slug="exempel")
try:
    services.set_word_template(testing.SYSTEM, association, open(sys.argv[1], "rb").read())
except UnsafeArchive as error:
    print(f"Mallen är inte bytt: {error}.", file=sys.stderr)
    sys.exit(1)
"""


def _files(folder: Path) -> dict[str, tuple[Callable[[], Path], list[str]]]:
    """Each hostile file by name: how to write it, and the command (after `finsam`) that reads it."""

    def participants(path: Path) -> list[str]:
        return ["import", "participants", str(path), "--association", "exempel"]

    xlsx = folder / "deltagare-delad-strang.xlsx"
    csv = folder / "deltagare-200mb.csv"
    field = folder / "deltagare-langt-falt.csv"
    budget = folder / "budget-200mb.csv"
    docx = folder / "mall-zipbomb.docx"
    laughs = folder / "organisation-skratt.yaml"
    nested = folder / "organisation-djup.yaml"
    header, row = hostile.PARTICIPANT_HEADER, hostile.PARTICIPANT_ROW
    return {
        "xlsx_shared_string": (
            lambda: hostile.xlsx_with_shared_string(xlsx, 1100 * MEGABYTE),
            participants(xlsx),
        ),
        "csv_200mb": (lambda: hostile.text_file(csv, header, row, 200 * MEGABYTE), participants(csv)),
        "csv_long_field": (
            lambda: hostile.csv_with_long_field(field, header, row, MEGABYTE),
            participants(field),
        ),
        "budget_200mb": (
            lambda: hostile.text_file(budget, hostile.BUDGET_HEADER, hostile.BUDGET_ROW, 200 * MEGABYTE),
            ["import", "budget", str(budget), "--association", "exempel"],
        ),
        "docx_zip_bomb": (lambda: hostile.docx_bomb(docx, 2800 * MEGABYTE), ["template", str(docx)]),
        "yaml_billion_laughs": (lambda: _text(laughs, hostile.billion_laughs()), ["setup", str(laughs)]),
        "yaml_nested_brackets": (lambda: _text(nested, hostile.nested_brackets()), ["setup", str(nested)]),
    }


def _text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _run(command: list[str]) -> tuple[int, float, float, str]:
    """Exit code, peak RSS in MB and wall seconds of one child, and the first two lines it wrote."""
    if command[0] == "template":
        argv = [sys.executable, "-c", TEMPLATE_CHILD, command[1]]
    else:
        argv = [sys.executable, "-m", "finsam", *command]
    started = time.monotonic()
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert child.stdout is not None
    output = child.stdout.read().decode("utf-8", "replace")
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.monotonic() - started
    said = " ".join(line.strip() for line in output.splitlines()[:2])
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024, seconds, said


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, help="data dir and hostile files (default: a temporary dir)")
    parser.add_argument("--only", nargs="*", help="only these files (names as printed)")
    args = parser.parse_args()
    folder = args.dir or Path(tempfile.mkdtemp(prefix="finsam-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["FINSAM_DATA_DIR"] = str(folder / "data")
    os.environ.setdefault("PYTHONPATH", str(SRC))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    code, _rss, _seconds, first = _run(["setup", str(EXAMPLES / "organisation.yaml")])
    if code:
        sys.exit(f"setup failed: {first}")
    for name, (write, command) in _files(folder).items():
        if args.only and name not in args.only:
            continue
        path = write()
        code, rss, seconds, first = _run(command)
        print(f"{name}: {path.stat().st_size / MEGABYTE:.1f} MB on disk, exit code {code}: {first}")
        print(f"RESULT {name}_max_rss_mb {rss:.0f}")
        print(f"RESULT {name}_seconds {seconds:.1f}", flush=True)
        path.unlink()


if __name__ == "__main__":
    main()
