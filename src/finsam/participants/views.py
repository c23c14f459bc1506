"""Participant pages. Personal data only for registrars, only of their interventions, and every read logged;
aggregates for the office, the board and reporting; the access log for the data protection officer."""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
from pathlib import Path
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from finsam.accounts.access import AssociationRequest, association_view
from finsam.accounts.roles import Perm
from finsam.core import clock, documents, uploads
from finsam.core.audit import Actor
from finsam.core.imports import ImportRejected, Problem
from finsam.core.spreadsheet import append_row
from finsam.organisation.models import Intervention
from finsam.participants import access_counts as access_counts_of
from finsam.participants import caseload, figures, imports, services, tables
from finsam.participants.forms import (
    EpisodeForm,
    ExitForm,
    ImportForm,
    RatingForm,
    ReferralForm,
    SettingsForm,
    VolumeForm,
)
from finsam.participants.identity import InvalidPersonalNumber, participant_key, unseal
from finsam.participants.models import AccessLogEntry, Area, Episode, Rating, Referral, VolumeCount
from finsam.participants.shown_tables import shown_tables


def _base(request: AssociationRequest) -> str:
    return f"/f/{request.association.slug}/deltagare"


def _interventions(request: AssociationRequest) -> QuerySet[Intervention]:
    return caseload.registered_interventions(request.association, request.user)


def _episodes(request: AssociationRequest) -> QuerySet[Episode]:
    return caseload.episodes_of(request.association, request.user)


def _episode(request: AssociationRequest, pk: int) -> Episode:
    return get_object_or_404(_episodes(request), pk=pk)


@association_view(Perm.VIEW_ORGANISATION)
def index(request: AssociationRequest) -> HttpResponse:
    if Perm.VIEW_PERSONAL_DATA in request.perms:
        return redirect(f"{_base(request)}/lista/")
    if Perm.VIEW_AGGREGATES in request.perms:
        return redirect(f"{_base(request)}/tabeller/")
    if Perm.VIEW_ACCESS_LOG in request.perms:
        return redirect(f"{_base(request)}/atkomstlogg/")
    if Perm.VIEW_ACCESS_COUNTS in request.perms:
        return redirect(f"{_base(request)}/atkomstlogg/antal/")
    raise PermissionDenied


_PSEUDONYM = re.compile(r"[0-9a-f]{64}")


def _search(
    request: AssociationRequest, episodes: QuerySet[Episode]
) -> tuple[QuerySet[Episode], dict[str, str]]:
    """A posted search: the episodes it finds, and the fields that the pages of its result post again.

    A typed own key finds its pseudonym, part of one finds it too, and it is posted again as typed. A typed
    personnummer finds its pseudonym and never goes back into the page: the pages of its result post the
    pseudonym ("nyckel") instead. A text like a personnummer that is not a valid one finds nothing and is not
    sent back either. No search: every episode and no fields.
    """
    query = request.POST.get("q", "").strip()
    if not query:
        pseudonym = request.POST.get("nyckel", "")
        if _PSEUDONYM.fullmatch(pseudonym):
            return episodes.filter(participant_key=pseudonym), {"nyckel": pseudonym}
        return episodes, {}
    try:
        key = participant_key(query, request.association)
    except (InvalidPersonalNumber, ValueError):
        return episodes.none(), {"q": ""}
    if key.own_key:
        found = episodes.filter(participant_key=key.pseudonym) | episodes.filter(
            own_key__icontains=key.own_key
        )
        return found, {"q": query}
    return episodes.filter(participant_key=key.pseudonym), {"nyckel": key.pseudonym}


@association_view(Perm.VIEW_PERSONAL_DATA)
def episode_list(request: AssociationRequest) -> HttpResponse:
    episodes = _episodes(request)
    # The search is posted, so a personnummer typed into it never enters a URL, a history or a server log:
    # a "q" in the query string is ignored. The filters and the page may come either way (the start page
    # links to "lista/?status=skatta"); paging through a search posts the term again.
    form = request.POST if request.method == "POST" else request.GET
    status = form.get("status", "pagaende")
    code = form.get("insats", "")
    if code:
        episodes = episodes.filter(intervention__code=code)
    if status == "pagaende":
        episodes = episodes.filter(exited_on__isnull=True)
    elif status == "avslutade":
        episodes = episodes.filter(exited_on__isnull=False)
    elif status == "skatta":
        episodes = caseload.ratings_due(episodes, clock.today())
    elif status == "avsluta":
        episodes = caseload.exits_due(episodes, clock.today())
    episodes, search = _search(request, episodes) if request.method == "POST" else (episodes, {})
    page = Paginator(episodes.order_by("-enrolled_on", "-pk"), 50).get_page(form.get("sida"))
    services.log_access(
        request,
        request.association,
        AccessLogEntry.Action.SEARCH if search else AccessLogEntry.Action.LIST,
        [e.pk for e in page],
    )
    context = {
        "page": page,
        "query": search.get("q", ""),
        "search": search,
        "status": status,
        "code": code,
        "interventions": _interventions(request),
    }
    template = "participants/_episode_table.html" if request.htmx else "participants/episode_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


def _ratings(episode: Episode) -> list[dict[str, object]]:
    """The episode's rating occasions, each with its value per area."""
    occasions: dict[tuple[dt.date, str], dict[str, int]] = {}
    for rating in episode.ratings.select_related("area"):
        occasions.setdefault((rating.rated_on, rating.rater), {})[rating.area.code] = rating.value
    return [
        {"date": day, "rater": Rating.Rater(rater).label, "values": values}
        for (day, rater), values in sorted(occasions.items())
    ]


def _areas() -> list[Area]:
    return services.shipped_areas()


@association_view(Perm.VIEW_PERSONAL_DATA)
def episode_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    """One participant; a POST asking for it shows her personnummer from its sealed copy, logged apart."""
    episode = _episode(request, pk)
    services.log_access(request, request.association, AccessLogEntry.Action.DETAIL, [episode.pk])
    number = None
    if request.method == "POST" and episode.sealed_number:
        services.log_access(request, request.association, AccessLogEntry.Action.NUMBER, [episode.pk])
        number = unseal(episode.sealed_number, request.association)
    areas = _areas()
    ratings = _ratings(episode)
    for occasion in ratings:
        values = occasion["values"]
        assert isinstance(values, dict)
        occasion["row"] = [values.get(area.code, "") for area in areas]
    context = {
        "episode": episode,
        "number": number,
        "areas": areas,
        "ratings": ratings,
        "income_before": [label for code, label in _income_labels() if code in episode.income_before_codes()],
        "income_after": [label for code, label in _income_labels() if code in episode.income_after_codes()],
    }
    return render(request, "participants/episode_detail.html", context)


def _income_labels() -> list[tuple[str, str]]:
    from finsam.participants.models import IncomeSupport

    return [(value, str(label)) for value, label in IncomeSupport.choices]


def _form(request: AssociationRequest, form: object, title: str, back: str, **extra: object) -> HttpResponse:
    return render(request, "participants/form.html", {"form": form, "title": title, "back": back, **extra})


@association_view(Perm.VIEW_PERSONAL_DATA)
def enrol(request: AssociationRequest) -> HttpResponse:
    referral = None
    if request.GET.get("remiss"):
        referral = get_object_or_404(
            Referral.objects.filter(intervention__in=_interventions(request)), pk=request.GET["remiss"]
        )
    initial = {"enrolled_on": clock.today()}
    if referral is not None:
        initial["intervention"] = referral.intervention_id  # type: ignore[assignment]
    form = EpisodeForm(
        request.POST or None,
        association=request.association,
        interventions=_interventions(request),
        initial=initial,
        instance=Episode(association=request.association),
    )
    if request.method == "POST" and form.is_valid():
        episode = form.save(commit=False)
        try:
            services.enrol(Actor.of(request), episode, referral)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Deltagaren är inskriven."))
            return redirect(f"{_base(request)}/{episode.pk}/")
    if referral is not None:
        # The page shows the referral's source and date: a read of it.
        services.log_access(
            request, request.association, AccessLogEntry.Action.DETAIL, [referral.pk], record_type="referral"
        )
    return _form(request, form, _("Ny inskrivning"), f"{_base(request)}/lista/", referral=referral)


@association_view(Perm.VIEW_PERSONAL_DATA)
def exit_episode(request: AssociationRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = ExitForm(request.POST or None, episode=episode)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.exit_episode(
                Actor.of(request),
                episode,
                exited_on=data["exited_on"],
                reason=data["exit_reason"],
                income_after=data["income_after"],
                occupation_after=data["occupation_after"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Avslutet är sparat."))
            return redirect(f"{_base(request)}/{episode.pk}/")
    services.log_access(request, request.association, AccessLogEntry.Action.DETAIL, [episode.pk])
    return _form(request, form, _("Avsluta %s") % episode.shown_key, f"{_base(request)}/{episode.pk}/")


@association_view(Perm.VIEW_PERSONAL_DATA)
def rate(request: AssociationRequest, pk: int) -> HttpResponse:
    episode = _episode(request, pk)
    form = RatingForm(request.POST or None, areas=_areas(), initial={"rated_on": clock.today()})
    if request.method == "POST" and form.is_valid():
        services.rate(
            Actor.of(request),
            episode,
            rated_on=form.cleaned_data["rated_on"],
            rater=form.cleaned_data["rater"],
            scores=form.scores(),
        )
        messages.success(request, _("Skattningen är sparad."))
        return redirect(f"{_base(request)}/{episode.pk}/")
    services.log_access(request, request.association, AccessLogEntry.Action.DETAIL, [episode.pk])
    return _form(request, form, _("Skattning för %s") % episode.shown_key, f"{_base(request)}/{episode.pk}/")


@association_view(Perm.VIEW_PERSONAL_DATA)
def referral_list(request: AssociationRequest) -> HttpResponse:
    referrals = Referral.objects.filter(intervention__in=_interventions(request)).select_related(
        "intervention", "episode"
    )
    page = Paginator(referrals, 50).get_page(request.GET.get("sida"))
    services.log_access(
        request,
        request.association,
        AccessLogEntry.Action.REFERRALS,
        [r.pk for r in page],
        record_type="referral",
    )
    return render(request, "participants/referral_list.html", {"page": page})


def _referral_form(request: AssociationRequest, referral: Referral, title: str) -> HttpResponse:
    form = ReferralForm(
        request.POST or None,
        instance=referral,
        association=request.association,
        interventions=_interventions(request),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_referral(Actor.of(request), form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Remissen är sparad."))
            return redirect(f"{_base(request)}/remisser/")
    if referral.pk:
        # An existing referral's page shows its data: a read of it.
        services.log_access(
            request, request.association, AccessLogEntry.Action.DETAIL, [referral.pk], record_type="referral"
        )
    return _form(request, form, title, f"{_base(request)}/remisser/")


@association_view(Perm.VIEW_PERSONAL_DATA)
def referral_create(request: AssociationRequest) -> HttpResponse:
    referral = Referral(association=request.association, received_on=clock.today())
    return _referral_form(request, referral, _("Ny remiss"))


@association_view(Perm.VIEW_PERSONAL_DATA)
def referral_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    referral = get_object_or_404(Referral.objects.filter(intervention__in=_interventions(request)), pk=pk)
    return _referral_form(request, referral, _("Remiss %s") % referral.received_on.isoformat())


EXPORT_COLUMNS = (
    ("intervention", _("Insats")),
    ("participant", _("Deltagare")),
    ("gender", _("Kön")),
    ("birth_year", _("Födelseår")),
    ("municipality", _("Hemkommun")),
    ("enrolled_on", _("Inskrivningsdatum")),
    ("exited_on", _("Avslutsdatum")),
    ("exit_reason", _("Avslutsorsak")),
    ("income_before", _("Försörjning före")),
    ("income_after", _("Försörjning efter")),
    ("years_on_support", _("År med offentlig försörjning")),
)


@association_view(Perm.VIEW_PERSONAL_DATA)
def export(request: AssociationRequest) -> HttpResponse:
    """The registrar's list as XLSX; the export and every episode in it are logged."""
    episodes = list(_episodes(request).order_by("intervention__code", "enrolled_on", "pk"))
    services.log_access(request, request.association, AccessLogEntry.Action.EXPORT, [e.pk for e in episodes])
    book = Workbook()
    sheet = book.active
    sheet.title = "Deltagare"
    append_row(sheet, [str(label) for _key, label in EXPORT_COLUMNS])
    for e in episodes:
        append_row(
            sheet,
            [
                e.intervention.code,
                e.shown_key,
                e.gender,
                e.birth_year,
                e.municipality,
                e.enrolled_on,
                e.exited_on,
                e.exit_reason,
                e.income_before,
                e.income_after,
                float(e.years_on_support) if e.years_on_support is not None else None,
            ],
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=documents.FORMATS["xlsx"].content_type)
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="deltagare-{request.association.slug}-{day}.xlsx"'
    )
    return response


def _uploads() -> Path:
    # `finsam manage erase_expired` clears stale uploads too, so they do not wait for the next import.
    imports.erase_stale_uploads()
    return imports.upload_folder()


def _check_interventions(request: AssociationRequest, plan: imports.Plan) -> None:
    """A registrar imports only rows of her own interventions: any other row is named, nothing stored."""
    allowed = set(_interventions(request).values_list("pk", flat=True))
    problems = [
        Problem(row.line, "insats", row.episode.intervention.code, _("en insats du är registrator för"))
        for row in plan.rows
        if row.episode.intervention_id not in allowed
    ]
    if problems:
        raise ImportRejected(plan.source, problems)


@association_view(Perm.VIEW_PERSONAL_DATA)
@uploads.accepts("participants")
def import_file(request: AssociationRequest) -> HttpResponse:
    """Upload, preview what would change, then confirm; the file waits in the data dir, not the database."""
    context: dict[str, object] = {"form": ImportForm()}
    if request.method == "POST" and "token" in request.POST:
        token = request.POST["token"]
        if not token.isalnum():
            raise Http404
        path = _uploads() / f"{request.user.pk}-{token}"
        if not path.exists():
            messages.error(request, _("Filen har gått ut; ladda upp den igen."))
            return redirect(f"{_base(request)}/import/")
        try:
            plan = imports.plan(path.read_bytes(), request.POST.get("name", "fil"), request.association)
            _check_interventions(request, plan)
            result = imports.apply(plan, Actor.of(request))
        except ImportRejected:
            messages.error(request, _("Filen kunde inte importeras; ladda upp den igen för att se felen."))
            return redirect(f"{_base(request)}/import/")
        finally:
            path.unlink(missing_ok=True)
        messages.success(request, _("Importen är klar: %s.") % result.summary())
        return redirect(f"{_base(request)}/lista/")
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                plan = imports.plan(content, upload.name, request.association)
                _check_interventions(request, plan)
            except ImportRejected as error:
                context["problems"] = error.problems
            else:
                token = secrets.token_hex(16)
                path = _uploads() / f"{request.user.pk}-{token}"
                path.write_bytes(content)
                path.chmod(0o600)
                # The name as the plan keeps it: a personnummer in it is masked before it is echoed.
                context.update({"plan": plan, "token": token, "name": plan.source})
                # The preview shows the file's keys next to the stored episodes they change.
                changed = [row.episode.pk for row in plan.rows if row.episode.pk and row.status == "changed"]
                services.log_access(request, request.association, AccessLogEntry.Action.IMPORT, changed)
    return render(request, "participants/import.html", context)


def _period(request: AssociationRequest) -> tuple[dt.date, dt.date]:
    today = clock.today()
    try:
        end = (
            dt.date.fromisoformat(request.GET["till"])
            if request.GET.get("till")
            else dt.date(today.year, 12, 31)
        )
        start = (
            dt.date.fromisoformat(request.GET["fran"]) if request.GET.get("fran") else dt.date(end.year, 1, 1)
        )
    except ValueError:
        raise Http404 from None
    if start > end:
        raise Http404
    return start, end


def _bars(row: tables.MunicipalityRow) -> dict[str, Any]:
    return {
        "name": row.municipality,
        "bars": [
            (_("Kvinnor vid start"), row.carried_over["women"], "a"),
            (_("Män vid start"), row.carried_over["men"], "b"),
            (_("Nya kvinnor"), row.new["women"], "c"),
            (_("Nya män"), row.new["men"], "d"),
        ],
    }


@association_view(Perm.VIEW_AGGREGATES)
def table_page(request: AssociationRequest) -> HttpResponse:
    start, end = _period(request)
    suppressed = services.settings_of(request.association).suppress_own_tables
    try:
        shown = shown_tables(request.association, start, end, suppressed)
    except documents.ReportUnavailable as error:
        # A period across a year end: said, and the year of its end shown instead.
        messages.error(request, str(error))
        return redirect(f"{_base(request)}/tabeller/?fran={end.year}-01-01&till={end.isoformat()}")
    start, end = shown.start, shown.end
    charts: list[dict[str, Any]] = [
        {"title": shown.names.get(code, code), "rows": [_bars(m) for m in rows]}
        for code, rows in (shown.municipalities_by_intervention.items() if not suppressed else ())
    ]
    biggest = max(
        [value for chart in charts for row in chart["rows"] for _l, value, _t in row["bars"]], default=1
    )
    context = {
        "document": shown.document,
        "start": start,
        "end": end,
        "suppressed": suppressed,
        "charts": charts,
        "biggest": biggest or 1,
        "query": f"fran={start.isoformat()}&till={end.isoformat()}",
    }
    return render(request, "participants/tables.html", context)


@association_view(Perm.VIEW_AGGREGATES)
def table_download(request: AssociationRequest, fmt: str) -> HttpResponse:
    if fmt not in ("xlsx", "html", "pdf", "docx", "json"):
        raise Http404
    start, end = _period(request)
    # "publik=1": the form that may leave the association, small counts hidden.
    public = services.settings_of(request.association).suppress_own_tables or request.GET.get("publik") == "1"
    try:
        gathered = figures.gathered(request.association, start, end, public=public)
    except documents.ReportUnavailable as error:
        return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")
    response = HttpResponse(documents.render(gathered, fmt), content_type=documents.FORMATS[fmt].content_type)
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{gathered.document.filename}.{fmt}"'
    return response


@association_view(Perm.VIEW_ACCESS_LOG)
def access_log(request: AssociationRequest) -> HttpResponse:
    entries = AccessLogEntry.objects.filter(association=request.association).select_related("user")
    page = Paginator(entries, 50).get_page(request.GET.get("sida"))
    return render(request, "participants/access_log.html", {"page": page})


@association_view(Perm.VIEW_ACCESS_COUNTS)
def access_counts(request: AssociationRequest) -> HttpResponse:
    """Reads of personal data by month and role: no names, no records (the auditor's view of the log)."""
    roles, months = access_counts_of.monthly(request.association)
    return render(request, "participants/access_counts.html", {"roles": roles, "months": months})


@association_view(Perm.EDIT_ORGANISATION)
def settings_page(request: AssociationRequest) -> HttpResponse:
    """The association's retention and whether its own tables hide small counts too."""
    form = SettingsForm(request.POST or None, instance=services.settings_of(request.association))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_settings(Actor.of(request), form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(f"{_base(request)}/installningar/")
    return _form(request, form, _("Inställningar för deltagaruppgifter"), f"{_base(request)}/tabeller/")


@association_view(Perm.EDIT_ORGANISATION)
def volumes(request: AssociationRequest) -> HttpResponse:
    """Head counts of the structural interventions (volume participants), not personal data."""
    structural = request.association.interventions.filter(kind=Intervention.Kind.STRUCTURAL).order_by("name")
    form = VolumeForm(request.POST or None, interventions=structural)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.save_volume(
            Actor.of(request),
            data["intervention"],
            data["start"],
            data["end"],
            {"kvinna": data["women"], "man": data["men"], "annat": data["other"]},
        )
        messages.success(request, _("Volymdeltagarna är sparade."))
        return redirect(f"{_base(request)}/volym/")
    counts = VolumeCount.objects.filter(intervention__association=request.association).select_related(
        "intervention"
    )
    periods: dict[tuple[int, dt.date, dt.date], dict[str, object]] = {}
    for volume in counts.order_by("-start", "intervention__name"):
        key = (volume.intervention_id, volume.start, volume.end)
        row = periods.setdefault(
            key,
            {
                "intervention": volume.intervention,
                "start": volume.start,
                "end": volume.end,
                "kvinna": 0,
                "man": 0,
                "annat": 0,
            },
        )
        row[volume.gender] = volume.count
    return render(request, "participants/volumes.html", {"form": form, "periods": list(periods.values())})
