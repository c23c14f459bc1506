"""A report's content gathered once, independent of the file format it is rendered to.

The leaf every app builds its reports on: the document types, the kinds of report each app registers (from its
app config's `ready()`, so that this module never imports the apps that use it), and the formats a gathered
document renders to (JSON here; the others registered by the reports app, which holds their renderers).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.core.money import json_amount

if TYPE_CHECKING:
    from finsam.organisation.models import Association


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    MONEY = "money"  # kronor, shown whole
    SHARE = "share"  # 0.25 shown as 25,0 %
    DATE = "date"


Cell = str | int | Decimal | dt.date | None


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = Kind.TEXT

    @property
    def numeric(self) -> bool:
        return self.kind in (Kind.INTEGER, Kind.MONEY, Kind.SHARE)

    def display(self, value: Cell) -> str:
        """The value as a reader sees it on a page."""
        if value is None or value == "":
            return ""
        if self.kind == Kind.MONEY:
            assert isinstance(value, Decimal | int)
            return formatting.kronor(value)
        if self.kind == Kind.SHARE:
            assert isinstance(value, Decimal | int)
            return formatting.percent(value, 1)
        if self.kind == Kind.INTEGER:
            assert isinstance(value, int)
            return formatting.number(value)
        if isinstance(value, dt.date):
            return value.isoformat()
        return str(value)


@dataclass
class Table:
    title: str
    columns: list[Column]
    rows: list[dict[str, Cell]]
    total: dict[str, Cell] | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    """A chart drawn once in both forms: SVG for HTML and PDF, PNG for Word."""

    title: str
    svg: str
    png: bytes


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    level: int = 2  # 2 for a chapter, 3 for a part of one
    html: str = ""  # narrative text written in the web app, as sanitised HTML
    charts: list[Chart] = field(default_factory=list)
    new_page: bool = False
    signed: bool = False  # the document's place, date and signatures close this section, not the document

    @property
    def has_content(self) -> bool:
        return bool(self.html or self.paragraphs or self.tables or self.charts or self.signed)

    def repeats_heading(self, table: Table) -> bool:
        """Whether the table's title is the section's heading ("5. Driftredovisning" or without its number):
        a document then prints it once, as the heading (the table keeps it for screen readers)."""
        return re.sub(r"^\d+\. ", "", self.heading) == table.title


@dataclass
class Document:
    title: str
    association: str
    period: str
    sections: list[Section]
    filename: str  # without extension
    signature: list[str] = field(default_factory=list)  # closing lines: place and date, "Förbundsstyrelsen"
    signatures: list[tuple[str, str, str]] = field(default_factory=list)  # name, role, when approved
    diary_number: str = ""  # the association's diary number (Dnr) of a board document
    adopted_on: dt.date | None = None  # the board's decision that adopted it (fastställd)

    @property
    def reference(self) -> list[str]:
        """The title page's lines under the period: the diary number and the adoption, when known."""
        lines = [_("Dnr %s") % self.diary_number] if self.diary_number else []
        if self.adopted_on:
            lines.append(_("Fastställd av förbundsstyrelsen %s") % formatting.long_date(self.adopted_on))
        return lines

    @property
    def signed_in_section(self) -> bool:
        return any(s.signed for s in self.sections)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]


class ReportUnavailable(Exception):
    """The report cannot be made from the data held (e.g. no total recorded for the year)."""


@dataclass(frozen=True)
class Gathered:
    data: dict[str, Any]
    document: Document
    frozen: dict[str, bytes] | None = None  # a locked report's files, served as they were approved
    template: Path | None = None  # the association's own Word template


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


Gather = Callable[["Association", Period], Gathered]

# Every kind of report by the name `finsam report KIND` and the download URLs take, in the order registered.
KINDS: dict[str, Gather] = {}


def register(kinds: dict[str, Gather]) -> None:
    """Called by each app's config in `ready()` with the kinds of report it makes."""
    KINDS.update(kinds)


def gather(kind: str, association: Association, period: Period) -> Gathered:
    return KINDS[kind](association, period)


@dataclass(frozen=True)
class Format:
    content_type: str
    render: Callable[[Gathered], bytes]


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_amount(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def document_json(document: Document) -> dict[str, Any]:
    """A whole document as JSON: sections, texts and tables (amounts as strings with two decimals)."""
    return {
        "title": document.title,
        "association": document.association,
        "period": document.period,
        "sections": [
            {
                "heading": section.heading,
                "text": section.html,
                "paragraphs": section.paragraphs,
                "tables": [
                    {
                        "title": table.title,
                        "columns": [
                            {"key": c.key, "label": c.label, "kind": c.kind.value} for c in table.columns
                        ],
                        "rows": [{k: _json_value(v) for k, v in row.items()} for row in table.rows],
                        "total": {k: _json_value(v) for k, v in table.total.items()} if table.total else None,
                        "notes": table.notes,
                    }
                    for table in section.tables
                ],
                "charts": [chart.title for chart in section.charts],
            }
            for section in document.sections
        ],
        "signature": document.signature,
        "signatures": [{"name": n, "role": r, "approved": w or None} for n, r, w in document.signatures],
        "diary_number": document.diary_number or None,
        "adopted_on": document.adopted_on.isoformat() if document.adopted_on else None,
    }


def _json(gathered: Gathered) -> bytes:
    return (json.dumps(gathered.data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# The formats by file extension, in the order they are written; the reports app registers the others.
FORMATS: dict[str, Format] = {"json": Format("application/json", _json)}


def register_formats(formats: dict[str, Format]) -> None:
    FORMATS.update(formats)


def render(gathered: Gathered, fmt: str) -> bytes:
    if gathered.frozen is not None:
        return gathered.frozen[fmt]
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    return FORMATS[fmt].render(gathered)
