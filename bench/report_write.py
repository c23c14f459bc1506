"""How long writing a whole interim report takes: gathered once, rendered to JSON, HTML, PDF, DOCX and XLSX.

    python bench/report_write.py [--runs 5]

Builds the demo in a temporary data dir (not timed), then times Södra Vätterbygden's interim report 2023 H1
with its charts, in every format, and prints the median and the slowest run next to the target of 3 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ["FINSAM_DATA_DIR"] = tempfile.mkdtemp(prefix="finsam-bench-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from finsam.core import documents
    from finsam.demo import build
    from finsam.organisation.models import Association

    call_command("migrate", verbosity=0)
    build.load()
    association = Association.objects.get(slug="sodra-vatterbygden")
    period = documents.Period(dt.date(2023, 1, 1), dt.date(2023, 6, 30))
    timings: dict[str, list[float]] = {
        "gather": [],
        **{fmt: [] for fmt in documents.FORMATS},
        "total": [],
    }
    for _ in range(args.runs):
        started = time.perf_counter()
        gathered = documents.gather("interim-report", association, period)
        timings["gather"].append(time.perf_counter() - started)
        for fmt in documents.FORMATS:
            begun = time.perf_counter()
            documents.render(gathered, fmt)
            timings[fmt].append(time.perf_counter() - begun)
        timings["total"].append(time.perf_counter() - started)
    print(f"Interim report, Södra Vätterbygden 2023 H1, all formats ({args.runs} runs, median / slowest):")
    for step, values in timings.items():
        print(f"  {step:<7} {statistics.median(values):6.2f} s  {max(values):6.2f} s")
    print("  target  3.00 s for the total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
