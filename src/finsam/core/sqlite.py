"""The embedded SQLite database and its WAL are private to the user finsam runs as.

The umask set in the settings makes every new file 0600; this also tightens a database that an older finsam
created with the umask it was started with (0644 under the usual 022), on every new connection.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

SUFFIXES = ("", "-wal", "-shm", "-journal")


def make_private(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Receiver of connection_created: chmod 0600 the SQLite file and its companions (others untouched)."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():  # type: ignore[attr-defined]
        return
    name = str(connection.settings_dict["NAME"])
    for suffix in SUFFIXES:
        path = Path(name + suffix)
        try:
            if path.stat().st_mode & 0o077:
                path.chmod(0o600)
        except FileNotFoundError:
            continue
