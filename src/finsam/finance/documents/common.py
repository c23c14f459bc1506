"""What the year-end statements' documents share."""

from __future__ import annotations

import datetime as dt

from finsam.core.documents import Document, Section, Table
from finsam.core.formatting import long_date

# The key of the column "Not" that refers a statement's line to its note.
NOTE = "note"


def dated(
    association_name: str, title: str, date: dt.date, tables: list[Table], slug: str, stem: str
) -> Document:
    return Document(
        title=f"{title} {date.isoformat()}",
        association=association_name,
        period=long_date(date),
        sections=[Section(title, [], tables)],
        filename=f"{stem}-{slug}-{date.isoformat()}",
    )
