"""The office's register for the annual report on the web: the year's events of significance and its staff.
Whoever reads the reports reads the register; the office (who edits the reports) adds, changes and removes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.accounts.access import AssociationRequest, association_view
from finsam.accounts.roles import Perm
from finsam.core import clock
from finsam.core.audit import Actor
from finsam.finance.models import StatementRow
from finsam.reports import register
from finsam.reports.forms import EventForm, StaffForm
from finsam.reports.models import SignificantEvent


def _year(request: AssociationRequest) -> int:
    try:
        year = int(request.GET.get("ar") or request.POST.get("ar") or clock.today().year)
    except ValueError:
        raise Http404 from None
    if not 2004 <= year <= 2100:
        raise Http404
    return year


def _back(request: AssociationRequest, year: int) -> str:
    return f"/f/{request.association.slug}/rapporter/handelser/?ar={year}"


@association_view(Perm.VIEW_REPORTS)
def events(request: AssociationRequest) -> HttpResponse:
    year = _year(request)
    found = SignificantEvent.objects.filter(association=request.association, occurred_on__year=year)
    rows = dict(
        StatementRow.objects.filter(association=request.association).values_list("code", "name").distinct()
    )
    staff = register.staff(request.association, [year]).get(year)
    context = {
        "year": year,
        "events": [(event, rows.get(event.row_code, event.row_code)) for event in found],
        "editable": Perm.EDIT_ORGANISATION in request.perms,
        "staff": staff,
        "staff_form": StaffForm(
            initial={
                "employees": staff.employees if staff else 0,
                "purchased": staff.purchased if staff else None,
            }
        ),
    }
    return render(request, "reports/events.html", context)


@association_view(Perm.EDIT_ORGANISATION)
def event_edit(request: AssociationRequest, pk: int | None = None) -> HttpResponse:
    event = (
        get_object_or_404(SignificantEvent, pk=pk, association=request.association)
        if pk is not None
        else None
    )
    form = EventForm(request.POST or None, instance=event, association=request.association)
    if request.method == "POST" and form.is_valid():
        try:
            saved = register.save_event(Actor.of(request), form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Händelsen är sparad."))
            return redirect(_back(request, saved.occurred_on.year))
    year = event.occurred_on.year if event else _year(request)
    context = {
        "form": form,
        "event": event,
        "title": str(event) if event else _("Ny händelse"),
        "back": _back(request, year),
    }
    return render(request, "reports/event_form.html", context)


@association_view(Perm.EDIT_ORGANISATION)
@require_POST
def event_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(SignificantEvent, pk=pk, association=request.association)
    register.delete_event(Actor.of(request), event)
    messages.success(request, _("Händelsen är borttagen."))
    return redirect(_back(request, event.occurred_on.year))


@association_view(Perm.EDIT_ORGANISATION)
@require_POST
def staff(request: AssociationRequest) -> HttpResponse:
    year = _year(request)
    form = StaffForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        register.save_staff(
            Actor.of(request), request.association, year, data["employees"], data["purchased"]
        )
        messages.success(request, _("Personalen för %s är sparad.") % year)
    else:
        messages.error(request, form.errors.as_text())
    return redirect(_back(request, year))
