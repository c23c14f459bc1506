"""Goals, structural-work registers and surveys: the office edits, the board and report readers read.

The answer form under /enkat/<token>/ is public: no login, nothing about the respondent kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect

from finsam.accounts.access import AssociationRequest, association_view
from finsam.accounts.roles import Perm
from finsam.core import clock
from finsam.core.audit import Actor
from finsam.goals import follow_up, forms, measures, results, sentence, services, statistics
from finsam.goals.models import (
    Commitment,
    CooperationCase,
    CooperationMeeting,
    DeviationReport,
    Event,
    Question,
    Questionnaire,
    Survey,
    SurveyLink,
)
from finsam.organisation.forms import AssociationBoundForm


def _editable(request: AssociationRequest) -> bool:
    return Perm.EDIT_ORGANISATION in request.perms


def _base(request: AssociationRequest) -> str:
    return f"/f/{request.association.slug}/mal"


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("ar") or default)
    except ValueError:
        raise Http404 from None
    if not 2004 <= year <= 2100:
        raise Http404
    return year


def _period(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _form_page(
    request: AssociationRequest,
    form: BaseForm,
    *,
    title: str,
    back: str,
    save: Callable[[], Any],
    extra: dict[str, Any] | None = None,
    delete: str = "",
) -> HttpResponse:
    """A form page: on a valid POST save through the service, then go back; errors stay on the form."""
    if request.method == "POST" and form.is_valid():
        try:
            save()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Ändringarna är sparade."))
            return redirect(back)
    context = {"form": form, "title": title, "back": back, "delete": delete, **(extra or {})}
    return render(request, "goals/form.html", context)


# --- Commitments -------------------------------------------------------------------------------------------


@association_view(Perm.VIEW_REPORTS)
def index(request: AssociationRequest) -> HttpResponse:
    latest = Commitment.objects.filter(association=request.association).order_by("-year").first()
    year = _year(request, latest.year if latest else clock.today().year)
    start, end = _period(year)
    assessments = measures.assess_year(request.association, start, end)
    years = sorted(
        set(Commitment.objects.filter(association=request.association).values_list("year", flat=True))
        | {year}
    )
    context = {
        "year": year,
        "years": years,
        "assessments": assessments,
        "summary": sentence.summary(follow_up.counts(assessments), year) if assessments else "",
        "editable": _editable(request),
    }
    return render(request, "goals/index.html", context)


@association_view(Perm.EDIT_ORGANISATION)
def commitment_create(request: AssociationRequest) -> HttpResponse:
    year = _year(request, clock.today().year)
    initial = {"year": year, "position": services.next_position(request.association, year)}
    form = forms.CommitmentForm(request.POST or None, initial=initial, association=request.association)
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=_("Nytt åtagande"),
        back=f"{_base(request)}/?ar={year}",
        save=lambda: services.save_commitment(actor, form.save(commit=False)),
    )


@association_view(Perm.EDIT_ORGANISATION)
def commitment_edit(request: AssociationRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, pk=pk, association=request.association)
    form = forms.CommitmentForm(request.POST or None, instance=commitment, association=request.association)
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=_("Åtagande %(n)s för %(year)s") % {"n": commitment.position, "year": commitment.year},
        back=f"{_base(request)}/?ar={commitment.year}",
        save=lambda: services.save_commitment(actor, form.save(commit=False)),
        delete=f"{_base(request)}/atagande/{commitment.pk}/ta-bort/",
    )


@association_view(Perm.EDIT_ORGANISATION)
def commitment_delete(request: AssociationRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, pk=pk, association=request.association)
    if request.method != "POST":
        raise Http404
    services.delete_commitment(Actor.of(request), commitment)
    messages.success(request, _("Åtagandet är borttaget."))
    return redirect(f"{_base(request)}/?ar={commitment.year}")


@association_view(Perm.EDIT_ORGANISATION)
def commitment_assess(request: AssociationRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment, pk=pk, association=request.association)
    start, end = _period(commitment.year)
    assessment = measures.assess(commitment, start, end)
    initial = {
        "status": commitment.status or (assessment.suggested.value if assessment.suggested else ""),
        "comment": commitment.comment,
    }
    form = forms.AssessForm(request.POST or None, initial=initial)
    actor = Actor.of(request)

    def save() -> Commitment:
        data = form.cleaned_data
        return services.assess(actor, commitment, data["status"], data["comment"], start, end)

    return _form_page(
        request,
        form,
        title=_("Bedöm åtagande %(n)s för %(year)s") % {"n": commitment.position, "year": commitment.year},
        back=f"{_base(request)}/?ar={commitment.year}",
        save=save,
        extra={"assessment": assessment, "commitment": commitment},
    )


# --- Structural-work registers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Register:
    model: type[services.RegisterModel]
    form: type[AssociationBoundForm]
    title: Any
    new: Any
    date_field: str
    columns: tuple[tuple[str, Any], ...]  # attribute (or get_x_display), heading


REGISTERS: dict[str, Register] = {
    "samverkansarenden": Register(
        CooperationCase,
        forms.CooperationCaseForm,
        gettext_lazy("Samverkansärenden"),
        gettext_lazy("Nytt samverkansärende"),
        "raised_on",
        (
            ("raised_on", gettext_lazy("Datum")),
            ("local_group", gettext_lazy("Lokal grupp")),
            ("get_referring_party_display", gettext_lazy("Remittent")),
            ("get_age_group_display", gettext_lazy("Åldersgrupp")),
            ("meeting", gettext_lazy("Lyft vid möte")),
        ),
    ),
    "samverkansmoten": Register(
        CooperationMeeting,
        forms.CooperationMeetingForm,
        gettext_lazy("Samverkansmöten"),
        gettext_lazy("Nytt samverkansmöte"),
        "held_on",
        (
            ("held_on", gettext_lazy("Datum")),
            ("local_group", gettext_lazy("Lokal grupp")),
            ("note", gettext_lazy("Anteckning")),
        ),
    ),
    "avvikelser": Register(
        DeviationReport,
        forms.DeviationReportForm,
        gettext_lazy("Avvikelserapporter (Lex Heller)"),
        gettext_lazy("Ny avvikelserapport"),
        "reported_on",
        (
            ("reported_on", gettext_lazy("Datum")),
            ("parties", gettext_lazy("Berörda parter")),
            ("what_failed", gettext_lazy("Vad brast")),
            ("get_state_display", gettext_lazy("Status")),
            ("raised_nationally", gettext_lazy("Lyft nationellt")),
        ),
    ),
    "aktiviteter": Register(
        Event,
        forms.EventForm,
        gettext_lazy("Aktiviteter"),
        gettext_lazy("Ny aktivitet"),
        "held_on",
        (
            ("held_on", gettext_lazy("Datum")),
            ("get_kind_display", gettext_lazy("Slag")),
            ("topic", gettext_lazy("Ämne")),
            ("attendees", gettext_lazy("Deltagare")),
            ("unique_viewers", gettext_lazy("Unika tittare")),
        ),
    ),
}


def _register(name: str) -> Register:
    if name not in REGISTERS:
        raise Http404
    return REGISTERS[name]


def _cell(row: Model, attribute: str) -> Any:
    value = getattr(row, attribute)
    value = value() if callable(value) else value
    if isinstance(value, bool):
        return _("Ja") if value else _("Nej")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else value


@association_view(Perm.VIEW_REPORTS)
def structural(request: AssociationRequest) -> HttpResponse:
    year = _year(request, clock.today().year)
    start, end = _period(year)
    context = {
        "year": year,
        "cooperation": statistics.cooperation(request.association, start, end),
        "deviations": statistics.deviations(request.association, start, end),
        "events": statistics.events(request.association, start, end),
        "registers": [(slug, r.title) for slug, r in REGISTERS.items()],
    }
    return render(request, "goals/structural.html", context)


@association_view(Perm.VIEW_REPORTS)
def register_list(request: AssociationRequest, register: str) -> HttpResponse:
    config = _register(register)
    year = _year(request, clock.today().year)
    rows = config.model._default_manager.filter(
        association=request.association, **{f"{config.date_field}__year": year}
    )
    context = {
        "year": year,
        "register": register,
        "config": config,
        "rows": [(row.pk, [_cell(row, a) for a, _h in config.columns]) for row in rows],
        "editable": _editable(request),
    }
    return render(request, "goals/register_list.html", context)


@association_view(Perm.EDIT_ORGANISATION)
def register_edit(request: AssociationRequest, register: str, pk: int | None = None) -> HttpResponse:
    config = _register(register)
    instance = (
        get_object_or_404(config.model, pk=pk, association=request.association) if pk is not None else None
    )
    form = config.form(request.POST or None, instance=instance, association=request.association)
    base = f"{_base(request)}/register/{register}"
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=str(instance) if instance is not None else str(config.new),
        back=f"{base}/",
        save=lambda: services.save_register_row(actor, form.save(commit=False)),
        delete=f"{base}/{pk}/ta-bort/" if pk is not None else "",
    )


@association_view(Perm.EDIT_ORGANISATION)
def register_delete(request: AssociationRequest, register: str, pk: int) -> HttpResponse:
    config = _register(register)
    # The register's model is one of the register models; the stubs see only "a model".
    found = get_object_or_404(config.model, pk=pk, association=request.association)
    instance = cast(services.RegisterModel, found)
    if request.method != "POST":
        raise Http404
    services.delete_register_row(Actor.of(request), instance)
    messages.success(request, _("Raden är borttagen."))
    return redirect(f"{_base(request)}/register/{register}/")


# --- Surveys -----------------------------------------------------------------------------------------------


@association_view(Perm.VIEW_REPORTS)
def survey_index(request: AssociationRequest) -> HttpResponse:
    if request.method == "POST":
        if not _editable(request):
            raise PermissionDenied
        made = services.install_default_questionnaires(Actor.of(request), request.association)
        messages.success(request, _("%(n)s standardformulär har lagts till.") % {"n": len(made)})
        return redirect(f"{_base(request)}/enkater/")
    context = {
        "questionnaires": Questionnaire.objects.filter(association=request.association).prefetch_related(
            "questions"
        ),
        "surveys": Survey.objects.filter(association=request.association).select_related("questionnaire"),
        "editable": _editable(request),
    }
    return render(request, "goals/survey_index.html", context)


@association_view(Perm.EDIT_ORGANISATION)
def questionnaire_edit(request: AssociationRequest, pk: int | None = None) -> HttpResponse:
    instance = get_object_or_404(Questionnaire, pk=pk, association=request.association) if pk else None
    form = forms.QuestionnaireForm(request.POST or None, instance=instance, association=request.association)
    extra = {"questionnaire": instance, "questions": instance.questions.all() if instance else []}
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=instance.name if instance else _("Nytt frågeformulär"),
        back=f"{_base(request)}/enkater/",
        save=lambda: services.save_questionnaire(actor, form.save(commit=False)),
        extra=extra,
    )


@association_view(Perm.EDIT_ORGANISATION)
def question_edit(request: AssociationRequest, questionnaire: int, pk: int | None = None) -> HttpResponse:
    parent = get_object_or_404(Questionnaire, pk=questionnaire, association=request.association)
    if pk is not None:
        instance = get_object_or_404(Question, pk=pk, questionnaire=parent)
    else:
        last = parent.questions.order_by("-position").first()
        instance = Question(questionnaire=parent, position=last.position + 1 if last else 1)
    form = forms.QuestionForm(request.POST or None, instance=instance)
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=_("Fråga %(n)s i %(name)s") % {"n": instance.position, "name": parent.name},
        back=f"{_base(request)}/enkater/formular/{parent.pk}/",
        save=lambda: services.save_question(actor, form.save(commit=False)),
    )


@association_view(Perm.EDIT_ORGANISATION)
def survey_create(request: AssociationRequest) -> HttpResponse:
    form = forms.SurveyForm(
        request.POST or None, initial={"opens_on": clock.today()}, association=request.association
    )
    actor = Actor.of(request)
    return _form_page(
        request,
        form,
        title=_("Ny enkät"),
        back=f"{_base(request)}/enkater/",
        save=lambda: services.save_survey(actor, form.save(commit=False)),
    )


@association_view(Perm.VIEW_REPORTS)
def survey_detail(request: AssociationRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(
        Survey.objects.select_related("questionnaire"), pk=pk, association=request.association
    )
    editable = _editable(request)
    links_form = forms.LinksForm(request.POST or None)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if links_form.is_valid():
            data = links_form.cleaned_data
            services.create_links(
                Actor.of(request), survey, data["count"], single_use=data["single_use"], label=data["label"]
            )
            messages.success(request, _("Länkarna är skapade."))
            return redirect(f"{_base(request)}/enkater/{survey.pk}/")
    links = SurveyLink.objects.filter(survey=survey) if editable else SurveyLink.objects.none()
    context = {
        "survey": survey,
        "responses": survey.responses.count(),
        "results": results.survey_results(survey),
        "links": links,
        "links_form": links_form,
        "editable": editable,
        "open": survey.is_open_on(clock.today()),
        "answer_base": request.build_absolute_uri("/enkat/"),
    }
    return render(request, "goals/survey_detail.html", context)


# --- The public answer form --------------------------------------------------------------------------------


@never_cache
@csrf_protect
def answer(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = services.open_link(token)
    except services.SurveyClosed:
        return render(request, "goals/answer_closed.html", status=404)
    survey = link.survey
    questions = list(survey.questionnaire.questions.all())
    form = forms.AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit(token, form.values())
        except services.SurveyClosed:
            return render(request, "goals/answer_closed.html", status=404)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("survey:thanks")
    context = {"survey": survey, "questionnaire": survey.questionnaire, "form": form}
    return render(request, "goals/answer.html", context)


def answer_thanks(request: HttpRequest) -> HttpResponse:
    return render(request, "goals/answer_thanks.html")
