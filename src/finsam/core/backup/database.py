"""The database's part of a backup: a consistent snapshot into a file, and that file into an empty database.

SQLite: the online backup API copies the database in one step, inside one read transaction, so the copy is
the database as it was at one moment whatever other processes write meanwhile (WAL lets them go on).
PostgreSQL: `pg_dump` in its custom format, which dumps inside one repeatable-read transaction, restored with
`pg_restore` in a single transaction. Both programs are looked up on PATH, then in Debian's
/usr/lib/postgresql/*/bin (newest first); the connection is given to them in libpq's environment variables,
the password among them, never on their command line.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from finsam.core.backup import BackupError
from finsam.core.sqlite import SUFFIXES

# The archive member that holds the snapshot, by database vendor.
MEMBERS = {"sqlite": "database/finsam.sqlite3", "postgresql": "database/finsam.pgdump"}
VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The database settings and connection options libpq also reads from its environment.
LIBPQ = {"HOST": "PGHOST", "PORT": "PGPORT", "USER": "PGUSER", "PASSWORD": "PGPASSWORD", "NAME": "PGDATABASE"}
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
}
PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def vendor() -> str:
    if connection.vendor not in MEMBERS:
        raise BackupError(
            _("databasen av typen %(vendor)s kan inte säkerhetskopieras") % {"vendor": connection.vendor}
        )
    return connection.vendor


def sqlite_files() -> set[Path]:
    """The embedded database's file and its companions (none on PostgreSQL): the snapshot stands for them."""
    if connection.vendor != "sqlite":
        return set()
    name = str(settings.DATABASES["default"]["NAME"])
    return {Path(name + suffix).resolve() for suffix in SUFFIXES}


def snapshot(target: Path) -> None:
    """Write a consistent snapshot of the database to `target` (a new file)."""
    if vendor() == "sqlite":
        _sqlite_snapshot(target)
    else:
        _run("pg_dump", "--format=custom", "--compress=0", "--no-password", f"--file={target}")


def _sqlite_snapshot(target: Path) -> None:
    path = Path(settings.DATABASES["default"]["NAME"])
    if not path.is_file():
        raise BackupError(_("databasen %(path)s finns inte") % {"path": path})
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: one read transaction, one moment
        finally:
            copy.close()
    finally:
        source.close()


def table_count() -> int:
    """How many tables the database holds (0: empty, a restore may go there); an embedded database that is
    not there yet is not made by asking."""
    if connection.vendor == "sqlite" and not Path(settings.DATABASES["default"]["NAME"]).exists():
        return 0
    with connection.cursor() as cursor:
        return len(connection.introspection.table_names(cursor))


def check_snapshot(staged: Path, of_vendor: str) -> None:
    """Refuse a snapshot SQLite finds damaged, before it goes anywhere."""
    if of_vendor != "sqlite":
        return
    check = sqlite3.connect(f"{staged.resolve().as_uri()}?mode=ro", uri=True)
    try:
        result = check.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        result = [(str(error),)]
    finally:
        check.close()
    if result != [("ok",)]:
        raise BackupError(_("databasen i arkivet är skadad: %(result)s") % {"result": result[0][0]})


def restore(staged: Path) -> None:
    """Copy the snapshot into the (empty) database of this installation."""
    if vendor() == "sqlite":
        connection.close()
        source = sqlite3.connect(f"{staged.resolve().as_uri()}?mode=ro", uri=True)
        try:
            target = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            try:
                source.backup(target)
            finally:
                target.close()
        finally:
            source.close()
    else:
        name = str(settings.DATABASES["default"]["NAME"])
        _run(
            "pg_restore",
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-privileges",
            "--no-password",
            f"--dbname={name}",
            str(staged),
        )


def applied_migrations() -> list[str]:
    """The migrations applied to the database, as "app.name"."""
    applied = MigrationRecorder(connection).applied_migrations()
    return sorted(f"{app}.{name}" for app, name in applied)


def unknown_migrations(applied: list[str]) -> list[str]:
    """Those of `applied` this version of finsam does not have: the database is from a newer one."""
    known = {
        f"{app}.{name}" for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
    }
    return [name for name in applied if name not in known]


def migrate() -> list[str]:
    """Bring the database up to this version's migrations; returns those applied now."""
    before = set(applied_migrations())
    call_command("migrate", interactive=False, verbosity=0)
    return [name for name in applied_migrations() if name not in before]


def _tool(name: str) -> str:
    on_path = shutil.which(name)
    if on_path:
        return on_path

    def version(tool: str) -> int:  # /usr/lib/postgresql/15/bin/pg_dump → 15
        number = Path(tool).parent.parent.name
        return int(number) if number.isdigit() else 0

    found = sorted(glob.glob(f"{PG_BIN_GLOB}/{name}"), key=version, reverse=True)  # noqa: PTH207
    if not found:
        raise BackupError(
            _(
                "%(tool)s finns varken i PATH eller i %(folder)s: installera PostgreSQL:s klientprogram "
                "(Debian: postgresql-client) i samma version som servern eller nyare"
            )
            % {"tool": name, "folder": PG_BIN_GLOB}
        )
    return found[0]


def _environment() -> dict[str, str]:
    """libpq's environment for the database of the settings: the password goes here, never in arguments."""
    database: dict[str, Any] = dict(settings.DATABASES["default"])
    environment = dict(os.environ)
    for key, variable in LIBPQ.items():
        if database.get(key):
            environment[variable] = str(database[key])
    for option, variable in LIBPQ_OPTIONS.items():
        if option in database.get("OPTIONS", {}):
            environment[variable] = str(database["OPTIONS"][option])
    return environment


def _run(tool: str, *arguments: str) -> None:
    command = [_tool(tool), *arguments]
    result = subprocess.run(
        command, env=_environment(), capture_output=True, text=True, stdin=subprocess.DEVNULL, check=False
    )
    if result.returncode != 0:
        said = " ".join(result.stderr.split())[-1000:] or _("inget meddelande")
        raise BackupError(
            _("%(tool)s misslyckades (kod %(code)s): %(said)s")
            % {"tool": tool, "code": result.returncode, "said": said}
        )
