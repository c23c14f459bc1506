"""What every file import shares: problems named by line and column, all-or-nothing, a summary of the change.

An importer reads and checks the whole file first, collecting every problem; only a file without problems is
applied, in one transaction. Applying the same file again changes nothing. Reading is bounded whatever the
file: at most MAX_PROBLEMS problems are collected, and a CSV file's rows, fields a row and characters a field
are capped (`csv_records`), so a hostile file is refused with a message, not with the server's memory.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from finsam.core.formatting import number

MAX_PROBLEMS = 1000  # a file with more is refused with the first of them; the rest would add only memory
FIELD_LIMIT = 10_000  # characters in one CSV field: no field of an import is near it
MAX_FIELDS = 100  # fields in one CSV row
# The csv module's limit holds for the whole process; set here, once, where every import reads CSV.
csv.field_size_limit(FIELD_LIMIT)


DECIMAL = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")


def decimal_of(text: str) -> Decimal | None:
    """A decimal number as a file or form writes it ("3,5", "-12.75", "1 000"), or None. Only digits 0–9,
    one sign and one decimal comma or point: `Decimal()` alone also takes "NaN9", "Infinity" and "1e999",
    which no comparison or rounding afterwards survives."""
    compact = text.replace(" ", "").replace("\u00a0", "")
    return Decimal(compact.replace(",", ".")) if DECIMAL.fullmatch(compact) else None


def is_number(text: str) -> bool:
    """Whether text is digits 0–9 only. `str.isdigit()` alone also takes "²" (which int() refuses) and "١٢"
    (which int() reads as 12): a file's or a form's number is checked with this instead."""
    return text.isascii() and text.isdigit()


@dataclass(frozen=True)
class Problem:
    line: (
        int | None
    )  # 1-based line (a CSV line, an SIE line or a spreadsheet row); None for the file as a whole
    column: str | None  # column name or number, or a record label
    value: Any
    expected: str
    message: str = ""  # instead of value and expected, where the problem says it better in its own words

    def __str__(self) -> str:
        where = ", ".join(
            part
            for part in (
                f"rad {self.line}" if self.line is not None else "",
                f"kolumn {self.column}" if self.column else "",
            )
            if part
        )
        if self.message:
            return f"{where or 'filen'}: {self.message}"
        shown = _("saknas") if self.value is None else repr(self.value)
        return f"{where or 'filen'}: {shown} – förväntade {self.expected}"


class ImportRejected(Exception):
    """The file has problems; nothing was changed."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        shown = "\n".join(f"  {source}: {p}" for p in problems[:200])
        more = f"\n  … och {len(problems) - 200} till" if len(problems) > 200 else ""
        super().__init__(f"{source}: {len(problems)} fel, inget har ändrats:\n{shown}{more}")


@dataclass
class ImportResult:
    """What an import changed, for the command line, the web page and the import history."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    details: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> str:
        counts = (number(n) for n in (self.created, self.updated, self.deleted, self.unchanged))
        return "{} nya, {} ändrade, {} borttagna, {} oförändrade".format(*counts)


def too_many_problems(problems: list[Problem]) -> bool:
    """Whether to stop reading; the first time, say so as the last problem."""
    if len(problems) < MAX_PROBLEMS:
        return False
    if len(problems) == MAX_PROBLEMS:
        problems.append(Problem(None, None, None, "", _("fler än %s fel; läsningen avbröts") % MAX_PROBLEMS))
    return True


def csv_records(text: str, delimiter: str, source: str, max_rows: int) -> Iterator[tuple[int, list[str]]]:
    """The records of a CSV text numbered from 1, header included; raise ImportRejected for a file with more
    than max_rows records after the header, a row of more than MAX_FIELDS fields, a field over FIELD_LIMIT
    characters, a NUL or text the csv module cannot read (naming the line and, where it can, the column)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    count = 0
    nul = "\0" in text  # PostgreSQL stores no NUL in a text, and no program writes one into a CSV field
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise ImportRejected(source, [_unreadable(text, reader.line_num, delimiter, error)]) from None
        count += 1
        if count > max_rows + 1:
            raise ImportRejected(source, [too_many_rows(max_rows)])
        if len(fields) > MAX_FIELDS:
            message = _("raden har %(n)s fält; förväntade högst %(max)s") % {
                "n": number(len(fields)),
                "max": MAX_FIELDS,
            }
            raise ImportRejected(source, [Problem(reader.line_num, None, None, "", message)])
        if nul and (columns := [str(n) for n, field in enumerate(fields, start=1) if "\0" in field]):
            message = _("tecknet NUL (byte 0), som ingen text får innehålla")
            raise ImportRejected(source, [Problem(reader.line_num, columns[0], None, "", message)])
        yield count, fields


def too_many_rows(max_rows: int) -> Problem:
    return Problem(
        None, None, None, "", _("filen har fler än %s rader; dela upp den i flera filer") % number(max_rows)
    )


def _unreadable(text: str, line: int, delimiter: str, error: csv.Error) -> Problem:
    if "field limit" not in str(error):
        return Problem(line, None, None, "", _("CSV-texten går inte att läsa (%s)") % error)
    lines = io.StringIO(text, newline="")  # split as the csv module counts lines
    physical = next(itertools.islice(lines, line - 1, None), "") if line else ""
    long = [n for n, part in enumerate(physical.split(delimiter), start=1) if len(part) > FIELD_LIMIT]
    message = _("ett fält med fler än %(n)s tecken; förväntade högst %(n)s") % {"n": number(FIELD_LIMIT)}
    return Problem(line, str(long[0]) if long else None, None, "", message)
