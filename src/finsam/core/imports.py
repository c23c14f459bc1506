"""What every file import shares: problems named by line and column, all-or-nothing, a summary of the change.

An importer reads and checks the whole file first, collecting every problem; only a file without problems is
applied, in one transaction. Applying the same file again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


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
        return f"{where or 'filen'}: {self.value!r} – förväntade {self.expected}"


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
        counts = (self.created, self.updated, self.deleted, self.unchanged)
        return "{} nya, {} ändrade, {} borttagna, {} oförändrade".format(*counts)
