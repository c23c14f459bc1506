"""`finsam backup` and `finsam restore` as an operator runs them: subprocesses on data dirs of their own, the
demo with a locked annual report and a Word template as the data, restored into an empty data dir and an
empty database. The SQLite tests run in the SQLite run of scripts/test, the PostgreSQL test in its PostgreSQL
run (on a second and third database of the same cluster)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from finsam.conftest import new_database
from finsam.core.backup.sealing import MAGIC

ON_POSTGRESQL = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
# The SQLite installations of these tests are the same in the PostgreSQL run: scripts/test runs them once.
sqlite_only = pytest.mark.sqlite
PASSPHRASE = "korrekt häst batteri häftklammer"
SENSITIVE = "den är lika känslig som databasen"
OWN = ("FINSAM_", "DATABASE_URL", "DJANGO_SETTINGS_MODULE")


@dataclass(frozen=True)
class Installation:
    data_dir: Path
    env: dict[str, str]

    def run(self, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            capture_output=True,
            text=True,
            env={**self.env, **variables},
            timeout=600,
            check=False,
        )

    def finsam(self, *args: str, **variables: str) -> subprocess.CompletedProcess[str]:
        return self.run("-m", "finsam", *args, **variables)

    def ok(self, *args: str, **variables: str) -> str:
        result = self.finsam(*args, **variables)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def state(self) -> dict[str, Any]:
        result = self.run("-m", "finsam.core.tests.backup_probe", "state")
        assert result.returncode == 0, result.stderr
        return dict(json.loads(result.stdout))

    def files(self) -> dict[str, str]:
        """The data dir's files but the database's, by path: their SHA-256."""
        return {
            path.relative_to(self.data_dir).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.data_dir.rglob("*"))
            if path.is_file() and not path.name.startswith("finsam.sqlite3")
        }


def installed(data_dir: Path, database_url: str | None = None, **variables: str) -> Installation:
    """An installation in data_dir (empty until a command runs), on SQLite unless given a database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(OWN)}
    env.update(FINSAM_DATA_DIR=str(data_dir), FINSAM_ENV="dev", **variables)
    if database_url:
        env["DATABASE_URL"] = database_url
    return Installation(data_dir, env)


def demo_with_a_locked_report(source: Installation) -> dict[str, Any]:
    source.ok("demo", "--no-serve")
    locked = source.run("-m", "finsam.core.tests.backup_probe", "lock")
    assert locked.returncode == 0, locked.stderr
    state = source.state()
    assert len(state["locked"]) == 5 and state["integrity"] in ("ok", None)
    assert state["reports"]["annual-report finnveden 2023-01-01–2023-12-31"].startswith("{")
    return state


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> tuple[Installation, dict[str, Any]]:
    """The demo on SQLite with Finnveden's annual report 2023 locked, and the state it reports."""
    folder = tmp_path_factory.mktemp("source")
    built = installed(folder / "data", FINSAM_IDENTITY_KEY_FILE=str(folder / "keys" / "identity-key"))
    return built, demo_with_a_locked_report(built)


@pytest.fixture(scope="module")
def sealed(source: tuple[Installation, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of the source sealed with the passphrase (given in a file, with its line break)."""
    folder = tmp_path_factory.mktemp("backups")
    (folder / "passphrase").write_text(PASSPHRASE + "\n", encoding="utf-8")
    archive = folder / "finsam.backup"
    result = source[0].finsam(
        "backup", str(archive), FINSAM_BACKUP_PASSPHRASE_FILE=str(folder / "passphrase")
    )
    assert result.returncode == 0, result.stderr
    assert SENSITIVE in result.stderr and "krypteras med lösenfrasen" in result.stderr
    assert "krypterad" in result.stdout and "SQLite" in result.stdout
    return archive


def refused(target: Installation, archive: Path, expected: str, **variables: str) -> None:
    """The restore exits 1 naming the problem, and leaves the data dir as it was."""
    before = target.files()
    result = target.finsam("restore", str(archive), **variables)
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stderr
    after = target.files()
    if "secret-key" not in before:
        after.pop("secret-key", None)  # what the start of any finsam command makes in a new data dir
    assert after == before


@sqlite_only
def test_a_sealed_backup_restores_every_report_and_locked_file(
    source: tuple[Installation, dict[str, Any]], sealed: Path, tmp_path: Path
) -> None:
    original, state = source
    assert sealed.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in sealed.parent.iterdir()) == ["finsam.backup", "passphrase"]  # no temporary
    assert sealed.read_bytes().startswith(MAGIC)

    keys = tmp_path / "keys-elsewhere"
    target = installed(tmp_path / "data", FINSAM_IDENTITY_KEY_FILE=str(keys / "identity-key"))
    said = target.ok("restore", str(sealed), FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)
    assert "Databasen migrerades" in said

    restored = target.state()
    assert restored["integrity"] == "ok"
    assert restored["locked"] == state["locked"]  # every locked file byte for byte
    assert restored == state  # and every report kind of the demo gives the same JSON
    report = ("report", "annual-report", "--association", "finnveden", "--date", "2023-12-31")
    assert target.ok(*report) == original.ok(*report)

    assert (
        target.files() == original.files()
    )  # templates, written reports, the pseudonyms' key, the secret key
    assert (keys / "identity-key").read_bytes() == Path(original.env["FINSAM_IDENTITY_KEY_FILE"]).read_bytes()
    assert (keys / "identity-key").stat().st_mode & 0o777 == 0o600


@sqlite_only
def test_a_sealed_archive_opens_only_whole_and_with_its_passphrase(sealed: Path, tmp_path: Path) -> None:
    target = installed(tmp_path / "data")
    refused(target, sealed, "fel lösenfras", FINSAM_BACKUP_PASSPHRASE="fel fras")
    refused(target, sealed, "arkivet är krypterat: ange lösenfrasen")
    content = sealed.read_bytes()
    changed = tmp_path / "changed.backup"
    middle = len(content) // 2
    changed.write_bytes(content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :])
    refused(target, changed, "klarar inte autentiseringen", FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)
    cut = tmp_path / "cut.backup"
    cut.write_bytes(content[: len(content) - 2**16 - 100])  # the last chunk gone and part of the one before
    refused(target, cut, "klarar inte autentiseringen", FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)
    assert sorted(p.name for p in target.data_dir.iterdir()) == ["secret-key"]  # what any start makes


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar if m.isfile()}  # type: ignore[union-attr]


def _archive(path: Path, members: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tar:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    return path


@sqlite_only
def test_an_archive_holds_the_snapshot_the_files_and_the_keys_with_their_sums(
    source: tuple[Installation, dict[str, Any]], tmp_path: Path
) -> None:
    original, _state = source
    passing = ("importer/7-huvudbok.se", "deltagarimport/a.csv", "static/finsam/finsam.css")
    for name in passing:
        (original.data_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (original.data_dir / name).write_text("made again, or only passing through")
    archive = tmp_path / "finsam.tar.gz"
    result = original.finsam("backup", str(archive))
    for name in passing:
        (original.data_dir / name).unlink()
    assert result.returncode == 0, result.stderr
    assert SENSITIVE in result.stderr and "Den krypteras inte" in result.stderr

    members = _members(archive)
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["format"] == "finsam-backup" and manifest["format_version"] == 2
    assert (
        manifest["database"]["vendor"] == "sqlite"
        and "core.0001_initial" in manifest["database"]["migrations"]
    )
    assert manifest["finsam_version"] and manifest["created_at"]
    assert manifest["members"] == {
        name: {"sha256": hashlib.sha256(content).hexdigest(), "size": len(content)}
        for name, content in members.items()
    }
    data = {name.removeprefix("data/") for name in members if name.startswith("data/")}
    assert data == set(original.files()) - {
        "pseudonym-key"
    }  # the keys go under keys/, wherever the settings put them
    assert "mallar/finnveden.docx" in data and "rapporter/arsredovisning-finnveden-2023.pdf" in data
    assert {name for name in members if not name.startswith("data/")} == {
        "database/finsam.sqlite3",
        "keys/pseudonym-key",
        "keys/identity-key",
    }

    target = installed(tmp_path / "data")
    template = members["data/mallar/finnveden.docx"]
    changed = {**members, "data/mallar/finnveden.docx": template[:-1] + bytes([template[-1] ^ 1])}
    changed["manifest.json"] = json.dumps(manifest).encode()
    refused(
        target,
        _archive(tmp_path / "changed.tar.gz", changed),
        "kontrollsumman för data/mallar/finnveden.docx",
    )
    extra = {**members, "data/extra": b"x", "manifest.json": json.dumps(manifest).encode()}
    refused(target, _archive(tmp_path / "extra.tar.gz", extra), "data/extra står inte i förteckningen")

    other = dict(manifest, database={**manifest["database"], "vendor": "postgresql"})
    other["members"] = {
        ("database/finsam.pgdump" if n == "database/finsam.sqlite3" else n): v
        for n, v in manifest["members"].items()
    }
    renamed = {
        ("database/finsam.pgdump" if n == "database/finsam.sqlite3" else n): c for n, c in members.items()
    }
    renamed["manifest.json"] = json.dumps(other).encode()
    refused(target, _archive(tmp_path / "other.tar.gz", renamed), "av en databas av typen PostgreSQL")

    newer = dict(manifest, database={**manifest["database"], "migrations": ["core.9999_future"]})
    later = {**members, "manifest.json": json.dumps(newer).encode()}
    refused(target, _archive(tmp_path / "newer.tar.gz", later), "från en nyare finsam")

    restored = target.ok("restore", str(archive))
    assert "återställde" in restored
    assert not (target.data_dir / "importer").exists() and not (target.data_dir / "static").exists()


@sqlite_only
def test_a_restore_goes_only_into_an_empty_data_dir_and_database(sealed: Path, tmp_path: Path) -> None:
    with_files = installed(tmp_path / "files")
    (with_files.data_dir / "rapporter").mkdir(parents=True)
    (with_files.data_dir / "rapporter" / "egen.pdf").write_bytes(b"%PDF-1.7")
    refused(with_files, sealed, "datakatalogen", FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)
    assert (with_files.data_dir / "rapporter" / "egen.pdf").read_bytes() == b"%PDF-1.7"

    migrated = installed(tmp_path / "database")
    migrated.ok("manage", "migrate", "--verbosity", "0")
    result = migrated.finsam("restore", str(sealed), FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)
    assert result.returncode == 1
    assert "databasen är inte tom" in result.stderr and "inget har ändrats" in result.stderr


def sie_year(path: Path, vouchers: int) -> Path:
    """Finnveden's 2024 as an SIE file of many vouchers: an import that takes a while."""
    template = Path(__file__).resolve().parents[2] / "demo" / "data" / "sie" / "finnveden-2023.se"
    kept = (
        "#FLAGGA",
        "#PROGRAM",
        "#FORMAT",
        "#GEN",
        "#SIETYP",
        "#FNAMN",
        "#ORGNR",
        "#DIM",
        "#OBJEKT",
        "#KONTO",
    )
    lines = [line for line in template.read_bytes().decode("cp437").splitlines() if line.startswith(kept)]
    lines.append("#RAR 0 20240101 20241231")
    for number in range(1, vouchers + 1):
        day = f"2024{1 + number % 12:02d}{1 + number % 28:02d}"
        lines += [f'#VER A {number} {day} "Rad {number}" 20250110', "{"]
        lines += [f"   #TRANS 1930 {{}} {number}.00", f"   #TRANS 3990 {{}} -{number}.00", "}"]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp437"))
    return path


@sqlite_only
@pytest.mark.slow
def test_a_backup_taken_while_an_import_runs_restores_consistent(sealed: Path, tmp_path: Path) -> None:
    busy = installed(tmp_path / "busy")
    busy.ok("restore", str(sealed), FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)
    before = busy.state()
    assert "2024-01-01" not in before["ledger_rows"]
    ledger = sie_year(tmp_path / "finnveden-2024.se", 150_000)  # stored long enough for whole backups

    database = sqlite3.connect(busy.data_dir / "finsam.sqlite3", timeout=0, isolation_level=None)

    def writing() -> bool:
        """Whether a write transaction holds the database (SQLite lets one writer in at a time)."""
        try:
            database.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:
            return True
        database.execute("ROLLBACK")
        return False

    command = [sys.executable, "-m", "finsam", "import", "sie", str(ledger), "--association", "finnveden"]
    importing = subprocess.Popen(
        command, env=busy.env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    while importing.poll() is None and not writing():
        time.sleep(0.05)  # the import reads and checks the whole file before it stores anything
    archives: list[tuple[Path, bool]] = []  # and whether the import was storing before and after the backup
    while not archives or importing.poll() is None:  # backups one after another while the import runs
        archive = tmp_path / f"during-{len(archives)}.tar.gz"
        before_backup = writing()
        busy.ok("backup", str(archive))
        archives.append((archive, before_backup and writing()))
    database.close()
    assert importing.wait() == 0, importing.communicate()
    after = busy.state()
    assert after["ledger_rows"]["2024-01-01"] == 300_000 and after != before
    assert any(inside for _archive, inside in archives), "no backup ran inside the import's transaction"

    first_inside = next(number for number, (_archive, inside) in enumerate(archives) if inside)
    for number, (archive, inside) in enumerate([archives[first_inside], archives[-1]]):
        target = installed(tmp_path / f"restored-{number}")
        target.ok("restore", str(archive))
        restored = target.state()
        assert restored["integrity"] == "ok"
        # The import wholly or not at all, and the reports as they were at that moment; a snapshot taken while
        # the import was storing has none of it.
        assert restored == before if inside else restored in (before, after)


@pytest.fixture
def two_databases() -> Iterator[tuple[str, str]]:
    """Two new empty databases on the cluster of DATABASE_URL, dropped afterwards."""
    if not ON_POSTGRESQL:
        pytest.fail("run with DATABASE_URL: the test restores into a second database of its cluster")
    url = os.environ["DATABASE_URL"]
    prefix = f"finsam_backup_{uuid.uuid4().hex[:8]}"
    with new_database(url, f"{prefix}_source") as source, new_database(url, f"{prefix}_target") as target:
        yield source, target


@pytest.mark.postgresql
@pytest.mark.slow
def test_a_postgresql_backup_restores_into_another_empty_database(
    two_databases: tuple[str, str], tmp_path: Path
) -> None:
    source_url, target_url = two_databases
    source = installed(tmp_path / "source", source_url)
    state = demo_with_a_locked_report(source)
    archive = tmp_path / "finsam.backup"
    started = time.monotonic()
    said = source.ok("backup", str(archive), FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)
    assert "PostgreSQL" in said and time.monotonic() - started < 120
    refused(installed(tmp_path / "sqlite"), archive, "typen PostgreSQL", FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)

    target = installed(tmp_path / "target", target_url)
    target.ok("restore", str(archive), FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)
    restored = target.state()
    assert restored["locked"] == state["locked"]
    assert restored == state
    assert target.files() == source.files()

    again = target.finsam("restore", str(archive), FINSAM_BACKUP_PASSPHRASE=PASSPHRASE)
    assert again.returncode == 1 and "databasen är inte tom" in again.stderr
