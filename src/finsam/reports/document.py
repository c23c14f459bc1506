"""A report's content gathered once, independent of the file format it is rendered to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from finsam.core import formatting


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


@dataclass
class Document:
    title: str
    association: str
    period: str
    sections: list[Section]
    filename: str  # without extension
    signature: list[str] = field(default_factory=list)  # closing lines: place and date, "Förbundsstyrelsen"
    signatures: list[tuple[str, str, str]] = field(default_factory=list)  # name, role, when approved

    @property
    def signed_in_section(self) -> bool:
        return any(s.signed for s in self.sections)

    @property
    def tables(self) -> list[Table]:
        return [t for s in self.sections for t in s.tables]
