"""Writing a backup archive and restoring one (the layout is in docs/backup.md).

The archive is a gzip-compressed tar of regular files only:

    database/finsam.sqlite3 or database/finsam.pgdump   the snapshot (database.py)
    data/…                                             the data dir's files, at their paths under it
    keys/pseudonym-key, keys/identity-key              the key files, wherever the settings put them
    keys/signeringsnycklar/<slug>.ed25519              the associations' signing keys (ADR 0028), likewise
    manifest.json                                      last: the format, finsam's version, the database,
                                                       the migrations applied, each member's SHA-256 and size

A restore unpacks into a private folder inside the data dir, checks every member against the manifest (and
every chunk of a sealed archive, sealing.py) and the target's emptiness, and only then puts anything in place.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any, BinaryIO, cast

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

import finsam
from finsam.core.audit import Actor
from finsam.core.backup import TRANSIENT, BackupError, database
from finsam.core.backup.sealing import MAGIC, OpeningReader, SealingWriter, is_sealed
from finsam.core.models import AuditEntry
from finsam.core.uploads import size_text

FORMAT = "finsam-backup"
FORMAT_VERSION = 2  # 2: the signing keys under keys/signeringsnycklar/ (in 1 under data/ if anywhere)
MANIFEST = "manifest.json"
MAX_MANIFEST = 16 * 1024 * 1024
# The key files kept outside the database, by their name in the archive and the setting that places them.
KEYS = {"pseudonym-key": "PSEUDONYM_KEY_FILE", "identity-key": "IDENTITY_KEY_FILE"}
# The folders of key files, likewise: each file in them is a key (the associations' signing keys).
KEY_FOLDERS = {"signeringsnycklar": "NATIONAL_KEY_DIR"}
# Made by finsam on any start without SECRET_KEY in the environment: an empty data dir may hold it, and the
# archive's replaces it.
GENERATED = frozenset({"secret-key"})
PASSPHRASE = "FINSAM_BACKUP_PASSPHRASE"
PASSPHRASE_FILE = "FINSAM_BACKUP_PASSPHRASE_FILE"
COPY_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class Written:
    path: Path
    files: int  # members besides the snapshot and the manifest
    size: int  # bytes of the archive
    vendor: str
    sealed: bool

    def summary(self) -> str:
        values = {
            "path": self.path,
            "vendor": database.VENDOR_NAMES[self.vendor],
            "files": self.files,
            "size": size_text(self.size),
        }
        if self.sealed:
            return (
                _("skrev %(path)s (krypterad, %(size)s): databasen (%(vendor)s) och %(files)s filer") % values
            )
        return _("skrev %(path)s (okrypterad, %(size)s): databasen (%(vendor)s) och %(files)s filer") % values


@dataclass(frozen=True)
class Restored:
    files: int
    vendor: str
    created_at: str
    finsam_version: str
    migrated: list[str]  # migrations applied after the restore, the backup being older than this finsam

    def summary(self) -> str:
        restored = _(
            "återställde säkerhetskopian från %(created_at)s (finsam %(version)s): databasen (%(vendor)s) "
            "och %(files)s filer."
        ) % {
            "created_at": self.created_at,
            "version": self.finsam_version,
            "vendor": database.VENDOR_NAMES[self.vendor],
            "files": self.files,
        }
        if self.migrated:
            migrated = _(
                "Databasen migrerades till den här versionen av finsam: %(count)s nya migreringar "
                "(säkerhetskopian var äldre)."
            ) % {"count": len(self.migrated)}
        else:
            migrated = _(
                "Databasen migrerades: säkerhetskopian hade redan den här versionens alla migreringar."
            )
        return f"{restored}\n{migrated}"


def passphrase() -> str | None:
    """The passphrase from the environment: FINSAM_BACKUP_PASSPHRASE, or the file that
    FINSAM_BACKUP_PASSPHRASE_FILE names (its trailing line break dropped); None when neither is set."""
    direct, named = os.environ.get(PASSPHRASE), os.environ.get(PASSPHRASE_FILE)
    if direct is not None and named is not None:
        raise BackupError(_("sätt %(a)s eller %(b)s, inte båda") % {"a": PASSPHRASE, "b": PASSPHRASE_FILE})
    if named is not None:
        try:
            direct = Path(named).read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as error:
            raise BackupError(
                _("lösenfrasfilen %(path)s kan inte läsas: %(error)s") % {"path": named, "error": error}
            ) from None
    if direct is not None and not direct:
        raise BackupError(
            _("lösenfrasen i %(a)s eller %(b)s är tom") % {"a": PASSPHRASE, "b": PASSPHRASE_FILE}
        )
    return direct


def warning(sealed: bool) -> str:
    """What the command says before it writes: the archive is as sensitive as the database."""
    text = _(
        "Obs! Säkerhetskopian innehåller hela databasen med personuppgifterna, nycklarna till "
        "pseudonymerna och de förseglade personnumren och förbundens signeringsnycklar: den är lika känslig "
        "som databasen. Förvara den så."
    )
    if sealed:
        more = _("Den krypteras med lösenfrasen; utan den går säkerhetskopian inte att återställa.")
    else:
        more = _("Den krypteras inte: sätt %(a)s (eller %(b)s) för att kryptera den.") % {
            "a": PASSPHRASE,
            "b": PASSPHRASE_FILE,
        }
    return f"{text} {more}"


class _Hashing:
    """Reads through to a file, keeping the SHA-256 of what was read."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.sha256.update(data)
        return data


def _data_files(leave_out: set[Path]) -> list[tuple[str, Path]]:
    """The data dir's files a backup takes, as (member name, path), sorted; symbolic links are left out."""
    root = Path(settings.DATA_DIR)
    skip = {root / name for name in TRANSIENT} | {Path(settings.STATIC_ROOT).resolve()} | leave_out
    skip |= database.sqlite_files() | {
        Path(getattr(settings, setting)).resolve() for setting in (*KEYS.values(), *KEY_FOLDERS.values())
    }
    found = []
    for folder, folders, files in os.walk(root):
        here = Path(folder)
        folders[:] = sorted(name for name in folders if here / name not in skip)
        for name in sorted(files):
            path = here / name
            if path not in skip and path.is_file() and not path.is_symlink():
                found.append(("data/" + path.relative_to(root).as_posix(), path))
    return found


def _key_files() -> list[tuple[str, Path]]:
    paths = [(f"keys/{name}", Path(getattr(settings, setting))) for name, setting in KEYS.items()]
    for name, setting in KEY_FOLDERS.items():
        folder = Path(getattr(settings, setting))
        if folder.is_dir():
            # A name starting with a dot is a key being written (signing.private_key links it into place).
            paths += [(f"keys/{name}/{path.name}", path) for path in sorted(folder.iterdir())]
    return [
        (name, path)
        for name, path in paths
        if path.is_file() and not path.is_symlink() and not path.name.startswith(".")
    ]


def _add(tar: tarfile.TarFile, members: dict[str, dict[str, Any]], name: str, path: Path) -> None:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return  # gone since the folder was read (a spooled file, a replaced template): nothing to keep
    with handle:
        status = os.fstat(handle.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = status.st_size, int(status.st_mtime), 0o600
        hashing = _Hashing(handle)
        try:
            tar.addfile(info, hashing)
        except OSError as error:  # the file shrank while it was read
            raise BackupError(
                _("%(path)s kunde inte läsas: %(error)s") % {"path": path, "error": error}
            ) from None
    members[name] = {"sha256": hashing.sha256.hexdigest(), "size": status.st_size}


def backup(path: Path) -> Written:
    """Write the archive to `path`: into a private temporary file beside it, renamed into place when done."""
    secret = passphrase()
    vendor = database.vendor()
    if path.is_dir():
        raise BackupError(_("%(path)s är en katalog; ange en fil") % {"path": path})
    if not path.parent.is_dir():
        raise BackupError(_("katalogen %(path)s finns inte") % {"path": path.parent})
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")  # 0600
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "wb") as raw, tempfile.TemporaryDirectory(dir=path.parent) as work:
            sealer = SealingWriter(raw, secret) if secret else None
            members: dict[str, dict[str, Any]] = {}
            # tarfile's stream modes call only write() (and read() when reading) on the object they are given.
            output = cast("IO[bytes]", sealer or raw)
            with tarfile.open(fileobj=output, mode="w|gz", format=tarfile.PAX_FORMAT) as tar:
                snapshot = Path(work) / "snapshot"
                database.snapshot(snapshot)
                migrations = database.applied_migrations()
                _add(tar, members, database.MEMBERS[vendor], snapshot)
                snapshot.unlink()
                leave_out = {path.resolve(), temporary.resolve(), Path(work).resolve()}
                for member, file in _data_files(leave_out) + _key_files():
                    _add(tar, members, member, file)
                manifest = {
                    "format": FORMAT,
                    "format_version": FORMAT_VERSION,
                    "finsam_version": finsam.__version__,
                    "created_at": timezone.now().isoformat(timespec="seconds"),
                    "database": {
                        "vendor": vendor,
                        "member": database.MEMBERS[vendor],
                        "migrations": migrations,
                    },
                    "members": members,
                }
                content = json.dumps(manifest, indent=1, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(content), int(timezone.now().timestamp()), 0o600
                tar.addfile(info, io.BytesIO(content))
            if sealer:
                sealer.close()
            raw.flush()
            os.fsync(raw.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return Written(path, len(members) - 1, path.stat().st_size, vendor, secret is not None)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def restore(path: Path) -> Restored:
    """Restore the archive at `path` into this installation's empty data dir and empty database, then migrate.

    Refuses (BackupError, nothing changed) a target that is not empty, an archive whose members do not match
    its manifest or whose sealing fails, a wrong passphrase, and a backup of another database vendor or of a
    newer finsam."""
    if not path.is_file():
        raise BackupError(_("filen %(path)s finns inte") % {"path": path})
    secret = passphrase()
    _check_empty(path.resolve())
    staging = Path(tempfile.mkdtemp(dir=settings.DATA_DIR, prefix=".restore-"))  # 0700, same file system
    try:
        manifest = _unpack(path, secret, staging)
        vendor = _check_manifest(manifest)
        keys = _keys_to_place(staging)
        database.check_snapshot(staging / database.MEMBERS[vendor], vendor)
        database.restore(staging / database.MEMBERS[vendor])
        files = _place_data(staging)
        for staged, target in keys:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.move(staged, target)
        migrated = database.migrate()
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    restored = Restored(
        files + len(keys), vendor, str(manifest["created_at"]), str(manifest["finsam_version"]), migrated
    )
    _record(path, restored)
    return restored


def _check_empty(archive: Path) -> None:
    problems = []
    present = sorted(
        {
            name.removeprefix("data/").split("/")[0]
            for name, _path in _data_files({archive})
            if name.removeprefix("data/") not in GENERATED
        }
    )
    if present:
        problems.append(
            _("datakatalogen %(path)s är inte tom (den har %(names)s)")
            % {"path": settings.DATA_DIR, "names": ", ".join(present)}
        )
    tables = database.table_count()
    if tables:
        problems.append(_("databasen är inte tom (den har %(count)s tabeller)") % {"count": tables})
    if problems:
        raise BackupError(
            _(
                "%(problems)s. En säkerhetskopia återställs bara till en tom datakatalog och en tom databas; "
                "inget har ändrats."
            )
            % {"problems": "; ".join(problems)}
        )


def _member_path(name: str) -> PurePosixPath:
    """The member's path, refused unless a backup writes such a one (not absolute, not out of its folder)."""
    member = PurePosixPath(name)
    parts = member.parts
    allowed = (
        name in database.MEMBERS.values()
        or (len(parts) == 2 and parts[0] == "keys" and parts[1] in KEYS)
        or (len(parts) == 3 and parts[0] == "keys" and parts[1] in KEY_FOLDERS and parts[2][:1] != ".")
        or (len(parts) >= 2 and parts[0] == "data" and not member.is_absolute())
    )
    if not allowed or any(part in ("", ".", "..") for part in parts) or "\\" in name:
        raise BackupError(
            _("arkivet innehåller en fil som ingen säkerhetskopia har: %(name)s") % {"name": name}
        )
    return member


def _open(raw: BinaryIO, secret: str | None) -> BinaryIO | OpeningReader:
    start = raw.read(len(MAGIC))
    raw.seek(0)
    if is_sealed(start):
        if secret is None:
            raise BackupError(
                _("arkivet är krypterat: ange lösenfrasen i %(a)s eller %(b)s")
                % {"a": PASSPHRASE, "b": PASSPHRASE_FILE}
            )
        return OpeningReader(raw, secret)
    if not start.startswith(b"\x1f\x8b"):
        raise BackupError(_("filen är ingen säkerhetskopia av finsam"))
    return raw


def _unpack(path: Path, secret: str | None, staging: Path) -> dict[str, Any]:
    """Unpack every member into staging and return the manifest, checked against them."""
    found: dict[str, dict[str, Any]] = {}
    content = None
    with path.open("rb") as raw:
        stream = _open(raw, secret)
        try:
            with tarfile.open(fileobj=cast("IO[bytes]", stream), mode="r|gz") as tar:
                for member in tar:
                    if member.name in found or (member.name == MANIFEST and content is not None):
                        raise BackupError(_("arkivet har %(name)s två gånger") % {"name": member.name})
                    if not member.isfile():
                        raise BackupError(
                            _("arkivet har något annat än en fil: %(name)s") % {"name": member.name}
                        )
                    source = tar.extractfile(member)
                    assert source is not None  # a regular file
                    if member.name == MANIFEST:
                        content = source.read(MAX_MANIFEST + 1)
                        continue
                    target = staging / _member_path(member.name)
                    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    sha256 = hashlib.sha256()
                    with target.open("xb") as out:
                        while chunk := source.read(COPY_CHUNK):
                            sha256.update(chunk)
                            out.write(chunk)
                    found[member.name] = {"sha256": sha256.hexdigest(), "size": member.size}
            if isinstance(stream, OpeningReader):
                stream.drain()
        except (tarfile.TarError, EOFError, zlib.error) as error:
            raise BackupError(_("arkivet är skadat eller avkortat: %(error)s") % {"error": error}) from None
    return _checked_manifest(content, found)


def _checked_manifest(content: bytes | None, found: dict[str, dict[str, Any]]) -> dict[str, Any]:
    if content is None or len(content) > MAX_MANIFEST:
        raise BackupError(_("arkivet saknar sin förteckning (%(name)s)") % {"name": MANIFEST})
    try:
        manifest = json.loads(content)
        listed = manifest["members"]
        assert manifest["format"] == FORMAT and isinstance(listed, dict)
    except (ValueError, KeyError, TypeError, AssertionError):
        raise BackupError(_("arkivets förteckning går inte att läsa")) from None
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            _("arkivet är skrivet i format %(version)s, som den här versionen av finsam inte kan läsa")
            % {"version": manifest.get("format_version")}
        )
    for name in sorted(set(listed) | set(found)):
        if name not in found:
            raise BackupError(_("arkivet är ändrat: %(name)s saknas") % {"name": name})
        if name not in listed:
            raise BackupError(_("arkivet är ändrat: %(name)s står inte i förteckningen") % {"name": name})
        if listed[name] != found[name]:
            raise BackupError(
                _("arkivet är ändrat: kontrollsumman för %(name)s stämmer inte") % {"name": name}
            )
    return dict(manifest)


def _check_manifest(manifest: dict[str, Any]) -> str:
    """The archive's database vendor, refused unless it is this installation's and this finsam knows every
    migration applied to it."""
    try:
        vendor = manifest["database"]["vendor"]
        migrations = list(manifest["database"]["migrations"])
    except (KeyError, TypeError):
        raise BackupError(_("arkivets förteckning går inte att läsa")) from None
    here = database.vendor()
    if vendor != here or database.MEMBERS[here] not in manifest["members"]:
        raise BackupError(
            _(
                "säkerhetskopian är av en databas av typen %(theirs)s; den här installationen "
                "använder %(ours)s"
            )
            % {"theirs": database.VENDOR_NAMES.get(vendor, vendor), "ours": database.VENDOR_NAMES[here]}
        )
    unknown = database.unknown_migrations(migrations)
    if unknown:
        raise BackupError(
            _("säkerhetskopian är från en nyare finsam (%(version)s, migreringen %(name)s): uppgradera först")
            % {"version": manifest["finsam_version"], "name": unknown[0]}
        )
    return str(vendor)


def _keys_to_place(staging: Path) -> list[tuple[Path, Path]]:
    """The archive's key files and where they go; a key file already there must be the same key."""
    pairs = [(staging / "keys" / name, Path(getattr(settings, setting))) for name, setting in KEYS.items()]
    for name, setting in KEY_FOLDERS.items():
        folder = staging / "keys" / name
        if folder.is_dir():
            pairs += [
                (path, Path(getattr(settings, setting)) / path.name) for path in sorted(folder.iterdir())
            ]
    placed = []
    for staged, target in pairs:
        if not staged.is_file():
            continue
        if target.exists():
            if target.read_bytes() != staged.read_bytes():
                raise BackupError(
                    _(
                        "nyckelfilen %(path)s finns redan med en annan nyckel än säkerhetskopians; "
                        "inget har ändrats"
                    )
                    % {"path": target}
                )
            continue
        placed.append((staged, target))
    return placed


def _place_data(staging: Path) -> int:
    root, count = Path(settings.DATA_DIR), 0
    unpacked = staging / "data"
    for folder, _folders, files in os.walk(unpacked):
        for name in files:
            staged = Path(folder) / name
            target = root / staged.relative_to(unpacked)
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            staged.replace(target)
            count += 1
    return count


def _record(path: Path, restored: Restored) -> None:
    """The restore's entry in the trail of the restored database: what came before it is the backup's."""
    actor = Actor.command("restore")
    AuditEntry.objects.create(
        actor=actor.label,
        source=actor.source,
        action="backup.restore",
        object_type="backup",
        object_repr=path.name[:300],
        after={
            "created_at": restored.created_at,
            "finsam_version": restored.finsam_version,
            "migrated": len(restored.migrated),
        },
    )
