from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_otp import user_has_device

from finsam.accounts.access import AssociationRequest, association_view
from finsam.accounts.models import User
from finsam.accounts.roles import Perm
from finsam.core import archives, clock, documents, uploads
from finsam.core.audit import Actor
from finsam.participants import services as participant_services
from finsam.reports import narrative, services
from finsam.reports.board import common as board_common
from finsam.reports.board import kinds as board_kinds
from finsam.reports.forms import ApproveForm, ReferenceForm, StartForm, TemplateForm, TextForm
from finsam.reports.models import ReportVersion


def _period(request: AssociationRequest) -> documents.Period:
    """?datum=YYYY-MM-DD (and optionally ?fran=) for a period ending that day; ?ar=YYYY for a whole year."""
    if "datum" in request.GET:
        end = dt.date.fromisoformat(request.GET["datum"])
        start = (
            dt.date.fromisoformat(request.GET["fran"])
            if "fran" in request.GET
            else end.replace(month=1, day=1)
        )
        return documents.Period(start, end)
    year = int(request.GET.get("ar", clock.today().year))
    return documents.Period(dt.date(year, 1, 1), dt.date(year, 12, 31))


# The organisation's own lists: whoever may see the pages may take them to Excel.
LISTS = ("members", "board", "interventions", "grants")


@association_view(Perm.VIEW_ORGANISATION)
def download(request: AssociationRequest, kind: str, fmt: str) -> HttpResponse:
    if kind not in documents.KINDS or fmt not in documents.FORMATS:
        raise Http404
    if kind not in LISTS and Perm.VIEW_REPORTS not in request.perms:
        raise PermissionDenied
    if kind == "participants" and (
        Perm.VIEW_AGGREGATES not in request.perms  # the auditor: as the board's documents print them
        or participant_services.settings_of(request.association).suppress_own_tables
    ):
        kind = "participants-public"  # as the participant pages show them: the setting holds everywhere
    try:
        gathered = documents.gather(kind, request.association, _period(request))
    except (ValueError, documents.ReportUnavailable):
        raise Http404 from None
    return _file(gathered, fmt)


def _file(gathered: documents.Gathered, fmt: str) -> HttpResponse:
    response = HttpResponse(documents.render(gathered, fmt), content_type=documents.FORMATS[fmt].content_type)
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{gathered.document.filename}.{fmt}"'
    return response


@association_view(Perm.VIEW_REPORTS)
def versions(request: AssociationRequest) -> HttpResponse:
    can_edit = Perm.EDIT_ORGANISATION in request.perms
    form = StartForm(request.POST or None, initial={"period_end": clock.today()})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            version = services.start_version(
                Actor.of(request),
                request.association,
                form.cleaned_data["kind"],
                form.cleaned_data["period_end"],
            )
            return redirect("reports:version", slug=request.association.slug, pk=version.pk)
    listed = ReportVersion.objects.filter(association=request.association).prefetch_related("approvals")
    context = {
        "versions": listed,
        "form": form,
        "can_edit": can_edit,
        "template_form": TemplateForm(),
        "has_template": services.word_template(request.association) is not None,
    }
    return render(request, "reports/versions.html", context)


@association_view(Perm.EDIT_ORGANISATION)
@require_POST
@uploads.accepts("template")
def word_template(request: AssociationRequest) -> HttpResponse:
    form = TemplateForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.set_word_template(
                Actor.of(request), request.association, form.cleaned_data["template"].read()
            )
        except archives.UnsafeArchive as error:
            messages.error(request, _("Mallen är inte bytt: %s.") % error)
        else:
            messages.success(request, _("Word-mallen är sparad och används i alla Word-rapporter från nu."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("reports:versions", slug=request.association.slug)


@association_view(Perm.VIEW_REPORTS)
def version(request: AssociationRequest, pk: int) -> HttpResponse:
    chosen = get_object_or_404(ReportVersion, pk=pk, association=request.association)
    can_edit = Perm.EDIT_ORGANISATION in request.perms and not chosen.locked
    own = {t.key: t.markdown for t in chosen.texts.all()}
    previewed = ""
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = TextForm(request.POST)
        if form.is_valid() and "preview" in request.POST:
            # The text as it would print, not saved: the page shows it in its form and as the preview.
            previewed = form.cleaned_data["key"]
            own[previewed] = form.cleaned_data["markdown"]
            messages.info(
                request, _("Förhandsvisningen visar texten som den skrivs ut. Den är inte sparad än.")
            )
        else:
            if form.is_valid():
                services.save_text(
                    Actor.of(request), chosen, form.cleaned_data["key"], form.cleaned_data["markdown"]
                )
                messages.success(request, _("Texten är sparad."))
            return redirect(f"{request.path}#{request.POST.get('key', '')}")
    defaults = board_kinds.defaults(chosen.kind, request.association, chosen.period_end)
    start = chosen.period_end.replace(month=1, day=1)
    values = board_common.figures(request.association, start, chosen.period_end)
    sections = []
    for key, default in defaults.items():
        label = board_kinds.SECTION_LABELS.get(key, key)
        text = own.get(key, str(default))
        form = TextForm(initial={"key": key, "markdown": text}, auto_id=f"id_{key}_%s")
        form.fields["markdown"].label = _("Text: %s") % label
        # Sanitised HTML (narrative.render keeps only simple formatting): the text as it prints.
        sections.append((key, label, form, narrative.render(text, values)))
    board = services.board_users(request.association)
    approved = {a.user_id for a in chosen.approvals.all()}
    user = request.user
    context = {
        "version": chosen,
        "sections": sections,
        "previewed": previewed,
        "values": sorted(values.items()),
        "can_edit": can_edit,
        "board": [(member, member.pk in approved) for member in board],
        "may_approve": (
            not chosen.locked
            and Perm.VIEW_REPORTS in request.perms
            and any(m.pk == user.pk for m in board)
            and user.pk not in approved
        ),
        "has_device": isinstance(user, User) and user_has_device(user),
        "files_missing": chosen.locked and not chosen.files.exists() and services.files_failed(chosen),
        "files_coming": chosen.locked and not chosen.files.exists() and not services.files_failed(chosen),
        "approve_form": ApproveForm(),
        "reference_form": ReferenceForm(
            initial={"diary_number": chosen.diary_number, "adopted_on": chosen.adopted_on},
            locked=chosen.locked,
        ),
        "may_edit_reference": Perm.EDIT_ORGANISATION in request.perms,
        "may_download_package": Perm.AUDIT_PACKAGE in request.perms,
        "approval_asked": services.approval_asked(chosen) if can_edit else None,
        "rows": board_common.footnote_rows(request.association),
        "notes": {n.row_code: n.text for n in chosen.row_notes.all()},
        "formats": [("pdf", "PDF"), ("docx", "Word"), ("xlsx", "Excel"), ("html", "HTML"), ("json", "JSON")],
    }
    return render(request, "reports/version.html", context)


@association_view(Perm.EDIT_ORGANISATION)
@require_POST
def ask_for_approval(request: AssociationRequest, pk: int) -> HttpResponse:
    """The office asks the board members who have not approved the draft to approve it (by e-mail)."""
    chosen = get_object_or_404(ReportVersion, pk=pk, association=request.association)
    try:
        asked = services.ask_for_approval(Actor.of(request), chosen)
    except services.ReportLocked:
        messages.error(request, _("Versionen är redan låst."))
    else:
        messages.success(
            request,
            ngettext(
                "%(n)s styrelseledamot som inte har godkänt ännu får e-post om att versionen väntar på "
                "godkännande.",
                "%(n)s styrelseledamöter som inte har godkänt ännu får e-post om att versionen väntar på "
                "godkännande.",
                asked,
            )
            % {"n": asked},
        )
    return redirect("reports:version", slug=request.association.slug, pk=chosen.pk)


@association_view(Perm.EDIT_ORGANISATION)
@require_POST
def reference(request: AssociationRequest, pk: int) -> HttpResponse:
    """The diary number (any time) and the date the board adopted the version (until it is locked)."""
    chosen = get_object_or_404(ReportVersion, pk=pk, association=request.association)
    form = ReferenceForm(
        request.POST,
        locked=chosen.locked,
        initial={"diary_number": chosen.diary_number, "adopted_on": chosen.adopted_on},
    )
    if form.is_valid():
        data = form.cleaned_data
        services.save_reference(Actor.of(request), chosen, data["diary_number"].strip(), data["adopted_on"])
        messages.success(request, _("Diarienummer och beslutsdatum är sparade."))
    else:
        messages.error(request, form.errors.as_text())
    return redirect("reports:version", slug=request.association.slug, pk=chosen.pk)


@association_view(Perm.EDIT_ORGANISATION)
@require_POST
def footnote(request: AssociationRequest, pk: int) -> HttpResponse:
    chosen = get_object_or_404(ReportVersion, pk=pk, association=request.association)
    try:
        services.save_row_note(
            Actor.of(request), chosen, request.POST.get("row", ""), request.POST.get("text", "").strip()
        )
    except services.ReportLocked:
        raise PermissionDenied from None
    return redirect(f"/f/{request.association.slug}/rapporter/versioner/{chosen.pk}/#fotnoter")


@association_view(Perm.VIEW_REPORTS)
@require_POST
def approve(request: AssociationRequest, pk: int) -> HttpResponse:
    chosen = get_object_or_404(ReportVersion, pk=pk, association=request.association)
    form = ApproveForm(request.POST)
    user = request.user
    if form.is_valid():
        try:
            services.approve(Actor.of(request), chosen, user, form.cleaned_data["code"], _("Styrelseledamot"))
        except services.ApprovalRefused:
            messages.error(
                request, _("Koden stämmer inte med din autentiseringsapp. Försök igen med en ny kod.")
            )
        except services.ReportLocked:
            messages.error(request, _("Versionen är redan låst."))
        else:
            messages.success(request, _("Ditt godkännande är registrerat."))
    return redirect("reports:version", slug=request.association.slug, pk=chosen.pk)


def _files_missing(request: AssociationRequest, version: ReportVersion) -> HttpResponse:
    messages.error(
        request, _("Versionen är låst men filerna kunde inte skapas. Försök igen med knappen Skapa filerna.")
    )
    return redirect("reports:version", slug=request.association.slug, pk=version.pk)


@association_view(Perm.VIEW_REPORTS)
@require_POST
def render_files(request: AssociationRequest, pk: int) -> HttpResponse:
    """Make again the files of a locked version whose rendering failed (a job of the queue)."""
    chosen = get_object_or_404(
        ReportVersion, pk=pk, association=request.association, status=ReportVersion.Status.LOCKED
    )
    services.request_files(Actor.of(request), chosen)
    messages.success(request, _("Filerna skapas."))
    return redirect("reports:version", slug=request.association.slug, pk=chosen.pk)


@association_view(Perm.AUDIT_PACKAGE)
@require_POST
def audit_package(request: AssociationRequest, pk: int) -> HttpResponseBase:
    """The auditor's package of the version: a ZIP streamed from a temporary file (a POST: the download is
    recorded in the trail)."""
    chosen = get_object_or_404(ReportVersion, pk=pk, association=request.association)
    try:
        content, name = services.audit_package(Actor.of(request), chosen)
    except services.FilesMissing:
        return _files_missing(request, chosen)
    return FileResponse(content, as_attachment=True, filename=name, content_type="application/zip")


@association_view(Perm.VIEW_REPORTS)
def version_file(request: AssociationRequest, pk: int, fmt: str) -> HttpResponse:
    chosen = get_object_or_404(ReportVersion, pk=pk, association=request.association)
    if fmt not in documents.FORMATS:
        raise Http404
    try:
        gathered = services.gather_for_download(chosen)
    except services.FilesMissing:
        return _files_missing(request, chosen)
    return _file(gathered, fmt)
