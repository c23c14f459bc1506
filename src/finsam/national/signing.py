"""The association's Ed25519 key, the canonical bytes of an export, and their signature (ADR 0028).

The private key lives in the data dir (`settings.NATIONAL_KEY_DIR`, 0700), one file per association (0600, the
32 raw bytes in hex), created on the first export: it never enters the database, so a backup of the database
alone cannot sign. The public key and its fingerprint go inside every export.

What is signed: the export without its top-level member `signature`, serialised as JSON with the keys of
every object sorted, no whitespace (`,` and `:` as separators), non-ASCII characters as themselves, in UTF-8
(`canonical`). An export holds only strings, integers, booleans and null (amounts are strings), so the form
is unambiguous; a reader refuses floats, NaN and duplicate keys before it gets here (`national.files`).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat
from django.conf import settings

ALGORITHM = "Ed25519"
SIGNATURE = "signature"  # the top-level member that holds the signature, and the only one not signed


def canonical(document: dict[str, Any]) -> bytes:
    """The bytes that are signed: the document without `signature`, sorted keys, no whitespace, UTF-8."""
    body = {key: value for key, value in document.items() if key != SIGNATURE}
    return json.dumps(
        body, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def public_bytes(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def fingerprint(raw_public_key: bytes) -> str:
    """SHA-256 of the raw 32-byte public key in 16 groups of four hex digits, to read aloud on the phone."""
    digest = hashlib.sha256(raw_public_key).hexdigest()
    return " ".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def key_path(slug: str) -> Path:
    return Path(settings.NATIONAL_KEY_DIR) / f"{slug}.ed25519"


def private_key(slug: str) -> Ed25519PrivateKey:
    """The association's signing key, created on first use (0600 in a 0700 folder). A new key is written to a
    temporary file and linked into place, which fails if the key exists: two exports at once agree on one."""
    path = key_path(slug)
    if not path.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        raw = Ed25519PrivateKey.generate().private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".key-")
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as new_file:
                new_file.write(raw.hex() + "\n")
                new_file.flush()
                os.fsync(new_file.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            Path(temporary).unlink()
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(path.read_text(encoding="ascii").strip()))


def signer(key: Ed25519PrivateKey) -> dict[str, str]:
    """What an export says about its key: the algorithm, the public key (base64) and its fingerprint."""
    raw = public_bytes(key.public_key())
    return {
        "algorithm": ALGORITHM,
        "public_key": base64.b64encode(raw).decode("ascii"),
        "fingerprint": fingerprint(raw),
    }


def sign(document: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """The document with its detached signature (base64) over `canonical(document)` as `signature`."""
    signature = base64.b64encode(key.sign(canonical(document))).decode("ascii")
    return {**document, SIGNATURE: signature}


def verify(document: dict[str, Any], raw_public_key: bytes) -> bool:
    """Whether the document's signature is the key's over its canonical bytes."""
    try:
        signature = base64.b64decode(document[SIGNATURE], validate=True)
        Ed25519PublicKey.from_public_bytes(raw_public_key).verify(signature, canonical(document))
    except (KeyError, TypeError, ValueError, InvalidSignature):
        return False
    return True
