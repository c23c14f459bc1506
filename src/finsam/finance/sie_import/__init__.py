"""`finsam import sie`: an SIE file into the association's ledger, all or nothing.

A full export (one with opening balances or period balances, as type 4E, 2 and 3 files are) replaces every
earlier import of the same fiscal year in one transaction; an import file without balances (4I) adds its
vouchers, but never one whose series and number are already in force for the year; a full export older (#GEN)
than an import in force is refused. The same file twice, or a full export giving exactly the books in force,
changes nothing. Every import is kept in the history with its file hash and a summary of what it changed.
Vouchers define the outcome; a file without vouchers gives it through its period balances (#PSALDO), dated the
last day of each month, so a ledger that exports only balances still gives statements.

A file is never another organisation's books: an association without an organisation number takes the first
file's #ORGNR, and from then on a file with another number is refused. Every import says what it changes
(vouchers added, changed and removed; the year's result and equity before and after); asked to (``ask``, as
the web does), an import that would change a year already imported, or give the association its number,
stores nothing and raises :class:`NeedsConfirmation` with that summary, until it is run again with the
imports in force that the summary was made against (``seen``).

The file is read (reading.py) into an import not yet in force, checked (checks.py) and stored
(storing.py); :func:`decide` then says whether it replaces the year's books, adds to them or leaves them
unchanged, what it changes is worked out in changes.py, and what the import says is worded in messages.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from django.db import transaction

from finsam.core import services
from finsam.core.audit import Actor, record
from finsam.core.imports import ImportRejected, ImportResult
from finsam.finance import balances
from finsam.finance.models import LedgerImport
from finsam.finance.sie_import import changes, messages, storing
from finsam.finance.sie_import.checks import (
    check_against_books,
    check_unbalanced,
    check_year,
    org_number_to_take,
)
from finsam.finance.sie_import.reading import Progress, Reading, file_hash, nul_problem, read_file
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


class NeedsConfirmation(Exception):
    """The file would change a year already imported, or give the association its organisation number:
    nothing is stored. ``details`` says what would change; ``seen`` names the imports in force it was
    worked out against, for the run that confirms it."""

    def __init__(self, details: list[str], seen: list[int]) -> None:
        super().__init__("; ".join(details))
        self.details = details
        self.seen = seen


def import_file(
    path: Path,
    association: Association,
    actor: Actor,
    *,
    on_progress: Progress | None = None,
    ask: bool = False,
    seen: list[int] | None = None,
) -> ImportResult:
    """Import the file. With ``ask``, a change to a year already imported or a new organisation number raises
    :class:`NeedsConfirmation` unless ``seen`` names exactly the imports in force that the change was shown
    against (the books changed meanwhile: the new change is shown again)."""
    sha, size, nul = file_hash(path)
    if nul is not None:
        raise ImportRejected(str(path), [nul_problem(path, nul)])
    if LedgerImport.objects.filter(association=association, sha256=sha, in_force=True).exists():
        return messages.already_imported()
    try:
        with transaction.atomic():
            staged = _stage(path, association, actor, sha, size, on_progress)
            decision = decide(staged)
            if decision is Decision.UNCHANGED:
                transaction.set_rollback(True)  # what was staged goes; the import in force stays as it was
                return messages.unchanged_books(staged.previous, staged.start, staged.end)
            in_force = sorted(old.pk for old in staged.previous)
            org_number = org_number_to_take(staged.reading, association)
            end, rows = staged.end, staged.reading.totals.rows
            before = changes.year_end(association, end) if staged.previous else None
            replaces = decision is Decision.REPLACE
            named = staged.reading.named_vouchers
            vouchers = changes.voucher_changes(staged.source, rows, named, staged.previous, replaces)
            result = _apply(staged, decision, actor, org_number)
            summary = changes.describe(
                vouchers,
                before,
                changes.year_end(association, end),
                end,
                org_number,
                staged.reading.company_name,
            )
            if ask and (staged.previous or org_number) and seen != in_force:
                raise NeedsConfirmation(summary, in_force)  # leaving the transaction undoes the import
            result.details[1:1] = summary
            return result
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
    storing.derive_opening(reading, source, start)
    return Staged(path, association, reading, source, previous, start, end)


def _apply(staged: Staged, decision: Decision, actor: Actor, org_number: str | None) -> ImportResult:
    """Put the staged import in force, retire what it replaces, give the association the file's organisation
    number when it has none, and record it all in the audit trail."""
    path, association, reading, source = staged.path, staged.association, staged.reading, staged.source
    if org_number:
        # A copy: the caller's object keeps its state when the transaction is undone.
        services.save(actor, _with_org_number(association, org_number), association=association)
    storing.store_accounts(association, reading.accounts)
    replaced = staged.previous if decision is Decision.REPLACE else []
    summary = storing.summary_by_account(reading.totals)
    changed = storing.changed_accounts(storing.summary_of(replaced), summary)
    warnings = storing.balance_warnings(source, reading.totals, staged.start)
    check_unbalanced(path, reading, source, staged.start, warnings)
    changes = {
        "replaced": [old.pk for old in replaced],
        "accounts_changed": changed,
        "balance_warnings": warnings,
        "unbalanced_vouchers": messages.unbalanced_vouchers(reading),
    }
    storing.put_in_force(source, reading, staged.start, staged.end, changes)
    storing.retire(replaced)
    if decision is Decision.REPLACE:
        balances.forget_year(association, staged.start)
    balances.add_import(source, reading.totals.by_month())
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


def _with_org_number(association: Association, org_number: str) -> Association:
    fresh = Association.objects.get(pk=association.pk)
    fresh.org_number = org_number
    return fresh
