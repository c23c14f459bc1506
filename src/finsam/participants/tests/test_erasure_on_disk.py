"""Erasure leaves nothing readable in the database's files, whatever the platform's defaults.

The attack this replays: after `erase_expired` no key was left in the SQLite file only because this platform's
SQLite is built to overwrite deleted rows (SQLITE_SECURE_DELETE); built without it, as SQLite's own default
is, the erased rows stayed in the file's free pages. On PostgreSQL they stayed in dead tuples.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from finsam import testing
from finsam.core.tests.test_cli import finsam
from finsam.participants.models import Episode, Rating, Referral
from finsam.participants.tests.factories import episode, referral
from finsam.privacy.identity import (
    InvalidPersonalNumber,
    Pseudonymiser,
    load_or_create_key,
    parse_personal_number,
)
from finsam.testdata import EXAMPLES

HEADER = (
    "insats;deltagare;kön;födelseår;kommun;remittent;remissdatum;inskrivningsdatum;avslutsdatum;avslutsorsak;"
    "försörjning_före;försörjning_efter;år_med_offentlig_försörjning"
)


def _valid_numbers(count: int) -> list[str]:
    """Valid personnummer of people born on 1 January 1970."""
    found: list[str] = []
    for serial in range(101, 1000):
        for check in "0123456789":
            text = f"19700101-{serial}{check}"
            try:
                parse_personal_number(text)
            except InvalidPersonalNumber:
                continue
            found.append(text)
        if len(found) == count:
            return found
    raise AssertionError("not enough numbers")


# Loaded by every Python process started with it on PYTHONPATH: each SQLite connection starts as on a platform
# whose SQLite keeps deleted rows in the file, so that what finsam sets itself is what is tested.
PLATFORM_WITHOUT_SECURE_DELETE = """\
import sqlite3.dbapi2

_connect = sqlite3.dbapi2.connect


def connect(*args, **kwargs):
    made = _connect(*args, **kwargs)
    made.execute("PRAGMA secure_delete=OFF")
    return made


sqlite3.dbapi2.connect = connect
"""


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir set up with the worked example's association, on a platform whose SQLite keeps what it
    deletes unless told otherwise."""
    platform = tmp_path / "platform"
    platform.mkdir()
    (platform / "sitecustomize.py").write_text(PLATFORM_WITHOUT_SECURE_DELETE, encoding="utf-8")
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(platform), os.environ.get("PYTHONPATH")]))
    )
    data = tmp_path / "data"
    made = finsam(data, "setup", str(EXAMPLES / "organisation.yaml"))
    assert made.returncode == 0, made.stderr
    return data


def _on_disk(data_dir: Path) -> bytes:
    return b"".join(
        path.read_bytes()
        for suffix in ("", "-wal", "-shm")
        if (path := data_dir / f"finsam.sqlite3{suffix}").exists()
    )


def test_erased_keys_are_nowhere_in_the_sqlite_files(data_dir: Path) -> None:
    numbers = _valid_numbers(20)
    own_keys = [f"GALLRA-{n:04d}" for n in range(20)]
    expired = "kvinna;1970;Askeby;kommun;2012-01-02;2012-01-16;2012-06-30;arbete;;;"
    ongoing = "man;1980;Askeby;kommun;2024-01-02;2024-01-16;;;;;"
    rows = [f"STEG;{key};{expired}" for key in numbers + own_keys]
    rows += [f"STEG;BEHALL-{n:04d};{ongoing}" for n in range(5)]
    source = data_dir.parent / "deltagare.csv"
    source.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    imported = finsam(data_dir, "import", "participants", str(source), "--association", "exempel")
    assert imported.returncode == 0, imported.stderr

    pseudonyms = Pseudonymiser(load_or_create_key(data_dir / "pseudonym-key"), "association:exempel")
    erased = [key.encode() for key in own_keys]
    erased += [pseudonyms.pseudonym(parse_personal_number(n)).encode() for n in numbers]
    erased += [pseudonyms.key_pseudonym(key).encode() for key in own_keys]
    kept = [pseudonyms.key_pseudonym(f"BEHALL-{n:04d}").encode() for n in range(5)]
    before = _on_disk(data_dir)
    assert all(key in before for key in erased + kept)  # the search would see them

    erasure = finsam(data_dir, "manage", "erase_expired")
    assert erasure.returncode == 0, erasure.stderr
    assert "gallrade 40 episoder och 40 remisser" in erasure.stdout
    after = _on_disk(data_dir)
    assert all(key in after for key in kept)
    found = [key.decode() for key in erased if key in after]
    assert not found, f"{len(found)} erased keys are still in the database's files, e.g. {found[0]}"
    wal = data_dir / "finsam.sqlite3-wal"
    assert not wal.exists() or wal.stat().st_size == 0


@pytest.mark.django_db(transaction=True)
def test_the_database_overwrites_what_erasure_deletes() -> None:
    """Each database in its own way: every SQLite connection overwrites what it deletes (the files are
    searched by the test above); PostgreSQL rewrites the erased tables after the erasure (VACUUM FULL)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete")
            assert cursor.fetchone() == (1,)
        return
    assert connection.vendor == "postgresql"
    assoc = testing.association("hemma")
    steg = testing.intervention(assoc, "STEG")
    old = episode(
        steg, "19121212-1212", enrolled=dt.date(2012, 1, 16), exited=dt.date(2012, 6, 30), reason="arbete"
    )
    referral(steg, "region", old.enrolled_on)
    tables = [model._meta.db_table for model in (Rating, Episode, Referral)]

    def files() -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT relname, relfilenode FROM pg_class WHERE relname = ANY(%s)", [tables])
            return dict(cursor.fetchall())

    before = files()
    call_command("erase_expired", stdout=io.StringIO())
    assert not Episode.objects.exists() and not Referral.objects.exists()
    after = files()
    # A new file for each table: the old one, with the erased rows in it, is gone (VACUUM FULL).
    assert sorted(after) == sorted(tables)
    assert all(after[table] != before[table] for table in tables), (before, after)
