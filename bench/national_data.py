"""A national-scale dataset for the benchmarks: associations, participant episodes and ledgers.

``bench/participants_table.py`` and ``bench/web_load.py`` build their data with it (Django set up, database
migrated). Sizes fall geometrically from the largest association, so that 600 000 episodes give the largest
about 48 000 (8 %) and the smallest a few hundred; ledger rows are shared out by the same shares.

* :func:`build_episodes` writes the episodes with one INSERT per association (no ORM object per row): the
  associations given first take the largest shares, the rest are created as ``forbund-NN``.
* :func:`build_ledgers` writes ten years of SIE 4 files per association and imports each through the import
  service (``finance.sie_import.import_file``, what ``finsam import sie`` calls), so that whatever the import
  keeps beside the rows is kept. An association with books of its own (the demo's) keeps its figures to the
  krona: its own files are imported again with vouchers added in pairs that cancel each other, and its
  earlier years are generated.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from finsam.organisation.models import Association

ASSOCIATIONS = 80
SHARE_OF_LARGEST = 0.08  # of every total: 48 000 of 600 000 episodes
REASONS = ["arbete", "studier", "arbetsrehabilitering", "sjukdom", "egen_begäran", "åter_remittent", "annat"]
GENDERS = ["kvinna", "kvinna", "man", "man", "annat"]
EPISODE_COLUMNS = (
    "association_id, intervention_id, participant_key, key_kind, own_key, sealed_number, legal_basis, "
    "gender, birth_year, municipality, education, income_before, years_on_support, occupation_before, "
    "referral_id, enrolled_on, exited_on, exit_reason, income_after, occupation_after"
)
COST_ACCOUNTS = ["4610", "5410", "6110", "6230", "6540", "6990", "7010"]
PROJECTS = ["STEG", "TEAM", "KOMP", "KANSLI", "REV"]
TEXTS = ["Köp av tjänst", "Hyra lokal", "Lön", "Konsultarvode", "Kontorsmaterial", "Resa Växjö"]


def sizes(total: int, count: int = ASSOCIATIONS) -> list[int]:
    """Shares of `total` falling geometrically (ratio 0.92) from about 8 %, adding up to about `total`."""
    raw = [0.92**i for i in range(count)]
    scale = total / sum(raw)
    return [max(50, round(size * scale)) for size in raw]


def _say(text: str) -> None:
    print(text.replace(",", " "), flush=True)


def build_episodes(total: int, years: range, first: Sequence[Association] = ()) -> list[Association]:
    """About `total` episodes enrolled over `years` in 80 associations: those in `first` (their individual
    interventions), then new ones ``forbund-NN`` with four to seven interventions each. Returns the 80,
    largest first. Runs ANALYZE at the end."""
    from django.db import connection, transaction

    from finsam.organisation.models import Association, Intervention

    rng = random.Random(2024)
    started = time.perf_counter()
    sql = f"INSERT INTO participants_episode ({EPISODE_COLUMNS}) VALUES ({', '.join(['%s'] * 20)})"
    serial = 0
    last_day = dt.date(years[-1], 12, 31)
    associations: list[Association] = []
    for number, size in enumerate(sizes(total)):
        with transaction.atomic():
            if number < len(first):
                association = first[number]
                interventions = list(association.interventions.filter(kind="individual"))
            else:
                association = Association.objects.create(
                    slug=f"forbund-{number:02d}", name=f"Förbund {number}"
                )
                interventions = [
                    Intervention.objects.create(
                        association=association, code=f"I{k}", name=f"Insats {k}", kind="individual"
                    )
                    for k in range(4 + number % 4)
                ]
            associations.append(association)
            rows: list[tuple[Any, ...]] = []
            for _ in range(size):
                serial += 1
                enrolled = dt.date(years[0], 1, 1) + dt.timedelta(days=rng.randrange(365 * len(years)))
                exited: dt.date | None = enrolled + dt.timedelta(days=rng.randrange(20, 900))
                reason = rng.choice(REASONS)
                if exited > last_day or rng.random() < 0.05:  # type: ignore[operator]
                    exited, reason = None, ""
                elif rng.random() < 0.01:
                    reason = "felregistrering"
                rows.append(
                    (
                        association.pk,
                        rng.choice(interventions).pk,
                        f"{serial:064x}",
                        "egen_nyckel",
                        f"D-{serial}",
                        "",
                        "samtycke",
                        rng.choice(GENDERS[:4]) if rng.random() < 0.99 else "annat",
                        rng.randrange(1960, 2006),
                        f"Kommun {rng.randrange(6)}",
                        "",
                        "sjukpenning",
                        f"{rng.randrange(0, 150) / 10:.1f}",
                        "",
                        None,
                        enrolled,
                        exited,
                        reason,
                        "",
                        "",
                    )
                )
            with connection.cursor() as cursor:
                cursor.executemany(sql, rows)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    _say(f"Built {serial:,} episodes in {time.perf_counter() - started:.0f} s.")
    return associations


@dataclass(frozen=True)
class Chart:
    """What a generated year books on: the file's head (#KONTO, #OBJEKT, …) and the cost accounts and
    objects its vouchers use."""

    head: list[str]
    costs: list[str]
    objects: list[str]


def _org_number(number: int) -> str:
    return f"2220{number:02d}-{number * 37 % 10_000:04d}"


def _generated_chart(association: Association, number: int) -> Chart:
    head = [
        f'#FNAMN "{association.name}"',
        f"#ORGNR {association.org_number or _org_number(number)}",
        '#DIM 6 "Projekt"',
        *(f'#OBJEKT 6 "{code}" "{code.title()}"' for code in PROJECTS),
        *(f"#KONTO {account} Kostnad" for account in [*COST_ACCOUNTS, "1930", "2641"]),
    ]
    return Chart(head, COST_ACCOUNTS, PROJECTS)


def _own_chart(text: str) -> Chart:
    """The chart of an association's own file: its head lines and the cost accounts and objects it uses."""
    head = [line for line in text.splitlines() if re.match(r"#(FNAMN|ORGNR|DIM|OBJEKT|KONTO) ", line)]
    costs = sorted(set(re.findall(r"#TRANS ([4-7]\d{3}) ", text)))
    objects = re.findall(r'#OBJEKT 6 "([^"]+)"', text)
    return Chart(head, costs, objects)


def _vouchers(rng: random.Random, chart: Chart, year: int, rows: int, last: str | None = None) -> list[str]:
    """Balanced vouchers of 2 to 6 rows over `rows` rows (costs on an object, VAT, the bank), numbered in a
    series of their own ("G"). Given the `last` day an association's own file books (YYYYMMDD), each falls on
    or before it and is followed by one that reverses it: the books' figures stay as they were."""
    first = dt.date(year, 1, 1)
    days = (dt.datetime.strptime(last, "%Y%m%d").date() - first).days + 1 if last else 365  # noqa: DTZ007
    lines: list[str] = []
    written = number = 0
    while written < rows:
        count = rng.choice((2, 3, 4, 4, 5, 6))
        day = (first + dt.timedelta(days=rng.randrange(days))).strftime("%Y%m%d")
        text = rng.choice(TEXTS)
        cents = [rng.randint(100, 5_000_000) for _ in range(count - 1)]
        booked = [
            (
                "2641" if index == 1 else rng.choice(chart.costs),
                "{}" if index == 1 else f'{{6 "{rng.choice(chart.objects)}"}}',
                amount,
            )
            for index, amount in enumerate(cents)
        ]
        booked.append(("1930", "{}", -sum(cents)))
        for sign in (1, -1) if last else (1,):
            number += 1
            lines += [f'#VER G {number} {day} "{text} {number}" {year + 1}0110', "{"]
            lines += [
                f"   #TRANS {account} {objects} {sign * cents / 100:.2f}"
                for account, objects, cents in booked
            ]
            lines.append("}")
            written += count
    return lines


def _write(path: Path, lines: list[str]) -> None:
    with path.open("w", encoding="cp437", newline="\r\n") as out:
        out.write("\n".join(lines) + "\n")


def build_ledgers(
    total: int,
    associations: Sequence[Association],
    years: range,
    folder: Path,
    own_files: Callable[[Association], dict[int, Path]],
) -> int:
    """About `total` ledger rows over `years`, shared among `associations` as the episodes are, each year one
    SIE 4 file in `folder` imported through the import service. `own_files` gives an association's own files
    by year (the demo's): those are imported with cancelling vouchers added, so that its figures stay.
    Returns the rows in the ledger."""
    from finsam.core.audit import Actor
    from finsam.finance import sie_import
    from finsam.finance.models import LedgerRow

    rng = random.Random(2025)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    for number, (association, size) in enumerate(
        zip(associations, sizes(total, len(associations)), strict=True)
    ):
        own = own_files(association)
        chart = _own_chart(own[max(own)].read_text(encoding="cp437")) if own else None
        for year in years:
            if year in own:
                text = own[year].read_text(encoding="cp437")
                last = max(re.findall(r"#VER \S+ \S+ (\d{8})", text))
                lines = [
                    *text.splitlines(),
                    *_vouchers(rng, chart or _own_chart(text), year, size // len(years), last),
                ]
            else:
                chart_here = chart or _generated_chart(association, number)
                lines = [
                    "#FLAGGA 0",
                    "#FORMAT PC8",
                    "#SIETYP 4",
                    '#PROGRAM "finsam bench" 1.0',
                    f"#GEN {year + 1}0301",
                    *chart_here.head,
                    f"#RAR 0 {year}0101 {year}1231",
                    *_vouchers(rng, chart_here, year, size // len(years)),
                ]
            path = folder / f"{association.slug}-{year}.se"
            _write(path, lines)
            sie_import.import_file(path, association, Actor.command("import sie"))
            association.refresh_from_db()
        booked = LedgerRow.objects.filter(association=association).count()
        _say(f"  {association.slug}: {booked:,} ledger rows ({time.perf_counter() - started:.0f} s so far)")
    rows = LedgerRow.objects.count()
    _say(f"Imported {rows:,} ledger rows in {time.perf_counter() - started:.0f} s.")
    return rows
