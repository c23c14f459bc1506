from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.accounts.access import AssociationRequest, association_view
from finsam.accounts.roles import Perm
from finsam.core import caching, clock, documents, uploads
from finsam.core.audit import Actor
from finsam.core.formatting import amount_text
from finsam.core.money import from_ore
from finsam.finance import budget, jobs, services, statements
from finsam.finance.documents.kinds import STATEMENTS
from finsam.finance.forms import BudgetEditForm, StatementRowForm, UploadForm
from finsam.finance.models import BudgetLine, ImportJob, LedgerAccount, LedgerImport, LedgerRow, StatementRow


def _date(request: AssociationRequest) -> dt.date:
    """The report date asked for, else the last day with a voucher, else today."""
    text = request.GET.get("datum")
    if text:
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise Http404 from None
    return statements.last_booked_day(request.association) or clock.today()


@association_view(Perm.VIEW_REPORTS)
def overview(request: AssociationRequest) -> HttpResponse:
    day = _date(request)
    association = request.association
    key = caching.data_key("income-statement", association.pk, day)
    statement = caching.kept(key, lambda: statements.income_statement(association, day))
    unmapped = [line for line in statement.lines if line.accounts]
    imports = LedgerImport.objects.filter(association=request.association)[:10]
    context = {
        "day": day,
        "statement": statement,
        "totals": statement.totals,
        "unmapped": unmapped,
        "imports": imports,
        "statements": STATEMENTS,
        "can_edit": Perm.EDIT_FINANCE in request.perms,
    }
    return render(request, "finance/overview.html", context)


@association_view(Perm.VIEW_REPORTS)
def statement(request: AssociationRequest, name: str) -> HttpResponse:
    if name not in STATEMENTS:
        raise Http404
    kind, title = STATEMENTS[name]
    day = _date(request)
    start, _end = statements.fiscal_year(request.association, day)
    if "fran" in request.GET:
        try:
            start = dt.date.fromisoformat(request.GET["fran"])
        except ValueError:
            raise Http404 from None
    try:
        gathered = documents.gather(kind, request.association, documents.Period(start, day))
    except documents.ReportUnavailable as error:
        messages.error(request, str(error))
        return redirect("finance:overview", slug=request.association.slug)
    context = {"doc": gathered.document, "title": title, "day": day, "kind": kind, "statements": STATEMENTS}
    return render(request, "finance/statement.html", context)


def _year(request: AssociationRequest) -> int:
    try:
        return int(request.GET.get("ar") or _date(request).year)
    except ValueError:
        raise Http404 from None


@association_view(Perm.VIEW_FINANCE)
def ledger(request: AssociationRequest) -> HttpResponse:
    """The year's ledger rows in force (what the statements count), by date, optionally of one account."""
    year = _year(request)
    rows = LedgerRow.objects.filter(
        association=request.association, source__in_force=True, source__year_start__year=year
    ).order_by("date", "source_id", "id")
    account = request.GET.get("konto", "").strip()
    if account:
        if not account.isdigit():
            raise Http404
        rows = rows.filter(account=int(account))
    names = dict(LedgerAccount.objects.filter(association=request.association).values_list("number", "name"))
    page = Paginator(rows, 100).get_page(request.GET.get("sida"))
    context = {
        "year": year,
        "account": account,
        "page": page,
        "rows": [(row, names.get(row.account, ""), amount_text(from_ore(row.ore))) for row in page],
        "imports": LedgerImport.objects.filter(
            association=request.association, in_force=True, year_start__year=year
        ),
    }
    return render(request, "finance/ledger.html", context)


@association_view(Perm.VIEW_FINANCE)
def import_history(request: AssociationRequest) -> HttpResponse:
    """Every SIE file imported: file, checksum, who, when, rows, and whether a later one replaced it."""
    imports = LedgerImport.objects.filter(association=request.association)
    page = Paginator(imports, 50).get_page(request.GET.get("sida"))
    return render(request, "finance/imports.html", {"page": page})


@association_view(Perm.EDIT_FINANCE)
@uploads.accepts("sie", "budget")
def upload(request: AssociationRequest) -> HttpResponse:
    if request.method == "POST":
        jobs.end_stale(request.association)  # a GET writes nothing: the jobs it shows as ended are ended here
        jobs.expire_confirmations(request.association)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        job = jobs.start(
            Actor.of(request),
            request.association,
            form.cleaned_data["kind"],
            uploaded.name,
            uploaded.chunks(),
        )
        return redirect("finance:job", slug=request.association.slug, pk=job.pk)
    recent = [jobs.as_seen(j) for j in ImportJob.objects.filter(association=request.association)[:5]]
    return render(request, "finance/upload.html", {"form": form, "recent": recent})


@association_view(Perm.EDIT_FINANCE)
def job(request: AssociationRequest, pk: int) -> HttpResponse:
    """The progress of an import; while it runs the page asks again every second (HTMX)."""
    chosen = jobs.as_seen(get_object_or_404(ImportJob, pk=pk, association=request.association))
    template = "finance/_job.html" if request.htmx else "finance/job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": chosen})


@require_POST
@association_view(Perm.EDIT_FINANCE)
def confirm(request: AssociationRequest, pk: int) -> HttpResponse:
    """Store, or decline, the change an import showed; only its user may, with its token, within the hour."""
    chosen = get_object_or_404(ImportJob, pk=pk, association=request.association, user=request.user.pk)
    actor = Actor.of(request)
    jobs.expire_confirmations(request.association)
    chosen.refresh_from_db()
    if not jobs.confirmable(chosen, request.POST.get("token", ""), actor):
        messages.error(
            request, _("Ändringen kan inte längre bekräftas; ingenting har ändrats. Ladda upp filen igen.")
        )
        return redirect("finance:upload", slug=request.association.slug)
    if "avbryt" in request.POST:
        jobs.cancel(chosen)
    else:
        jobs.confirm(chosen)
    return redirect("finance:job", slug=request.association.slug, pk=chosen.pk)


@association_view(Perm.VIEW_FINANCE)
def mapping(request: AssociationRequest) -> HttpResponse:
    rows = StatementRow.objects.filter(association=request.association).select_related("member")
    day = _date(request)
    context = {
        "rows": rows,
        "unmapped": statements.unmapped(request.association, day),
        "can_edit": Perm.EDIT_FINANCE in request.perms,
        "day": day,
    }
    return render(request, "finance/mapping.html", context)


def _row_form(request: AssociationRequest, row: StatementRow, title: str) -> HttpResponse:
    form = StatementRowForm(request.POST or None, instance=row, association=request.association)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_statement_row(Actor.of(request), form.save(commit=False))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Raden är sparad."))
            return redirect("finance:mapping", slug=request.association.slug)
    back = f"/f/{request.association.slug}/ekonomi/rader/"
    return render(request, "organisation/form.html", {"form": form, "title": title, "back": back})


@association_view(Perm.EDIT_FINANCE)
def row_create(request: AssociationRequest) -> HttpResponse:
    last = StatementRow.objects.filter(association=request.association).order_by("-position").first()
    return _row_form(request, StatementRow(position=(last.position + 1) if last else 1), _("Ny rapportrad"))


@association_view(Perm.EDIT_FINANCE)
def row_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    row = get_object_or_404(StatementRow, pk=pk, association=request.association)
    return _row_form(request, row, str(row))


@association_view(Perm.VIEW_FINANCE)
def budget_table(request: AssociationRequest) -> HttpResponse:
    try:
        year = int(request.GET.get("ar") or _date(request).year)
    except ValueError:
        raise Http404 from None
    lines = BudgetLine.objects.filter(association=request.association, year__in=[year, year + 1, year + 2])
    found = {(line.row_id, line.kind, line.year): line for line in lines}
    columns = [(BudgetLine.Kind.BUDGET, y) for y in (year, year + 1, year + 2)] + [
        (BudgetLine.Kind.FORECAST, year)
    ]
    rows = StatementRow.objects.filter(
        association=request.association, statement=StatementRow.Statement.INCOME
    )
    table = [(row, [found.get((row.pk, kind, y)) for kind, y in columns]) for row in rows]
    context = {
        "year": year,
        "years": [year, year + 1, year + 2],
        "table": table,
        "can_edit": Perm.EDIT_FINANCE in request.perms,
    }
    return render(request, "finance/budget.html", context)


@association_view(Perm.EDIT_FINANCE)
def budget_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    line = get_object_or_404(BudgetLine, pk=pk, association=request.association)
    form = BudgetEditForm(request.POST or None, initial={"amount": line.amount, "version": line.version})
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            line = budget.edit(
                Actor.of(request),
                line,
                form.cleaned_data["amount"],
                form.cleaned_data["version"],
                form.cleaned_data["note"],
            )
        except budget.StaleEdit:
            stale = True
            line.refresh_from_db()
            form = BudgetEditForm(initial={"amount": line.amount, "version": line.version})
        else:
            messages.success(request, _("Beloppet är sparat."))
            return redirect(f"/f/{request.association.slug}/ekonomi/budget/?ar={line.year}")
    history = line.changes.all()[:20]
    return render(
        request, "finance/budget_edit.html", {"line": line, "form": form, "stale": stale, "history": history}
    )
