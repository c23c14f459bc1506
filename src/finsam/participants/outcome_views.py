"""The pages of the outcome reports and of the national follow-up (ADR 0027)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from finsam.accounts.access import AssociationRequest, association_view
from finsam.accounts.roles import Perm
from finsam.core import clock, documents
from finsam.participants import caseload, national_follow_up, outcomes, services
from finsam.participants.views import _period


def _download(gathered: documents.Gathered, fmt: str) -> HttpResponse:
    response = HttpResponse(documents.render(gathered, fmt), content_type=documents.FORMATS[fmt].content_type)
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{gathered.document.filename}.{fmt}"'
    return response


@association_view(Perm.VIEW_AGGREGATES)
def outcome_page(request: AssociationRequest) -> HttpResponse:
    start, end = _period(request)
    try:
        gathered = outcomes.gathered(request.association, start, end)
    except documents.ReportUnavailable as error:
        messages.error(request, str(error))
        return redirect(f"/f/{request.association.slug}/deltagare/utfall/?till={end.isoformat()}")
    data = gathered.data
    bars = outcomes.chart_rows(
        data, [(_("I arbete före"), "before", "b"), (_("I arbete efter"), "after", "a")]
    )
    context = {
        "document": gathered.document,
        "start": dt.date.fromisoformat(data["from"]),
        "end": dt.date.fromisoformat(data["to"]),
        "bars": bars,
        "biggest": max([v or 0 for row in bars for _l, v, _t in row["bars"]], default=1) or 1,
        "query": f"fran={data['from']}&till={data['to']}",
    }
    return render(request, "participants/outcomes.html", context)


@association_view(Perm.VIEW_AGGREGATES)
def outcome_download(request: AssociationRequest, fmt: str) -> HttpResponse:
    if fmt not in documents.FORMATS:
        raise Http404
    start, end = _period(request)
    try:
        return _download(outcomes.gathered(request.association, start, end), fmt)
    except documents.ReportUnavailable as error:
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")


def _half(request: AssociationRequest) -> tuple[int, int]:
    """The half-year asked for; by default the last one that has ended."""
    today = clock.today()
    default = (today.year, 1) if today.month > 6 else (today.year - 1, 2)
    try:
        year = int(request.GET.get("ar") or default[0])
        half = int(request.GET.get("halvar") or default[1])
        national_follow_up.half_year(year, half)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    return year, half


def _visible(request: AssociationRequest) -> set[str] | None:
    """The codes of the interventions whose exact counts this user may see; None for all of them."""
    exact = not services.settings_of(request.association).suppress_own_tables
    if Perm.VIEW_AGGREGATES in request.perms and exact:
        return None
    if Perm.VIEW_PERSONAL_DATA in request.perms:
        return set(
            caseload.registered_interventions(request.association, request.user).values_list(
                "code", flat=True
            )
        )
    return set()


def _may_see_some(request: AssociationRequest) -> None:
    """A role that may see none of the national follow-up's figures is refused its page and files."""
    if not {Perm.VIEW_AGGREGATES, Perm.VIEW_PERSONAL_DATA} & request.perms:
        raise PermissionDenied


def _figures(request: AssociationRequest, year: int, half: int) -> documents.Gathered:
    return national_follow_up.gathered(request.association, year, half, _visible(request))


@association_view(Perm.VIEW_ORGANISATION)
def national_page(request: AssociationRequest) -> HttpResponse:
    _may_see_some(request)
    year, half = _half(request)
    gathered = _figures(request, year, half)
    context = {
        "document": gathered.document,
        "year": year,
        "half": half,
        "limited": _visible(request) is not None,
        "query": f"ar={year}&halvar={half}",
    }
    return render(request, "participants/national_follow_up.html", context)


@association_view(Perm.VIEW_ORGANISATION)
def national_download(request: AssociationRequest, fmt: str) -> HttpResponse:
    _may_see_some(request)
    if fmt not in ("xlsx", "json"):
        raise Http404
    year, half = _half(request)
    return _download(_figures(request, year, half), fmt)
