"""Writes of the finance app made from its pages; the imports and budget edits have their own modules
(sie_import, budget). Each is one transaction that leaves an audit entry."""

from __future__ import annotations

from finsam.core import services as core
from finsam.core.audit import Actor
from finsam.finance.models import StatementRow


def save_statement_row(actor: Actor, row: StatementRow) -> StatementRow:
    """A statement row and the accounts and objects it takes."""
    return core.save(actor, row, association=row.association)
