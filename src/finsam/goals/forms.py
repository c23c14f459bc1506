from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.goals import services
from finsam.goals.models import (
    DONT_KNOW,
    Commitment,
    CooperationCase,
    CooperationMeeting,
    DeviationReport,
    Event,
    Question,
    Questionnaire,
    Status,
    Survey,
)
from finsam.organisation.forms import DATE, AssociationBoundForm
from finsam.organisation.models import Intervention


class CommitmentForm(AssociationBoundForm):
    class Meta:
        model = Commitment
        fields = [
            "year",
            "position",
            "level",
            "text",
            "measure_text",
            "measure",
            "question",
            "intervention",
            "target",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions = Question.objects.filter(questionnaire__association=self.association)
        self.fields["question"].queryset = questions.select_related("questionnaire")  # type: ignore[attr-defined]
        self.fields["question"].label_from_instance = lambda q: f"{q.questionnaire}: {q.position}. {q.text}"  # type: ignore[attr-defined]
        interventions = self.association.interventions.filter(kind=Intervention.Kind.INDIVIDUAL)
        self.fields["intervention"].queryset = interventions  # type: ignore[attr-defined]


class AssessForm(forms.Form):
    status = forms.ChoiceField(label=_("Måluppfyllelse"), choices=Status.choices, widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Kommentar"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Behövs när du väljer en annan måluppfyllelse än den föreslagna."),
    )


class CooperationCaseForm(AssociationBoundForm):
    class Meta:
        model = CooperationCase
        fields = ["raised_on", "local_group", "referring_party", "age_group", "meeting"]
        widgets = {"raised_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        meetings = CooperationMeeting.objects.filter(association=self.association)
        self.fields["meeting"].queryset = meetings  # type: ignore[attr-defined]


class CooperationMeetingForm(AssociationBoundForm):
    class Meta:
        model = CooperationMeeting
        fields = ["held_on", "local_group", "note"]
        widgets = {"held_on": DATE}


class DeviationReportForm(AssociationBoundForm):
    class Meta:
        model = DeviationReport
        fields = ["reported_on", "parties", "what_failed", "state", "raised_nationally"]
        widgets = {"reported_on": DATE, "what_failed": forms.Textarea(attrs={"rows": 3})}


class EventForm(AssociationBoundForm):
    class Meta:
        model = Event
        fields = ["held_on", "kind", "topic", "attendees", "unique_viewers"]
        widgets = {"held_on": DATE}


class QuestionnaireForm(AssociationBoundForm):
    class Meta:
        model = Questionnaire
        fields = ["name", "respondent_group", "intro", "min_answers"]
        widgets = {"intro": forms.Textarea(attrs={"rows": 3})}

    def clean_min_answers(self) -> int:
        """The service's rule, shown on the field: `services.check_min_answers`."""
        value: int = self.cleaned_data["min_answers"]
        services.check_min_answers(self.instance, value)
        return value


class QuestionForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Question
        fields = ["position", "text", "scale", "positive_from", "required"]


class SurveyForm(AssociationBoundForm):
    class Meta:
        model = Survey
        fields = ["questionnaire", "name", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questionnaires = Questionnaire.objects.filter(association=self.association)
        self.fields["questionnaire"].queryset = questionnaires  # type: ignore[attr-defined]


class LinksForm(forms.Form):
    count = forms.IntegerField(label=_("Antal länkar"), min_value=1, max_value=500, initial=1)
    single_use = forms.BooleanField(
        label=_("Ett svar per länk"),
        required=False,
        initial=True,
        help_text=_("Dela ut en länk per person. Utan bocken kan samma länk ge många svar."),
    )
    label = forms.CharField(
        label=_("Etikett"),
        max_length=100,
        required=False,
        help_text=_("T.ex. var länkarna delas ut. Skriv inga namn eller andra personuppgifter."),
    )


class AnswerForm(forms.Form):
    """One radio group per question; "vet inte" is offered on every question."""

    def __init__(self, *args: Any, questions: list[Question], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            choices = [(str(step.value), step.label) for step in question.steps]
            choices.append((str(DONT_KNOW), str(_("Vet inte"))))
            self.fields[f"q{question.pk}"] = forms.TypedChoiceField(
                label=f"{question.position}. {question.text}"
                + (f" ({_('måste besvaras')})" if question.required else ""),
                choices=choices,
                coerce=int,
                required=question.required,
                empty_value=None,
                widget=forms.RadioSelect,
                error_messages={"required": _("Välj ett svar på den här frågan.")},
            )

    def values(self) -> dict[int, int | None]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
