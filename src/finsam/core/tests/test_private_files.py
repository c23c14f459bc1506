"""Everything finsam creates in its data dir is private to its user, whatever the umask (issue 13, hole 6).

The attack: with the usual umask 022 the database (sessions, password hashes, pseudonyms, the trail) was
0644 and the data dir and the upload spool 0755, readable by every local user.
"""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from finsam.core.tests.test_cli import finsam
from finsam.organisation.tests.test_orgfile import INTERFACES_EXAMPLE

# An upload spooled as the web import does it: while the upload streams in, the spool file's mode is printed
# (the import then runs, ends and removes the spool); and a participant file waiting for its confirmation.
SPOOL = """
import stat
from pathlib import Path
from django.conf import settings
from finsam.core.audit import Actor
from finsam.finance import jobs
from finsam.organisation.models import Association
from finsam.participants.imports import upload_folder

def chunks():
    yield b"konto;belopp\\n"
    for path in sorted((Path(settings.DATA_DIR) / "importer").rglob("*")):
        print("spool", stat.filemode(path.stat().st_mode))

jobs.start(Actor.command("test"), Association.objects.get(), "budget", "budget.csv", chunks())
(upload_folder() / "deltagare.csv").write_bytes(b"personnummer")
"""


def modes(data_dir: Path) -> dict[str, str]:
    found = {".": stat.filemode(data_dir.stat().st_mode)}
    for path in sorted(data_dir.rglob("*")):
        found[str(path.relative_to(data_dir))] = stat.filemode(path.lstat().st_mode)
    return found


def test_the_data_dir_and_all_in_it_are_private_under_umask_022(tmp_path: Path) -> None:
    data = tmp_path / "data"
    orgfile = tmp_path / "org.yaml"
    totals = "contributions: [{year: 2024, total: 1000000}]\n"
    orgfile.write_text(INTERFACES_EXAMPLE + totals, encoding="utf-8")
    printed = ""
    for args in (
        ("setup", str(orgfile)),
        ("manage", "shell", "-c", SPOOL),
        ("report", "contributions", "--association", "sodra-vatterbygden", "--date", "2024-12-31",
         "--format", "xlsx", "--output", str(data / "rapporter" / "medlemsbidrag.xlsx")),
    ):  # fmt: skip
        result = finsam(data, *args, umask=0o022)
        assert result.returncode == 0, result.stderr
        printed += result.stdout
    assert [line for line in printed.splitlines() if line.startswith("spool")] == [
        "spool drwx------",
        "spool -rw-------",
    ]

    found = modes(data)
    for name in ("finsam.sqlite3", "secret-key", "importer", "deltagarimport/deltagare.csv", "rapporter"):
        assert name in found, sorted(found)
    loose = {name: mode for name, mode in found.items() if mode not in ("drwx------", "-rw-------")}
    assert loose == {}


def test_a_database_left_open_by_an_older_finsam_is_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    database = data / "finsam.sqlite3"
    sqlite3.connect(database).close()
    database.chmod(0o644)
    result = finsam(data, "manage", "migrate", "--verbosity", "0", umask=0o022)
    assert result.returncode == 0, result.stderr
    assert stat.filemode(data.stat().st_mode) == "drwx------"
    assert stat.filemode(database.stat().st_mode) == "-rw-------"
