"""A report version's auditor's package (revisionspaket): one ZIP with what an auditor asks for (ADR 0020).

- the version's PDF: the locked file as the board approved it, else rendered from today's data;
- the statements of its period as XLSX: income statement, balance sheet, cash flow and operating statement;
- the fiscal year's ledger as an SIE 4 file written by finsam (finance.sie_export), streamed into the ZIP;
- the fiscal year's import history, and the change log from the year's first day to the download, as XLSX;
- innehall.txt: each file with its SHA-256, and what could not be included and why.

The ZIP is written to an anonymous temporary file, never held whole in memory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Callable
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from finsam.core import documents
from finsam.core.models import AuditEntry
from finsam.core.spreadsheet import append_row
from finsam.finance import sie_export, statements
from finsam.finance.models import LedgerImport
from finsam.organisation.models import Association
from finsam.reports.board import common as board
from finsam.reports.models import ReportVersion

# The statements in the package: file name → kind of report (the income statement in the version's form).
STATEMENTS = {
    "resultatrakning": "income-statement",
    "balansrakning": "balance-sheet",
    "kassaflodesanalys": "cash-flow",
    "driftredovisning": "operating-statement",
}


def filename(version: ReportVersion) -> str:
    stem = board.filename(version.kind, version.association, version.period_end)
    return f"revisionspaket-{stem}-v{version.number}.zip"


class _Package:
    """The ZIP being written, and its table of contents."""

    def __init__(self, target: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
        self.contents: list[str] = []
        self.missing: list[str] = []

    def add(self, name: str, content: bytes) -> None:
        self.zip.writestr(name, content)
        self.contents.append(f"{hashlib.sha256(content).hexdigest()}  {name}")

    def stream(self, name: str, write: Callable[[IO[bytes]], None]) -> None:
        """A member written by ``write`` straight into the ZIP, hashed on the way."""
        digest = hashlib.sha256()
        with self.zip.open(name, "w") as member:
            write(_Hashing(member, digest))  # type: ignore[arg-type]
        self.contents.append(f"{digest.hexdigest()}  {name}")

    def close(self, heading: str) -> None:
        lines = [heading, "", _("Filer (SHA-256):"), *self.contents]
        if self.missing:
            lines += ["", _("Saknas:"), *self.missing]
        self.zip.writestr("innehall.txt", "\r\n".join(lines) + "\r\n")
        self.zip.close()


class _Hashing(io.RawIOBase):
    """A binary stream that writes to a ZIP member and hashes what it writes."""

    def __init__(self, member: IO[bytes], digest: hashlib._Hash) -> None:
        self.member, self.digest = member, digest

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.digest.update(data)
        self.member.write(data)
        return len(data)


def build(version: ReportVersion, pdf: bytes, signature: str) -> IO[bytes]:
    """The package as an anonymous temporary file, rewound; ``pdf`` is the version's PDF as it is shown."""
    # Handed to the caller open (the download's response closes it); closed here only if writing fails.
    target = tempfile.TemporaryFile()  # noqa: SIM115
    try:
        _write(_Package(target), version, pdf, signature)
    except BaseException:
        target.close()
        raise
    target.seek(0)
    return target


def _write(package: _Package, version: ReportVersion, pdf: bytes, signature: str) -> None:
    association = version.association
    end = version.period_end
    start, _year_end = statements.fiscal_year(association, end)
    package.add(f"{board.filename(version.kind, association, end)}.pdf", pdf)
    period = documents.Period(start, end)
    for name, kind in STATEMENTS.items():
        if kind == "income-statement" and version.kind == ReportVersion.Kind.ANNUAL:
            kind = "income-statement-annual"
        try:
            gathered = documents.gather(kind, association, period)
        except documents.ReportUnavailable as error:
            package.missing.append(f"{name}.xlsx: {error}")
            continue
        package.add(f"{name}.xlsx", documents.render(gathered, "xlsx"))
    ledger = f"huvudbok-{association.slug}-{start.year}.se"
    if sie_export.in_force(association, start):
        package.stream(ledger, lambda out: sie_export.write_year(association, start, out, signature))
    else:
        package.missing.append(f"{ledger}: " + _("ingen bokföring är importerad för räkenskapsåret"))
    package.add(f"importhistorik-{start.year}.xlsx", _import_history(association, start))
    package.add(f"andringslogg-{start.year}.xlsx", _change_log(association, start))
    package.close(f"{association.name}: {version} ({timezone.localdate().isoformat()})")


def _xlsx(title: str, header: list[str], rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    append_row(sheet, header)
    for row in rows:
        append_row(sheet, row)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _import_history(association: Association, start: dt.date) -> bytes:
    """Every SIE import of the fiscal year, replaced ones too."""
    imports = LedgerImport.objects.filter(association=association, year_start=start).order_by("imported_at")
    header = [
        _("Importerad"),
        _("Fil"),
        _("SHA-256"),
        _("Storlek (byte)"),
        _("Importerad av"),
        _("Program"),
        _("Exporterad"),
        _("SIE-typ"),
        _("Räkenskapsårets början"),
        _("Räkenskapsårets slut"),
        _("Verifikationer"),
        _("Rader"),
        _("Gäller"),
    ]
    rows: list[list[object]] = [
        [
            timezone.localtime(i.imported_at).replace(tzinfo=None),
            i.filename,
            i.sha256,
            i.size,
            i.actor,
            i.program,
            i.generated,
            i.sie_type,
            i.year_start,
            i.year_end,
            i.vouchers,
            i.rows,
            _("Ja") if i.in_force else _("Ersatt"),
        ]
        for i in imports
    ]
    return _xlsx(_("Importhistorik"), header, rows)


def _change_log(association: Association, start: dt.date) -> bytes:
    """The association's audit trail from the fiscal year's first day to the download (what was changed in
    the year, and in its books and reports after it), oldest first; values as JSON text."""
    since = timezone.make_aware(dt.datetime.combine(start, dt.time()))
    entries = AuditEntry.objects.filter(association=association, at__gte=since).order_by("at", "id")
    header = [_("Tidpunkt"), _("Utförd av"), _("Källa"), _("Händelse"), _("Post"), _("Före"), _("Efter")]
    rows: list[list[object]] = [
        [
            timezone.localtime(e.at).replace(tzinfo=None),
            e.actor,
            e.source,
            e.description,
            e.object_repr,
            _json(e.before),
            _json(e.after),
        ]
        for e in entries.iterator()
    ]
    return _xlsx(_("Ändringslogg"), header, rows)


def _json(value: object) -> str:
    return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)
