"""The associations' signing keys go into `finsam backup`'s archive as key files (keys/signeringsnycklar/,
wherever FINSAM_NATIONAL_KEY_DIR puts them) and come back with `finsam restore`: the restored installation
signs with the same key, which the national installation has registered. Subprocesses on data dirs of their
own, on SQLite (scripts/test runs it once)."""

from __future__ import annotations

import json
import stat
import tarfile
from pathlib import Path

from finsam.core.tests.test_backup import installed, sqlite_only

ORGFILE = Path(__file__).resolve().parents[2] / "demo" / "data" / "finnveden.yaml"
EXPORT = (
    "report",
    "national-export",
    "--association",
    "finnveden",
    "--date",
    "2023-12-31",
    "--format",
    "json",
)


@sqlite_only
def test_the_signing_keys_are_backed_up_as_keys_and_restored_where_the_settings_put_them(
    tmp_path: Path,
) -> None:
    source = installed(tmp_path / "source")
    source.ok("setup", str(ORGFILE))
    before = json.loads(source.ok(*EXPORT))["signer"]
    key = source.data_dir / "signeringsnycklar" / "finnveden.ed25519"
    archive = tmp_path / "finsam.tar.gz"
    source.ok("backup", str(archive))
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        member = tar.extractfile("keys/signeringsnycklar/finnveden.ed25519")
        assert member is not None and member.read() == key.read_bytes()
    assert not [name for name in names if name.startswith("data/signeringsnycklar")]

    keys = tmp_path / "keys-elsewhere"
    target = installed(tmp_path / "target", FINSAM_NATIONAL_KEY_DIR=str(keys))
    target.ok("restore", str(archive))
    restored = keys / "finnveden.ed25519"
    assert restored.read_bytes() == key.read_bytes()
    assert stat.S_IMODE(restored.stat().st_mode) == 0o600 and stat.S_IMODE(keys.stat().st_mode) == 0o700
    assert not (target.data_dir / "signeringsnycklar").exists()
    assert json.loads(target.ok(*EXPORT))["signer"] == before  # the same key signs

    # A restore never replaces another key at the place of one.
    other = installed(tmp_path / "other", FINSAM_NATIONAL_KEY_DIR=str(tmp_path / "other-keys"))
    (tmp_path / "other-keys").mkdir(mode=0o700)
    (tmp_path / "other-keys" / "finnveden.ed25519").write_text("00" * 32 + "\n", encoding="ascii")
    result = other.finsam("restore", str(archive))
    assert result.returncode == 1 and "finns redan med en annan nyckel" in result.stderr
    assert (tmp_path / "other-keys" / "finnveden.ed25519").read_text(encoding="ascii") == "00" * 32 + "\n"
