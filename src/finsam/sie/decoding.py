"""Opening an SIE source: its encoding told, its byte order mark skipped, its lines decoded as they are read.

The file is decoded as UTF-8 when the whole file is valid UTF-8 (a first pass checks that, keeping nothing)
and as CP437 (``#FORMAT PC8``) otherwise. A source that cannot rewind is spooled to disk, never to memory.
"""

from __future__ import annotations

import codecs
import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

Source = str | os.PathLike[str] | IO[bytes]
"""A path, or a binary stream (seekable or not) positioned at the start of the file."""

CHUNK = 1 << 16  # bytes per read when checking the encoding or spooling


@dataclass
class Opened:
    lines: Iterator[str]
    encoding: str
    size: int
    binary: IO[bytes]
    start: int

    def position(self) -> int:
        return self.binary.tell() - self.start


@contextmanager
def open_source(source: Source) -> Iterator[Opened]:
    if isinstance(source, str | os.PathLike):
        with Path(source).open("rb") as binary:
            yield from _decoded(binary)
    elif source.seekable():
        yield from _decoded(source)
    else:
        # Both passes need to rewind: a pipe or a network stream is spooled to disk, never to memory.
        with tempfile.TemporaryFile() as spool:
            shutil.copyfileobj(source, spool, CHUNK)
            spool.seek(0)
            yield from _decoded(spool)


def _decoded(binary: IO[bytes]) -> Iterator[Opened]:
    start = binary.tell()
    encoding = _detect_encoding(binary)
    size = binary.seek(0, io.SEEK_END) - start
    binary.seek(start)
    if binary.read(len(codecs.BOM_UTF8)) != codecs.BOM_UTF8:
        binary.seek(start)
    # newline="\n": split on LF only and leave a CR to be stripped, so that a stray CR inside a line
    # does not start a new one.
    text = io.TextIOWrapper(binary, encoding=encoding, newline="\n")
    try:
        yield Opened(text, encoding, size, binary, start)
    finally:
        text.detach()  # the caller's stream stays open


def _detect_encoding(binary: IO[bytes]) -> str:
    """Read to the end, or to the first byte that cannot be UTF-8; keep nothing."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        while chunk := binary.read(CHUNK):
            # An ASCII chunk is valid UTF-8 unless it follows an incomplete sequence.
            if not chunk.isascii() or decoder.getstate()[0]:
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp437"
    return "utf-8"
