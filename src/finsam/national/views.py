"""The national reader's pages: the roll-up of the exports taken into this installation, read only.

The roll-up belongs to the installation, not to one association: a user sees it when a role of hers, in any
association here, gives `Perm.VIEW_NATIONAL`; anyone else gets 404, as for another association's pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from finsam.accounts.access import holds_anywhere
from finsam.accounts.models import User
from finsam.accounts.roles import Perm
from finsam.core import documents
from finsam.core.caching import no_store
from finsam.national import rollup
from finsam.national.models import ReceivedExport

DOWNLOADS = ("xlsx", "pdf", "html", "json")
View = Callable[..., HttpResponse]


def national_view(view: View) -> View:
    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        assert isinstance(user, User)
        if not holds_anywhere(user, Perm.VIEW_NATIONAL):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _ends() -> list[dt.date]:
    """The period ends of the exports here, latest first."""
    return sorted(set(ReceivedExport.objects.values_list("end", flat=True)), reverse=True)


def _end(request: HttpRequest, ends: list[dt.date]) -> dt.date | None:
    if "datum" not in request.GET:
        return ends[0] if ends else None
    try:
        return dt.date.fromisoformat(request.GET["datum"])
    except ValueError:
        raise Http404 from None


@no_store
@national_view
def overview(request: HttpRequest) -> HttpResponse:
    ends = _ends()
    end = _end(request, ends)
    doc = error = None
    if end is not None:
        try:
            doc = rollup.gathered(end).document
        except documents.ReportUnavailable as refused:
            error = str(refused)
    context = {"ends": ends, "end": end, "doc": doc, "error": error, "downloads": DOWNLOADS}
    return render(request, "national/overview.html", context)


@no_store
@national_view
def download(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in DOWNLOADS:
        raise Http404
    end = _end(request, _ends())
    if end is None:
        raise Http404
    try:
        gathered = rollup.gathered(end)
    except documents.ReportUnavailable:
        raise Http404 from None
    response = HttpResponse(documents.render(gathered, fmt), content_type=documents.FORMATS[fmt].content_type)
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{gathered.document.filename}.{fmt}"'
    return response
