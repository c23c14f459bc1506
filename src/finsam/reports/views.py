from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpResponse
from django.utils import timezone

from finsam.accounts.access import AssociationRequest, association_view
from finsam.accounts.roles import Perm
from finsam.reports import exporters


@association_view(Perm.VIEW_REPORTS)
def download(request: AssociationRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in exporters.KINDS or fmt not in exporters.CONTENT_TYPES:
        raise Http404
    try:
        year = int(request.GET.get("ar", timezone.localdate().year))
        period = exporters.Period(dt.date(year, 1, 1), dt.date(year, 12, 31))
        gathered = exporters.gather(kind, request.association, period)
    except (ValueError, exporters.ReportUnavailable):
        raise Http404 from None
    response = HttpResponse(exporters.render(gathered, fmt), content_type=exporters.CONTENT_TYPES[fmt])
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{gathered.document.filename}.{fmt}"'
    return response
