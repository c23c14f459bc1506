"""Budgets and forecasts per income-statement row and year: the import (`finsam import budget`) and edits.

Every change keeps the earlier amount in BudgetChange. Edits carry the version they started from, so of two
people editing the same line at once the second is told to reload instead of overwriting the first.
"""

from __future__ import annotations

import codecs
import datetime as dt
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.db.models import F, Max

from finsam.core import clock, formatting
from finsam.core.audit import Actor, record
from finsam.core.imports import (
    ImportRejected,
    ImportResult,
    Problem,
    csv_records,
    is_number,
    too_many_problems,
)
from finsam.core.money import MAX_AMOUNT, AmountTooLarge, parse_amount
from finsam.finance.models import BudgetChange, BudgetLine, StatementRow
from finsam.organisation.models import Association

KINDS = {"budget": BudgetLine.Kind.BUDGET, "prognos": BudgetLine.Kind.FORECAST}
HEADERS = ("rad", "år", "typ", "belopp")
# Plausible budget years: samordningsförbund exist since 2004 (the Finsam law); others are typing errors.
FIRST_YEAR, LAST_YEAR = 2000, 2100
# Lines after the header: a hundred rows, ten years, budget and forecast are 2 000.
MAX_ROWS = 20_000

TOO_LARGE = (
    f"ett belopp mellan {formatting.amount_text(-MAX_AMOUNT)} och {formatting.amount_text(MAX_AMOUNT)}"
)


class StaleEdit(Exception):
    """Someone else changed the line since this edit began."""


@dataclass(frozen=True)
class Entry:
    line: int
    row: StatementRow
    year: int
    kind: str
    amount: Decimal


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.strip().lower()) if not unicodedata.combining(c)
    )


def _decode(raw: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) or else Windows-1252, as Excel saves CSV; any other encoding is refused
    naming where it fails."""
    expected = "förväntade en textfil i UTF-8 eller Windows-1252 (som Excel sparar CSV)"
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ImportRejected(
            source, [Problem(None, None, None, "", f"filen är sparad som UTF-16; {expected}")]
        )
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - raw.rfind(b"\n", 0, error.start)
        byte = raw[error.start : error.start + 1].hex()
        message = f"byte 0x{byte} går varken att läsa som UTF-8 eller Windows-1252; {expected}"
        raise ImportRejected(source, [Problem(line, str(column), None, "", message)]) from None


def read(path: Path, association: Association) -> list[Entry]:
    """Check the whole file; raise ImportRejected naming every bad line (the first MAX_PROBLEMS)."""
    rows = {
        r.code: r for r in StatementRow.objects.filter(association=association, statement="income_statement")
    }
    records = csv_records(_decode(path.read_bytes(), str(path)), ";", str(path), MAX_ROWS)
    problems: list[Problem] = []
    header = next(records, (1, []))[1]
    if tuple(_fold(h) for h in header) != tuple(_fold(h) for h in HEADERS):
        raise ImportRejected(str(path), [Problem(1, None, ";".join(header), "rubrikerna rad;år;typ;belopp")])
    entries: list[Entry] = []
    seen: dict[tuple[str, int, str], int] = {}
    for number, fields in records:
        if too_many_problems(problems):
            break
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != 4:
            problems.append(Problem(number, None, ";".join(fields), "fyra fält: rad;år;typ;belopp"))
            continue
        code, year_text, kind_text, amount_text = (f.strip() for f in fields)
        row = rows.get(code)
        if row is None:
            problems.append(Problem(number, "rad", code, "en rad i resultaträkningen: " + ", ".join(rows)))
        year = int(year_text) if is_number(year_text) and len(year_text) == 4 else None
        if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
            year = None
            problems.append(
                Problem(number, "år", year_text, f"ett år mellan {FIRST_YEAR} och {LAST_YEAR}, som 2025")
            )
        kind = KINDS.get(_fold(kind_text))
        if kind is None:
            problems.append(Problem(number, "typ", kind_text, "budget eller prognos"))
        try:
            amount = parse_amount(amount_text)
        except AmountTooLarge:
            problems.append(Problem(number, "belopp", amount_text[:40], TOO_LARGE))
            continue
        except ValueError:
            problems.append(
                Problem(
                    number,
                    "belopp",
                    amount_text,
                    "ett belopp som 1 234 567,50 eller 1234567.50 (mellanslag bara mellan grupper om tre "
                    "siffror)",
                )
            )
            continue
        if amount != amount.quantize(Decimal("0.01")):
            problems.append(Problem(number, "belopp", amount_text, "ett belopp med högst två decimaler"))
            continue
        if row is None or year is None or kind is None:
            continue
        key = (code, year, kind)
        if key in seen:
            problems.append(
                Problem(number, "rad", code, f"en rad per rad, år och typ (samma som rad {seen[key]})")
            )
            continue
        seen[key] = number
        entries.append(Entry(number, row, year, kind, amount))
    if problems:
        raise ImportRejected(str(path), problems)
    return entries


def _set(actor: Actor, line: BudgetLine | None, entry: Entry, association: Association, source: str) -> str:
    if line is not None and line.amount == entry.amount:
        return "unchanged"
    previous = line.amount if line is not None else None
    if line is None:
        line = BudgetLine.objects.create(
            association=association,
            row=entry.row,
            year=entry.year,
            kind=entry.kind,
            amount=entry.amount,
            adopted=entry.amount if entry.kind == BudgetLine.Kind.BUDGET else None,
            as_of=clock.today() if entry.kind == BudgetLine.Kind.FORECAST else None,
        )
    else:
        BudgetLine.objects.filter(pk=line.pk).update(amount=entry.amount, version=F("version") + 1)
    BudgetChange.objects.create(
        line=line, actor=actor.label, source=source, previous=previous, amount=entry.amount
    )
    record(
        actor,
        "budget.set",
        line,
        association=association,
        before=None if previous is None else {"amount": f"{previous:.2f}"},
        after={
            "row": entry.row.code,
            "year": entry.year,
            "kind": entry.kind,
            "amount": f"{entry.amount:.2f}",
        },
    )
    return "created" if previous is None else "updated"


def import_file(path: Path, association: Association, actor: Actor) -> ImportResult:
    entries = read(path, association)
    result = ImportResult()
    with transaction.atomic():
        for entry in entries:
            line = (
                BudgetLine.objects.select_for_update()
                .filter(row=entry.row, year=entry.year, kind=entry.kind)
                .first()
            )
            outcome = _set(actor, line, entry, association, f"fil {path.name}, rad {entry.line}")
            setattr(result, outcome, getattr(result, outcome) + 1)
    return result


@transaction.atomic
def edit(
    actor: Actor, line: BudgetLine, amount: Decimal, expected_version: int, note: str = ""
) -> BudgetLine:
    """Change a line's amount if nobody else has since the edit began; raise StaleEdit otherwise."""
    updated = BudgetLine.objects.filter(pk=line.pk, version=expected_version).update(
        amount=amount, version=F("version") + 1
    )
    if not updated:
        raise StaleEdit
    BudgetChange.objects.create(
        line=line, actor=actor.label, source=actor.source, previous=line.amount, amount=amount, note=note
    )
    record(
        actor,
        "budget.edit",
        line,
        association=line.association,
        before={"amount": f"{line.amount:.2f}", "version": expected_version},
        after={"amount": f"{amount:.2f}", "version": expected_version + 1},
    )
    line.refresh_from_db()
    return line


@dataclass(frozen=True)
class ForecastStatus:
    year: int
    latest: dt.datetime | None  # when a forecast amount was last set (imported or edited)
    budgeted: int  # income-statement rows with a budget that year
    missing: int  # of those, rows without a forecast


def forecast_status(association: Association, from_year: int) -> list[ForecastStatus]:
    """Per year with a budget, from from_year on: when the forecast last changed and which rows lack one."""
    rows: dict[int, dict[str, set[int]]] = {}
    for year, row, kind in BudgetLine.objects.filter(
        association=association, year__gte=from_year
    ).values_list("year", "row_id", "kind"):
        rows.setdefault(year, {BudgetLine.Kind.BUDGET: set(), BudgetLine.Kind.FORECAST: set()})[kind].add(row)
    latest = dict(
        BudgetChange.objects.filter(
            line__association=association, line__kind=BudgetLine.Kind.FORECAST, line__year__gte=from_year
        )
        .values("line__year")
        .annotate(at=Max("at"))
        .values_list("line__year", "at")
    )
    return [
        ForecastStatus(
            year,
            latest.get(year),
            len(kinds[BudgetLine.Kind.BUDGET]),
            len(kinds[BudgetLine.Kind.BUDGET] - kinds[BudgetLine.Kind.FORECAST]),
        )
        for year, kinds in sorted(rows.items())
        if kinds[BudgetLine.Kind.BUDGET]
    ]
