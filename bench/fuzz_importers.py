"""Fuzzing every importer with inputs mutated from the repository's own files (issue 13).

Run on demand (not a test; `core/tests/test_fuzz_smoke.py` runs a few hundred inputs so that it cannot rot):

    .venv/bin/python bench/fuzz_importers.py [--importer NAME …] [--inputs 100000] [--seed 1] [--seconds S]

It migrates a throwaway SQLite database in a temporary data dir (or the empty PostgreSQL database that
`DATABASE_URL` names), sets up the worked example's association, the two demo associations and one without an
organisation number, and then, per importer, mutates the seeds (the
files of src/finsam/testdata/ and src/finsam/demo/data/, the hostile generators of finsam.testdata.hostile)
with a seeded RNG (bench/fuzz_mutations.py) and feeds each input to the importer's real entry point, as the
command or the upload page calls it, inside a transaction rolled back after it. It checks three things:

* no exception but the importer's refusal (`ImportRejected`, `OrgFileError` for the organisation file,
  `UnsafeArchive` for the Word template; a file over its size limit is refused as the command refuses it;
  an SIE file of an odd number of bytes is imported as the web does, where `NeedsConfirmation` holds a change
  to a year already imported, and is counted with the refusals);
* no partial write: a refused input leaves every table as it was (a digest of every row) and no template;
* bounded memory: the process's peak RSS (`resource.getrusage`) stays under `--rss-limit`, and no input
  takes longer than `--timeout` seconds.

Input number i of importer X under seed S is always the same bytes. The first few inputs of each kind of
failure are written to `--crashes` (by default in the temporary dir) with their traceback. It prints, per
importer, the inputs run, refused, accepted, failures, peak RSS and inputs per second, and ends with

    RESULT fuzz_<importer>_inputs N
    RESULT fuzz_<importer>_crashes N
    RESULT fuzz_<importer>_peak_rss_mb N
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import random
import resource
import signal
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

BENCH = Path(__file__).resolve().parent
SRC = BENCH.parent / "src"
sys.path[:0] = [str(SRC), str(BENCH)]

import fuzz_mutations as mutations  # noqa: E402

ORDER = ("budget", "participants_csv", "orgfile", "participants_xlsx", "template", "sie")
CORPUS_ASSOCIATION = "association: {slug: korpus, name: Korpusförbundet}\n"


class InputTimeout(BaseException):
    """An input took longer than the limit (a BaseException: no importer's own handler catches it)."""


@dataclass
class Target:
    name: str
    filename: str  # what the input is called on disk, as a user's file would be
    seeds: list[tuple[str, bytes]]  # (association slug, content)
    feed: Callable[[Path, Any], object]  # the entry point: the file's path and the association
    refusals: tuple[type[BaseException], ...]
    mutate: Callable[[bytes, random.Random, list[bytes]], bytes] = mutations.mutate_bytes


@dataclass
class Stats:
    inputs: int = 0
    refused: int = 0
    accepted: int = 0
    crashes: int = 0
    kinds: dict[str, int] = field(default_factory=dict)  # failure signature -> count
    seconds: float = 0.0
    peak_rss_mb: float = 0.0

    def count(self, outcome: str) -> bool:
        """Count an input's outcome; True for a failure."""
        self.inputs += 1
        if outcome == "refused":
            self.refused += 1
        elif outcome == "accepted":
            self.accepted += 1
        else:
            self.crashes += 1
            self.kinds[outcome] = self.kinds.get(outcome, 0) + 1
            return True
        return False

    def report(self, name: str) -> str:
        rate = self.inputs / self.seconds if self.seconds else 0.0
        lines = [
            f"{name}: {self.inputs} inputs in {self.seconds:.0f} s ({rate:.1f}/s): {self.refused} refused, "
            f"{self.accepted} accepted, {self.crashes} failures; peak RSS {self.peak_rss_mb:.0f} MB",
            *(f"  {count} × {kind}" for kind, count in sorted(self.kinds.items())),
            f"RESULT fuzz_{name}_inputs {self.inputs}",
            f"RESULT fuzz_{name}_crashes {self.crashes}",
            f"RESULT fuzz_{name}_peak_rss_mb {self.peak_rss_mb:.0f}",
        ]
        return "\n".join(lines)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(folder: Path) -> None:
    """The associations the seeds belong to: the worked example, the two of the demo, and one without an
    organisation number for the SIE corpus (whose files come from many companies)."""
    from finsam.core.audit import Actor
    from finsam.demo.build import DATA, FILES
    from finsam.organisation import orgfile
    from finsam.testdata import EXAMPLES

    actor = Actor.command("fuzz")
    corpus = folder / "korpus.yaml"
    corpus.write_text(CORPUS_ASSOCIATION, encoding="utf-8")
    for path in (EXAMPLES / "organisation.yaml", *(DATA / name for name in FILES), corpus):
        orgfile.setup(path, actor)


def _xlsx(csv_bytes: bytes, typed: bool) -> bytes:
    """The participants' CSV as a workbook: every cell text, or years as numbers and dates as dates."""
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for number, line in enumerate(csv_bytes.decode("cp1252").splitlines()):
        cells: list[Any] = line.split(";")
        if typed and number:
            cells = [int(c) if c.isdigit() else c for c in cells]
            cells = [
                dt.datetime.fromisoformat(c) if isinstance(c, str) and c[:2] == "20" else c for c in cells
            ]
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx_seeds(folder: Path) -> list[bytes]:
    from docx import Document

    from finsam.testdata import hostile

    blank, full = io.BytesIO(), io.BytesIO()
    Document().save(blank)
    document = Document()
    document.add_heading("Delårsrapport", level=1)
    document.add_paragraph("Text med ").add_run("fetstil").bold = True
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Belopp"
    document.sections[0].header.paragraphs[0].text = "Samordningsförbundet"
    document.save(full)
    bomb = hostile.docx_bomb(folder / "bomb.docx", 2 * mutations.MEGABYTE).read_bytes()
    return [blank.getvalue(), full.getvalue(), bomb]


Seeds = list[tuple[str, bytes]]


def _seeds(folder: Path) -> dict[str, Seeds]:
    """The files each importer's inputs are mutated from: the repository's own, named by association."""
    from finsam.demo.build import DATA, FILES
    from finsam.testdata import EXAMPLES, SIE_CORPUS, hostile

    def slug_of(path: Path) -> str:
        return path.stem.rsplit("-", 1)[0]

    participants = (EXAMPLES / "deltagare-2025.csv").read_bytes()
    as_utf8 = participants.decode("cp1252").replace("\n", "\r\n").encode("utf-8")
    laughs, nested = hostile.billion_laughs(4), hostile.nested_brackets(40)
    big_string = hostile.xlsx_with_shared_string(folder / "delad.xlsx", 1000).read_bytes()
    return {
        "sie": [("exempel", (EXAMPLES / "exempel-2025.se").read_bytes())]
        + [(slug_of(p), p.read_bytes()) for p in sorted((DATA / "sie").glob("*.se"))]
        + [("korpus", p.read_bytes()) for p in sorted(SIE_CORPUS.glob("*.s[ei]"))],
        "budget": [("exempel", (EXAMPLES / "budget-2025.csv").read_bytes())]
        + [(slug_of(p), p.read_bytes()) for p in sorted((DATA / "budget").glob("*.csv"))],
        "participants_csv": [("exempel", participants), ("exempel", as_utf8)],
        "participants_xlsx": [
            ("exempel", _xlsx(participants, False)),
            ("exempel", _xlsx(participants, True)),
            ("exempel", big_string),
        ],
        "orgfile": [("exempel", (EXAMPLES / "organisation.yaml").read_bytes())]
        + [(p.stem, p.read_bytes()) for p in (DATA / name for name in FILES)]
        + [("exempel", laughs.encode()), ("exempel", nested.encode())],
        "template": [("exempel", seed) for seed in _docx_seeds(folder)],
    }


def targets(folder: Path) -> dict[str, Target]:
    """Each importer: its seeds, its entry point and its refusals."""
    from finsam.core import archives, uploads
    from finsam.core.audit import Actor
    from finsam.core.imports import ImportRejected
    from finsam.finance import budget, sie_import
    from finsam.organisation import orgfile
    from finsam.participants.imports import import_participants
    from finsam.reports import services

    actor = Actor.command("fuzz")
    refused = (ImportRejected, uploads.FileTooLarge)
    seeds = _seeds(folder)

    def command(kind: str, importer: Callable[..., Any]) -> Callable[[Path, Any], object]:
        def feed(path: Path, association: Any) -> None:
            uploads.check_size(path, kind)  # as `finsam import` does before reading
            importer(path, association, actor)

        return feed

    def sie(path: Path, association: Any, actor: Actor) -> object:
        """The command's import, or the web's (asking before it changes a year already imported: nothing is
        stored until confirmed) for an input of an odd number of bytes."""
        ask = path.stat().st_size % 2 == 1
        return sie_import.import_file(path, association, actor, ask=ask)

    return {
        "sie": Target(
            "sie", "bokforing.se", seeds["sie"], command("sie", sie), (*refused, sie_import.NeedsConfirmation)
        ),
        "budget": Target(
            "budget", "budget.csv", seeds["budget"], command("budget", budget.import_file), refused
        ),
        "participants_csv": Target(
            "participants_csv",
            "deltagare.csv",
            seeds["participants_csv"],
            command("participants", import_participants),
            refused,
        ),
        "participants_xlsx": Target(
            "participants_xlsx",
            "deltagare.xlsx",
            seeds["participants_xlsx"],
            command("participants", import_participants),
            refused,
            mutations.mutate_archive,
        ),
        "orgfile": Target(
            "orgfile",
            "organisation.yaml",
            seeds["orgfile"],
            lambda path, _association: orgfile.setup(path, actor),
            (orgfile.OrgFileError,),
        ),
        "template": Target(
            "template",
            "mall.docx",
            seeds["template"],
            lambda path, association: services.set_word_template(actor, association, path.read_bytes()),
            (archives.UnsafeArchive,),
            mutations.mutate_archive,
        ),
    }


def digest() -> str:
    """Every row of every table, whatever order the database gives them in."""
    from django.db import connection

    total = hashlib.sha256()
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows = sorted(repr(row) for row in cursor.fetchall())
            total.update(f"{table}:{len(rows)}:".encode())
            for row in rows:
                total.update(row.encode())
    return total.hexdigest()


def writes_so_far() -> int | None:
    """Rows inserted, updated or deleted so far, rolled back or not: on SQLite the connection's count, on
    PostgreSQL the transaction's (each input runs in one); None on another database, where every refusal is
    compared row by row."""
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite":
        return int(connection.connection.total_changes)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_all_tables"
            )
            return int(cursor.fetchone()[0])
    return None


def _on_alarm(_signum: int, _frame: FrameType | None) -> None:
    raise InputTimeout


def _signature(error: BaseException) -> str:
    """The failure's kind and where in finsam it was raised."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if "/finsam/" in f.filename and "/bench/" not in f.filename]
    where = ours[-1] if ours else (frames[-1] if frames else None)
    place = f"{Path(where.filename).name}:{where.lineno}" if where else "?"
    return f"{type(error).__name__} at {place}"


def _one(
    target: Target, path: Path, association: Any, baseline: str, template_of: Callable[[Any], Any]
) -> str:
    """Feed one input in a transaction undone afterwards: "refused", "accepted", or a failure's signature."""
    from django.db import transaction

    outcome = "accepted"
    with transaction.atomic():
        written_before = writes_so_far()
        try:
            target.feed(path, association)
        except target.refusals:
            outcome = "refused"
            # an input that wrote no row cannot have left one; one that did is compared row by row
            wrote = written_before is None or writes_so_far() != written_before
            if (wrote and digest() != baseline) or template_of(association) is not None:
                outcome = "partial write after refusal"
        except InputTimeout:
            outcome = "timeout"
        except Exception as error:  # what the fuzzing is for
            outcome = _signature(error)
            traceback_text = traceback.format_exc()
            path.with_suffix(".traceback").write_text(traceback_text, encoding="utf-8")
        transaction.set_rollback(True)
    return outcome


def _keep(crashes: Path, target: Target, index: int, kind: str, data: bytes, work: Path) -> None:
    crashes.mkdir(parents=True, exist_ok=True)
    stem = f"{target.name}-{index}"
    (crashes / f"{stem}{Path(target.filename).suffix}").write_bytes(data)
    told = work.with_suffix(".traceback")
    detail = told.read_text(encoding="utf-8") if told.exists() else ""
    (crashes / f"{stem}.txt").write_text(f"{kind}\n\n{detail}", encoding="utf-8")
    told.unlink(missing_ok=True)


@dataclass(frozen=True)
class Limits:
    inputs: int
    seed: int
    seconds: float | None = None
    timeout: int = 30
    rss_limit_mb: float = 400.0
    keep: int = 3  # reproducers written for each kind of failure
    first: int = 0  # the number of the first input: a reproducer's number replays it alone


def _input(target: Target, limits: Limits, index: int, by_slug: dict[str, list[bytes]]) -> tuple[str, bytes]:
    """Input number `index`: its association's slug and its bytes, the same for the same seed and number."""
    rng = random.Random(f"{limits.seed}:{target.name}:{index}")
    slug, seed = rng.choice(target.seeds)
    return slug, seed if rng.random() < 0.01 else target.mutate(seed, rng, by_slug[slug])


PROGRESS = 5000  # inputs between two progress lines


def fuzz(target: Target, limits: Limits, work: Path, crashes: Path) -> Stats:
    """Run the target over `limits.inputs` inputs (or until `limits.seconds`), counting what happens."""
    from finsam.organisation.models import Association
    from finsam.reports import services

    associations = {slug: Association.objects.get(slug=slug) for slug, _seed in target.seeds}
    by_slug: dict[str, list[bytes]] = {}
    for slug, seed in target.seeds:
        by_slug.setdefault(slug, []).append(seed)
    baseline = digest()
    stats = Stats()
    path = work / target.filename
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    started = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl and zipfile warn about many a mutated file
        try:
            for index in range(limits.first, limits.inputs):
                if limits.seconds is not None and time.monotonic() - started > limits.seconds:
                    break
                slug, data = _input(target, limits, index, by_slug)
                path.write_bytes(data)
                before = peak_rss_mb()
                signal.setitimer(signal.ITIMER_REAL, limits.timeout)
                try:
                    outcome = _one(target, path, associations[slug], baseline, services.word_template)
                finally:
                    signal.setitimer(signal.ITIMER_REAL, 0)
                if before <= limits.rss_limit_mb < peak_rss_mb():
                    outcome = f"peak RSS over {limits.rss_limit_mb:.0f} MB"
                if stats.count(outcome) and stats.kinds[outcome] <= limits.keep:
                    _keep(crashes, target, index, outcome, data, path)
                leftover = services.word_template(associations[slug])
                if leftover is not None:  # an accepted template is a file: the next input starts without one
                    leftover.unlink()
                if index % 1000 == 999 and digest() != baseline:
                    raise RuntimeError(f"input {index} of {target.name} left the database changed")
                if index % PROGRESS == PROGRESS - 1:  # a long run that is stopped still tells how far it got
                    print(
                        f"  {target.name}: inputs {limits.first}–{index} done, {stats.refused} refused, "
                        f"{stats.accepted} accepted, {stats.crashes} failures, "
                        f"peak RSS {peak_rss_mb():.0f} MB",
                        flush=True,
                    )
        finally:
            signal.signal(signal.SIGALRM, previous)
            stats.seconds = time.monotonic() - started
            stats.peak_rss_mb = peak_rss_mb()
    return stats


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--importer", nargs="*", choices=ORDER, help="these importers only (default: all)")
    parser.add_argument("--inputs", type=int, default=100_000, help="inputs per importer")
    parser.add_argument(
        "--first", type=int, default=0, help="start at this input (--first 37467 --inputs 37468 replays one)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--seconds", type=float, help="stop each importer after this many seconds")
    parser.add_argument("--timeout", type=int, default=30, help="seconds one input may take")
    parser.add_argument("--rss-limit", type=float, default=400.0, help="peak RSS in MB taken for a failure")
    parser.add_argument("--crashes", type=Path, help="where reproducers go (default: the temporary dir's)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="finsam-fuzz-"))
    os.environ["FINSAM_DATA_DIR"] = str(folder / "data")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "finsam.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    prepare(folder)
    everything = targets(folder)
    limits = Limits(args.inputs, args.seed, args.seconds, args.timeout, args.rss_limit, first=args.first)
    crashes = args.crashes or folder / "crashes"
    print(f"seed {args.seed}, up to {args.inputs} inputs per importer, reproducers in {crashes}", flush=True)
    for name in args.importer or ORDER:
        stats = fuzz(everything[name], limits, folder, crashes)
        print(stats.report(name), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
