"""A backup archive sealed with a passphrase: streaming, in authenticated chunks (ADR 0015, docs/backup.md).

The layout, all integers big-endian:

    header   magic "FSMBKENC" (8 bytes), format 1 (1 byte), scrypt's log2 N, r and p (1 byte each),
             log2 of the chunk size (1 byte), salt (16 bytes), nonce prefix (7 bytes),
             HMAC-SHA-256 of the 36 bytes before it under the header key (32 bytes)
    chunks   AES-256-GCM of each chunk of the plaintext, its 16-byte tag after it

scrypt turns the passphrase and the salt into 64 bytes: the first 32 are the chunks' key, the last 32 the
header's. The header's MAC tells a wrong passphrase (or a changed header) before any chunk is read. Chunk i is
sealed under the nonce prefix ‖ i (4 bytes) ‖ 1 for the last chunk, 0 for the others, with the whole header as
associated data (the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár): a chunk moved, dropped,
repeated or taken from another archive fails its tag, and so does an archive cut short, since its new last
chunk was not sealed as the last. Every chunk but the last holds exactly the chunk size; the last holds 0 to
the chunk size. Memory stays at a chunk or two whatever the archive's size.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.utils.translation import gettext as _

from finsam.core.backup import BackupError

MAGIC = b"FSMBKENC"
FORMAT = 1
LOG_N, R, P = 17, 8, 1  # scrypt: 128 MiB and about half a second here; OWASP's recommendation
LOG_CHUNK = 16  # 64 KiB of plaintext a chunk
TAG = 16
_FIELDS = struct.Struct(">8sBBBBB16s7s")  # magic, format, log2 N, r, p, log2 chunk, salt, nonce prefix
HEADER = _FIELDS.size + 32
# What a header may ask of the reader: enough for any archive this module writes, not a gigabyte of memory.
MAX_LOG_N, MAX_R, MAX_P, MAX_LOG_CHUNK = 20, 16, 4, 24


class WrongPassphrase(BackupError):
    pass


def _keys(passphrase: str, salt: bytes, log_n: int, r: int, p: int) -> tuple[bytes, bytes]:
    derived = Scrypt(salt=salt, length=64, n=2**log_n, r=r, p=p).derive(passphrase.encode("utf-8"))
    return derived[:32], derived[32:]


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter >= 2**32:
        raise BackupError(_("arkivet är för stort för krypteringsformatet"))
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


def is_sealed(start: bytes) -> bool:
    """Whether a file starting with these bytes is a sealed archive."""
    return start.startswith(MAGIC)


class SealingWriter:
    """A file-like object that seals what is written to it into `target`; `close()` writes the last chunk
    (it does not close `target`)."""

    def __init__(self, target: BinaryIO, passphrase: str) -> None:
        salt, prefix = os.urandom(16), os.urandom(7)
        fields = _FIELDS.pack(MAGIC, FORMAT, LOG_N, R, P, LOG_CHUNK, salt, prefix)
        key, header_key = _keys(passphrase, salt, LOG_N, R, P)
        self._header = fields + hmac.new(header_key, fields, hashlib.sha256).digest()
        self._aead = AESGCM(key)
        self._prefix = prefix
        self._chunk = 2**LOG_CHUNK
        self._target = target
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False
        target.write(self._header)

    def _seal(self, plain: bytes, last: bool) -> None:
        nonce = _nonce(self._prefix, self._counter, last)
        self._target.write(self._aead.encrypt(nonce, plain, self._header))
        self._counter += 1

    def write(self, data: bytes) -> int:
        self._buffer += data
        # A full chunk goes out only when more follows it, so that the last chunk is the one close() seals.
        while len(self._buffer) > self._chunk:
            self._seal(bytes(self._buffer[: self._chunk]), last=False)
            del self._buffer[: self._chunk]
        return len(data)

    def close(self) -> None:
        if not self._closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True


class OpeningReader:
    """A file-like object reading the plaintext of the sealed archive `source`, chunk by chunk.

    Raises WrongPassphrase when the header's MAC fails, BackupError when a chunk fails its tag or the archive
    ends before its last chunk."""

    def __init__(self, source: BinaryIO, passphrase: str) -> None:
        header = _read_exactly(source, HEADER)
        if len(header) < HEADER or not is_sealed(header):
            raise BackupError(_("arkivet har inget giltigt krypteringshuvud"))
        _magic, version, log_n, r, p, log_chunk, salt, prefix = _FIELDS.unpack(header[: _FIELDS.size])
        if version != FORMAT:
            raise BackupError(
                _("arkivet är krypterat i ett okänt format (%(version)s)") % {"version": version}
            )
        if not (
            1 <= log_n <= MAX_LOG_N
            and 1 <= r <= MAX_R
            and 1 <= p <= MAX_P
            and 10 <= log_chunk <= MAX_LOG_CHUNK
        ):
            raise BackupError(_("arkivets krypteringshuvud har orimliga värden"))
        key, header_key = _keys(passphrase, salt, log_n, r, p)
        expected = hmac.new(header_key, header[: _FIELDS.size], hashlib.sha256).digest()
        if not hmac.compare_digest(expected, header[_FIELDS.size :]):
            raise WrongPassphrase(
                _("fel lösenfras: arkivet kan inte öppnas med den (eller så är dess huvud ändrat)")
            )
        self._header = header
        self._aead = AESGCM(key)
        self._prefix = prefix
        self._sealed_chunk = 2**log_chunk + TAG
        self._source = source
        self._counter = 0
        self._next = _read_exactly(source, self._sealed_chunk)
        self._plain = b""
        self._done = False

    def _open_next(self) -> None:
        sealed = self._next
        self._next = _read_exactly(self._source, self._sealed_chunk)
        last = not self._next
        if len(sealed) < TAG:
            raise BackupError(_("arkivet är avkortat: dess sista del saknas"))
        try:
            self._plain = self._aead.decrypt(_nonce(self._prefix, self._counter, last), sealed, self._header)
        except InvalidTag:
            raise BackupError(
                _("arkivet är ändrat, skadat eller avkortat: del %(number)s klarar inte autentiseringen")
                % {"number": self._counter + 1}
            ) from None
        self._counter += 1
        self._done = last

    def read(self, size: int = -1) -> bytes:
        parts: list[bytes] = []
        wanted = size if size >= 0 else None
        while wanted is None or wanted > 0:
            if not self._plain:
                if self._done:
                    break
                self._open_next()
                continue
            take = self._plain if wanted is None else self._plain[:wanted]
            self._plain = self._plain[len(take) :]
            parts.append(take)
            if wanted is not None:
                wanted -= len(take)
        return b"".join(parts)

    def drain(self) -> None:
        """Read to the end, so that the last chunk's tag (the proof that nothing was cut off) is checked."""
        while self.read(2**20):
            pass


def _read_exactly(source: BinaryIO, size: int) -> bytes:
    parts: list[bytes] = []
    remaining = size
    while remaining:
        part = source.read(remaining)
        if not part:
            break
        parts.append(part)
        remaining -= len(part)
    return b"".join(parts)
