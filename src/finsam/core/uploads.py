"""How large a file people may bring, by kind (settings UPLOAD_LIMITS; docs/decisions/0013-upload-limits.md).

On the web the limit holds while the upload streams: `LimitedUploadHandler`, first of FILE_UPLOAD_HANDLERS,
counts each file's bytes and drops those beyond the limit of the view it is sent to (declared with
`@accepts(kind, …)`; a view that declares none takes no file at all), so nothing over the limit is kept in
memory or on disk. The form's field is then given a `RefusedUpload`, which `UploadField` turns into a message.
The command line checks a file's size before reading it (`check_size`). A request whose body is larger than
any upload may be (settings MAX_REQUEST_BODY) is refused before anything reads it
(`RequestBodyLimitMiddleware`): gunicorn sets no such limit of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

KINDS = {
    "sie": "en SIE-fil",
    "budget": "en budgetfil",
    "participants": "en deltagarfil",
    "template": "en Word-mall",
    "organisation": "en organisationsfil",
    "national": "en nationell export",
}
MEGABYTE = 1024 * 1024
View = TypeVar("View", bound=Callable[..., Any])


class FileTooLarge(Exception):
    """A file over its kind's limit; the message says the limit."""


def limit(kind: str) -> int:
    """The largest file taken of this kind, in bytes."""
    return int(settings.UPLOAD_LIMITS[kind])


def size_text(size: int) -> str:
    return f"{size / MEGABYTE:.0f} MB" if size >= MEGABYTE else f"{max(size // 1024, 1)} kB"


def too_large(kind: str) -> str:
    return _("filen är större än %(size)s, det största som tas emot för %(kind)s") % {
        "size": size_text(limit(kind)),
        "kind": KINDS[kind],
    }


def check_size(path: Path, kind: str) -> None:
    """Raise FileTooLarge for a file over its kind's limit, before anything reads it."""
    if path.stat().st_size > limit(kind):
        raise FileTooLarge(too_large(kind))


def accepts(*kinds: str) -> Callable[[View], View]:
    """Declare the kinds of file a view takes; its uploads are cut at the largest of their limits."""
    unknown = set(kinds) - KINDS.keys()
    if unknown:
        raise ValueError(f"unknown upload kinds {sorted(unknown)}")

    def decorator(view: View) -> View:
        view.upload_kinds = kinds  # type: ignore[attr-defined]
        return view

    return decorator


class RefusedUpload(UploadedFile):
    """What a form receives instead of a file that went over the limit: its name and the limit, no content."""

    def __init__(self, name: str, limit: int) -> None:
        super().__init__(file=None, name=name, size=limit + 1)
        self.limit = limit

    @property
    def message(self) -> str:
        return _("Filen är större än %(size)s, det största som tas emot här.") % {
            "size": size_text(self.limit)
        }


def _view_limit(request: HttpRequest) -> int:
    match = getattr(request, "resolver_match", None)
    kinds = getattr(match.func, "upload_kinds", ()) if match is not None else ()
    return max((limit(kind) for kind in kinds), default=0)


class LimitedUploadHandler(FileUploadHandler):
    """Counts each uploaded file's bytes; past the view's limit the rest is read and dropped, not kept."""

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request)
        self.limit = _view_limit(request)
        self.received = 0

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        # None keeps the chunk from the handlers after this one: nothing past the limit is stored.
        return raw_data if self.received <= self.limit else None

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= self.limit:
            return None  # the next handler keeps the file as usual
        return RefusedUpload(self.file_name or "", self.limit)


class RequestBodyLimitMiddleware:
    """413 for a request that declares a body larger than the largest upload and its form, unread."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads no body it cannot size
        if declared > settings.MAX_REQUEST_BODY:
            message = _("Förfrågan är större än %(size)s, det största som tas emot.") % {
                "size": size_text(settings.MAX_REQUEST_BODY)
            }
            return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
