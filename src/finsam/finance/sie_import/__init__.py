"""`finsam import sie`: an SIE file into the association's ledger, all or nothing.

A full export (one with opening balances or period balances, as type 4E, 2 and 3 files are) replaces every
earlier import of the same fiscal year in one transaction; an import file without balances (4I) adds its
vouchers, but never one whose series and number are already in force for the year; a full export older (#GEN)
than an import in force is refused. The same file twice, or a full export giving exactly the books in force,
changes nothing. Every import is kept in the history with its file hash and a summary of what it changed.
Vouchers define the outcome; a file without vouchers gives it through its period balances (#PSALDO), dated the
last day of each month, so a ledger that exports only balances still gives statements.

The file is read (reading.py) into an import not yet in force, checked (checks.py) and stored
(storing.py); :func:`decide` then says whether it replaces the year's books, adds to them or leaves them
unchanged, and what the import says is worded in messages.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from django.db import transaction

from finsam.core.audit import Actor, record
from finsam.core.imports import ImportResult
from finsam.finance.models import LedgerImport
from finsam.finance.sie_import import messages, storing
from finsam.finance.sie_import.checks import check_against_books, check_unbalanced, check_year
from finsam.finance.sie_import.reading import Progress, Reading, file_hash, read_file
from finsam.organisation.models import Association
from finsam.sie import SieErrors


class Decision(Enum):
    """What a file that passed every check does to the books of its fiscal year."""

    REPLACE = "replace"  # a full export: it replaces every import in force for the year
    ADD = "add"  # a file without balances: its vouchers join those in force
    UNCHANGED = "unchanged"  # a full export giving exactly the books in force: nothing changes


@dataclass
class Staged:
    """A file read, checked and stored under an import not yet in force, beside the imports in force for its
    fiscal year (``previous``)."""

    path: Path
    association: Association
    reading: Reading
    source: LedgerImport
    previous: list[LedgerImport]
    start: dt.date
    end: dt.date


def import_file(
    path: Path, association: Association, actor: Actor, *, on_progress: Progress | None = None
) -> ImportResult:
    sha, size = file_hash(path)
    if LedgerImport.objects.filter(association=association, sha256=sha, in_force=True).exists():
        return messages.already_imported()
    try:
        with transaction.atomic():
            staged = _stage(path, association, actor, sha, size, on_progress)
            decision = decide(staged)
            if decision is Decision.UNCHANGED:
                transaction.set_rollback(True)  # what was staged goes; the import in force stays as it was
                return messages.unchanged_books(staged.previous, staged.start, staged.end)
            return _apply(staged, decision, actor)
    except SieErrors as errors:
        raise messages.reader_rejected(path, errors) from None


def decide(staged: Staged) -> Decision:
    """Replace, add or leave unchanged: a file without balances adds; a full export replaces, unless it gives
    exactly the ledger rows, balances and account names of the imports in force."""
    if not staged.reading.full_export:
        return Decision.ADD
    if (
        staged.previous
        and storing.same_books(staged.source, staged.previous)
        and not storing.accounts_differ(staged.association, staged.reading)
    ):
        return Decision.UNCHANGED
    return Decision.REPLACE


def _stage(
    path: Path, association: Association, actor: Actor, sha: str, size: int, on_progress: Progress | None
) -> Staged:
    """Read the file into an import not yet in force and check it; raises ImportRejected naming every
    problem, or SieErrors for the lines the reader refused."""
    source = storing.new_source(path, association, actor, sha, size)
    reading = read_file(path, source, size, on_progress)
    start, end = check_year(path, reading, association)
    previous = storing.in_force(association, start, source)
    check_against_books(path, reading, source, previous, start)
    storing.store_period_rows(reading, source)
    storing.store_balances(reading, source, start)
    return Staged(path, association, reading, source, previous, start, end)


def _apply(staged: Staged, decision: Decision, actor: Actor) -> ImportResult:
    """Put the staged import in force, retire what it replaces, and record it in the audit trail."""
    path, association, reading, source = staged.path, staged.association, staged.reading, staged.source
    storing.store_accounts(association, reading.accounts)
    replaced = staged.previous if decision is Decision.REPLACE else []
    changed = storing.changed_accounts(storing.summary_of(replaced), storing.summary_by_account(source))
    warnings = storing.balance_warnings(source, staged.start)
    check_unbalanced(path, reading, source, staged.start, warnings)
    changes = {
        "replaced": [old.pk for old in replaced],
        "accounts_changed": changed,
        "balance_warnings": warnings,
        "unbalanced_vouchers": messages.unbalanced_vouchers(reading),
    }
    storing.put_in_force(source, reading, staged.start, staged.end, changes)
    storing.retire(replaced)
    record(
        actor,
        "ledger.import",
        source,
        association=association,
        after={
            "file": path.name,
            "sha256": source.sha256,
            "year": staged.start.isoformat(),
            "vouchers": reading.vouchers,
        },
    )
    details = messages.imported(reading, source, replaced, len(changed), warnings)
    return ImportResult(created=source.rows, deleted=sum(o.rows for o in replaced), details=details)
