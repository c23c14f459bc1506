from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.utils import timezone

from finsam.accounts.access import AssociationRequest, association_view
from finsam.accounts.roles import Perm
from finsam.reports import exporters


def _period(request: AssociationRequest) -> exporters.Period:
    """?datum=YYYY-MM-DD (and optionally ?fran=) for a period ending that day; ?ar=YYYY for a whole year."""
    if "datum" in request.GET:
        end = dt.date.fromisoformat(request.GET["datum"])
        start = (
            dt.date.fromisoformat(request.GET["fran"])
            if "fran" in request.GET
            else end.replace(month=1, day=1)
        )
        return exporters.Period(start, end)
    year = int(request.GET.get("ar", timezone.localdate().year))
    return exporters.Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


@association_view(Perm.VIEW_REPORTS)
def download(request: AssociationRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in exporters.KINDS or fmt not in exporters.CONTENT_TYPES:
        raise Http404
    try:
        gathered = exporters.gather(kind, request.association, _period(request))
    except (ValueError, exporters.ReportUnavailable):
        raise Http404 from None
    response = HttpResponse(exporters.render(gathered, fmt), content_type=exporters.CONTENT_TYPES[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{gathered.document.filename}.{fmt}"'
    return response
