from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, Sum
from django.forms import ModelForm
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from finsam.accounts.access import AssociationRequest, association_view
from finsam.accounts.roles import Perm
from finsam.core import clock
from finsam.core.audit import Actor
from finsam.core.imports import is_number
from finsam.core.models import AuditEntry, describe
from finsam.organisation import board, contributions, services
from finsam.organisation.forms import (
    BoardSeatForm,
    ContributionTotalForm,
    GrantForm,
    InterventionForm,
    MemberForm,
    MemberNameForm,
    PopulationForm,
)
from finsam.organisation.models import (
    BoardSeat,
    ContributionTotal,
    Grant,
    Intervention,
    Member,
    MemberName,
    Population,
)


def _save_form(
    form: ModelForm,  # type: ignore[type-arg]
    save: Callable[[Any], Model],
) -> Model | None:
    """Validate a bound form and save its instance through a service; errors go back onto the form."""
    if not form.is_valid():
        return None
    instance = form.save(commit=False)
    try:
        return save(instance)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def _form_page(
    request: AssociationRequest,
    form: ModelForm,  # type: ignore[type-arg]
    *,
    title: str,
    back: str,
    save: Callable[[Any], Model],
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    if request.method == "POST" and _save_form(form, save) is not None:
        messages.success(request, _("Ändringarna är sparade."))
        return redirect(back)
    context = {"form": form, "title": title, "back": back, **(extra or {})}
    return render(request, "organisation/form.html", context)


def _editable(request: AssociationRequest) -> bool:
    return Perm.EDIT_ORGANISATION in request.perms


def _require_edit(request: AssociationRequest) -> None:
    if request.method == "POST" and not _editable(request):
        raise PermissionDenied


def _base(request: AssociationRequest) -> str:
    return f"/f/{request.association.slug}"


@association_view(Perm.VIEW_ORGANISATION)
def member_list(request: AssociationRequest) -> HttpResponse:
    members = (
        Member.objects.filter(association=request.association)
        .in_report_order()
        .prefetch_related("populations")
    )
    return render(
        request, "organisation/member_list.html", {"members": members, "editable": _editable(request)}
    )


@association_view(Perm.EDIT_ORGANISATION)
def member_create(request: AssociationRequest) -> HttpResponse:
    form = MemberForm(request.POST or None, association=request.association)
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=_("Ny medlem"),
        back=f"{_base(request)}/medlemmar/",
        save=lambda m: services.save_member(actor, m),
    )


@association_view(Perm.VIEW_ORGANISATION)
def member_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    _require_edit(request)
    member = get_object_or_404(Member, pk=pk, association=request.association)
    form = MemberForm(request.POST or None, instance=member, association=request.association)
    extra = {
        "member": member,
        "populations_form": PopulationForm(),
        "populations": member.populations.all(),
        "former_names_form": MemberNameForm(),
        "former_names": member.former_names.all(),
        "editable": _editable(request),
    }
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=member.name,
        back=f"{_base(request)}/medlemmar/",
        save=lambda m: services.save_member(actor, m),
        extra=extra,
    )


def _add_to_member(
    request: AssociationRequest,
    pk: int,
    form_class: type[ModelForm],  # type: ignore[type-arg]
    new: Callable[[Member], Model],
    save: Callable[[Actor, Any], Model],
    part: str,
    saved: str,
) -> HttpResponse:
    """A dated figure of a member added from its page (a population, a former name): the page again, or with
    htmx only its part (template organisation/_<part>.html, rows in <part>, the form in <part>_form)."""
    member = get_object_or_404(Member, pk=pk, association=request.association)
    form = form_class(request.POST or None, instance=new(member))
    if request.method == "POST":
        actor = Actor.of(request)
        if _save_form(form, lambda instance: save(actor, instance)) is not None:
            form = form_class()
            messages.success(request, saved)
        if not request.htmx:  # type: ignore[attr-defined]
            return redirect(f"{_base(request)}/medlemmar/{member.pk}/")
    rows = {"populations": member.populations.all(), "former_names": member.former_names.all()}
    return render(
        request,
        f"organisation/_{part}.html",
        {"member": member, part: rows[part], f"{part}_form": form, "editable": True},
    )


@association_view(Perm.EDIT_ORGANISATION)
def population_add(request: AssociationRequest, pk: int) -> HttpResponse:
    return _add_to_member(
        request,
        pk,
        PopulationForm,
        lambda member: Population(member=member),
        services.save_population,
        "populations",
        _("Folkmängden är sparad."),
    )


@association_view(Perm.EDIT_ORGANISATION)
def member_name_add(request: AssociationRequest, pk: int) -> HttpResponse:
    return _add_to_member(
        request,
        pk,
        MemberNameForm,
        lambda member: MemberName(member=member),
        services.save_member_name,
        "former_names",
        _("Det tidigare namnet är sparat."),
    )


@association_view(Perm.VIEW_ORGANISATION)
def board_list(request: AssociationRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("ar") or clock.today().year)
    except ValueError:
        raise Http404 from None
    seats = request.association.board_seats.select_related("member", "person")
    seats = seats.order_by("-start", "person__name")
    context = {
        "year": year,
        "rows": board.board_during(request.association, dt.date(year, 1, 1), dt.date(year, 12, 31)),
        "seats": seats,
        "editable": _editable(request),
    }
    return render(request, "organisation/board_list.html", context)


def _board_form(request: AssociationRequest, seat: BoardSeat, title: str) -> HttpResponse:
    form = BoardSeatForm(request.POST or None, instance=seat, association=request.association)
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=title,
        back=f"{_base(request)}/styrelse/",
        save=lambda s: services.save_board_seat(actor, s, form.cleaned_data["person_name"]),
    )


@association_view(Perm.EDIT_ORGANISATION)
def board_create(request: AssociationRequest) -> HttpResponse:
    return _board_form(request, BoardSeat(association=request.association), _("Ny styrelseplats"))


@association_view(Perm.EDIT_ORGANISATION)
def board_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    seat = get_object_or_404(BoardSeat, pk=pk, association=request.association)
    return _board_form(request, seat, str(seat))


@association_view(Perm.VIEW_ORGANISATION)
def intervention_list(request: AssociationRequest) -> HttpResponse:
    interventions = request.association.interventions.annotate(granted=Sum("grants__amount"))
    return render(
        request,
        "organisation/intervention_list.html",
        {"interventions": interventions, "editable": _editable(request)},
    )


@association_view(Perm.EDIT_ORGANISATION)
def intervention_create(request: AssociationRequest) -> HttpResponse:
    form = InterventionForm(request.POST or None, association=request.association)
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=_("Ny insats"),
        back=f"{_base(request)}/insatser/",
        save=lambda i: services.save_intervention(actor, i),
    )


@association_view(Perm.VIEW_ORGANISATION)
def intervention_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    _require_edit(request)
    intervention = get_object_or_404(Intervention, pk=pk, association=request.association)
    form = InterventionForm(request.POST or None, instance=intervention, association=request.association)
    extra = {
        "grants": intervention.grants.all(),
        "editable": _editable(request),
        "intervention": intervention,
    }
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=intervention.name,
        back=f"{_base(request)}/insatser/",
        save=lambda i: services.save_intervention(actor, i),
        extra=extra,
    )


@association_view(Perm.VIEW_ORGANISATION)
def grant_list(request: AssociationRequest) -> HttpResponse:
    grants = Grant.objects.filter(intervention__association=request.association).select_related(
        "intervention"
    )
    years: dict[int, list[Grant]] = {}
    for grant in grants:
        years.setdefault(grant.year, []).append(grant)
    by_year = [
        {"year": year, "grants": items, "total": sum((g.amount for g in items), Decimal(0))}
        for year, items in sorted(years.items(), reverse=True)
    ]
    return render(
        request, "organisation/grant_list.html", {"by_year": by_year, "editable": _editable(request)}
    )


def _grant_form(request: AssociationRequest, grant: Grant, title: str) -> HttpResponse:
    form = GrantForm(request.POST or None, instance=grant, association=request.association)
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=title,
        back=f"{_base(request)}/beviljade-belopp/",
        save=lambda g: services.save_grant(actor, g),
    )


@association_view(Perm.EDIT_ORGANISATION)
def grant_create(request: AssociationRequest) -> HttpResponse:
    initial = Grant(year=clock.today().year)
    code = request.GET.get("insats")
    if code:
        initial.intervention = get_object_or_404(Intervention, association=request.association, code=code)
    return _grant_form(request, initial, _("Nytt beviljat belopp"))


@association_view(Perm.EDIT_ORGANISATION)
def grant_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    grant = get_object_or_404(Grant, pk=pk, intervention__association=request.association)
    return _grant_form(request, grant, str(grant))


@association_view(Perm.VIEW_REPORTS)
def contribution_split(request: AssociationRequest) -> HttpResponse:
    association = request.association
    totals = list(association.contribution_totals.all())
    try:
        year = int(request.GET.get("ar") or (totals[0].year if totals else clock.today().year))
    except ValueError:
        raise Http404 from None
    split = None
    error = None
    try:
        split = contributions.compute(association, year)
    except contributions.ContributionError as problem:
        error = str(problem)
    stored = next((t for t in totals if t.year == year), None)
    form = None
    if _editable(request):
        form = ContributionTotalForm(
            instance=stored or ContributionTotal(association=association, year=year), association=association
        )
    formats = [("xlsx", "Excel"), ("pdf", "PDF"), ("docx", "Word"), ("json", "JSON")]
    context = {
        "split": split,
        "error": error,
        "year": year,
        "totals": totals,
        "form": form,
        "formats": formats,
    }
    return render(request, "organisation/contributions.html", context)


@association_view(Perm.EDIT_ORGANISATION)
def contribution_total_save(request: AssociationRequest) -> HttpResponse:
    association = request.association
    year_text = request.POST.get("year", "")
    existing = (
        association.contribution_totals.filter(year=year_text).first() if is_number(year_text) else None
    )
    form = ContributionTotalForm(request.POST or None, instance=existing, association=association)
    actor = Actor.of(request)
    saved = _save_form(form, lambda t: services.save_contribution_total(actor, t))
    if saved is None:
        messages.error(
            request, _("Beloppet kunde inte sparas: {errors}").format(errors=form.errors.as_text())
        )
        return redirect(f"{_base(request)}/medlemsbidrag/")
    messages.success(request, _("Totalbeloppet är sparat."))
    return redirect(f"{_base(request)}/medlemsbidrag/?ar={form.instance.year}")


@association_view(Perm.VIEW_AUDIT)
def audit_log(request: AssociationRequest) -> HttpResponse:
    entries = AuditEntry.objects.filter(association=request.association).select_related("user")
    action = request.GET.get("handelse", "")  # one kind of event, e.g. the erasure runs
    if action:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("sida"))
    context = {"page": page, "action": action, "action_label": describe(action)}
    return render(request, "organisation/audit_log.html", context)
