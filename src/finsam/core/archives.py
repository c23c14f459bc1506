"""Checking an XLSX or DOCX file people bring before anything opens it (docs/decisions/0013-upload-limits.md).

Both are ZIP archives whose members are inflated when read, and openpyxl and python-docx read most members
whole: a small file can hold a member of gigabytes (a "zip bomb"), or a part that costs far more memory
parsed than its size. The check reads only the archive's directory and its two small index parts, never a
member's content, and refuses an archive with too many members, a member or a total whose declared size is
over its limit, or a member or a whole that inflates more than `MAX_RATIO` times. The declared sizes bound
what is ever inflated: Python's zipfile, which both libraries read with, stops at a member's declared size.

What is read whole is bounded tightly; only what is streamed may be larger: in an XLSX the worksheets that
openpyxl's read-only mode parses row by row (a member that anything else refers to, or that is named where
openpyxl reads a part whole, never counts as one), in a DOCX the images, which python-docx keeps as bytes.
"""

from __future__ import annotations

import io
import lzma
import posixpath
import zipfile
import zlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from finsam.core.uploads import MEGABYTE, size_text

MAX_RATIO = 100  # how many times a member, or the whole archive, may inflate
RATIO_FROM = MEGABYTE  # members smaller than this are not held to the ratio (their headers dominate)
INDEX_LIMIT = MEGABYTE  # [Content_Types].xml and each .rels part, which the check itself parses
CONTENT_TYPES = "[Content_Types].xml"
WORKSHEET_REL = "/worksheet"
IMAGE_TYPE = "image/"


@dataclass(frozen=True)
class Limits:
    label: str  # the kind of file, as the messages name it
    members: int  # how many members at most
    total: int  # declared size of all members together
    whole: int  # a member read whole
    streamed: int  # a member read piece by piece
    whole_total: int  # all members read whole together


# Participants' XLSX: the first worksheet streamed (50 000 rows are about 30 MB); the shared strings, the
# styles and the rest read whole, where 4 MB of the densest styles cost 130 MB parsed.
XLSX = Limits(
    "en XLSX-fil",
    members=1000,
    total=64 * MEGABYTE,
    whole=4 * MEGABYTE,
    streamed=32 * MEGABYTE,
    whole_total=8 * MEGABYTE,
)
# Word templates: every XML part parsed into a tree (5 MB of paragraphs cost 120 MB), images kept as bytes.
DOCX = Limits(
    "ett Word-dokument (.docx)",
    members=1000,
    total=24 * MEGABYTE,
    whole=4 * MEGABYTE,
    streamed=12 * MEGABYTE,
    whole_total=6 * MEGABYTE,
)
# Parts openpyxl reads whole by their name, whatever the relationships say.
XLSX_WHOLE_PARTS = frozenset(
    {
        "xl/workbook.xml",
        "xl/styles.xml",
        "xl/theme/theme1.xml",
        "xl/sharedStrings.xml",
        "docProps/core.xml",
        "docProps/custom.xml",
        "docProps/app.xml",
        "customUI/customUI.xml",
    }
)


class UnsafeArchive(ValueError):
    """The archive is broken, or would take too much to open; the message says which in Swedish."""


# What zipfile and ElementTree raise for an archive that is broken: a damaged directory or member (zlib.error,
# LZMAError, a negative seek: ValueError), a compression method it does not know or encryption
# (NotImplementedError, RuntimeError), a missing part (KeyError), a part that is not XML or declares an
# encoding there is none of (LookupError).
_UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    ElementTree.ParseError,
    zlib.error,
    lzma.LZMAError,
    LookupError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    OSError,
    EOFError,
)


_Streamed = Callable[[zipfile.ZipFile], Collection[str]]


def check_xlsx(source: bytes | Path) -> None:
    _check(source, XLSX, _xlsx_streamed)


def check_docx(source: bytes | Path) -> None:
    _check(source, DOCX, _docx_images)


def _check(source: bytes | Path, limits: Limits, streamed_of: _Streamed) -> None:
    stream: IO[bytes] | Path = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > limits.members:
                raise UnsafeArchive(_("filen har fler än %(n)s delar") % {"n": limits.members})
            _check_sizes(infos, limits, streamed_of(archive))
    except UnsafeArchive:
        raise
    except _UNREADABLE:
        raise not_openable(limits) from None


def not_openable(limits: Limits) -> UnsafeArchive:
    return UnsafeArchive(_("filen är inte %(label)s som går att öppna") % {"label": limits.label})


def _check_sizes(infos: list[zipfile.ZipInfo], limits: Limits, streamed: Collection[str]) -> None:
    whole_total = 0
    for info in infos:
        is_streamed = info.filename in streamed
        limit = limits.streamed if is_streamed else limits.whole
        whole_total += 0 if is_streamed else info.file_size
        if info.file_size > limit:
            raise UnsafeArchive(_too_big(info.filename, limit))
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
            raise UnsafeArchive(_inflates(info.filename))
    if whole_total > limits.whole_total:
        raise UnsafeArchive(_too_big(_("delarna som läses hela"), limits.whole_total))
    total = sum(info.file_size for info in infos)
    if total > limits.total:
        raise UnsafeArchive(_too_big(_("innehållet"), limits.total))
    if total > RATIO_FROM and total > MAX_RATIO * sum(info.compress_size for info in infos):
        raise UnsafeArchive(_inflates(_("innehållet")))


def _too_big(what: str, limit: int) -> str:
    return _("%(what)s är större än %(size)s uppackad, det största som tas emot") % {
        "what": what,
        "size": size_text(limit),
    }


def _inflates(what: str) -> str:
    return _("%(what)s packas upp till mer än %(ratio)s gånger sin storlek (en så kallad zip-bomb)") % {
        "what": what,
        "ratio": MAX_RATIO,
    }


def _index(archive: zipfile.ZipFile, name: str) -> ElementTree.Element:
    """A small index part parsed, after its declared size is checked."""
    if archive.getinfo(name).file_size > INDEX_LIMIT:
        raise UnsafeArchive(_too_big(name, INDEX_LIMIT))
    return ElementTree.fromstring(archive.read(name))


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    """The content types by extension (lower case) and by part name (without its leading slash)."""
    root = _index(archive, CONTENT_TYPES)
    defaults = {
        e.get("Extension", "").lower(): e.get("ContentType", "") for e in root if e.tag.endswith("Default")
    }
    overrides = {
        e.get("PartName", "").lstrip("/"): e.get("ContentType", "")
        for e in root
        if e.tag.endswith("Override")
    }
    return defaults, overrides


def _xlsx_streamed(archive: zipfile.ZipFile) -> set[str]:
    """The members openpyxl streams: targets of worksheet relationships only, given no other content type and
    not named where a part is read whole."""
    _defaults, overrides = _content_types(archive)
    kinds: dict[str, set[str]] = {}
    for name in archive.namelist():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        for relation in _index(archive, name):
            target = relation.get("Target", "")
            if relation.get("TargetMode") == "External":
                continue
            path = (
                target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            )
            kinds.setdefault(path, set()).add(relation.get("Type", ""))
    return {
        path
        for path, types in kinds.items()
        if all(t.endswith(WORKSHEET_REL) for t in types)
        and path not in XLSX_WHOLE_PARTS
        and overrides.get(path, "worksheet+xml").endswith("worksheet+xml")
    }


def _docx_images(archive: zipfile.ZipFile) -> set[str]:
    """The members python-docx keeps as bytes without parsing them: those of an image content type."""
    defaults, overrides = _content_types(archive)
    return {
        name
        for name in archive.namelist()
        if overrides.get(name, defaults.get(posixpath.splitext(name)[1][1:].lower(), "")).startswith(
            IMAGE_TYPE
        )
    }
