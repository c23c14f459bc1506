"""`finsam backup FILE` and `finsam restore FILE` (docs/backup.md, ADR 0015).

An archive holds a consistent snapshot of the database (`database.py`: SQLite's online backup, `pg_dump` for
PostgreSQL), every file of the data dir that cannot be made again, the key files of the pseudonyms and
sealed personnummer and the folder of the associations' signing keys, with a manifest of their SHA-256 sums
(`archive.py`); with a passphrase in the environment it is sealed as a whole (`sealing.py`).

What the data dir holds that is made again or is only passing through is left out: the SQLite database (its
snapshot goes in instead), the collected static files, and the folders the apps declare here from their app
config's `ready()` with `transient()` (an import's spooled upload, say), so that this package never imports
the apps above it.
"""

from __future__ import annotations

TRANSIENT: set[str] = set()  # names of folders directly under the data dir that a backup leaves out


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why (in Swedish) and nothing was changed,
    unless it says otherwise."""


def transient(folder: str) -> None:
    """Declare a folder directly under the data dir whose files only pass through: backups leave it out."""
    TRANSIENT.add(folder)
