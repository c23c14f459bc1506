from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import UploadField
from finsam.organisation.models import Association, Intervention
from finsam.participants.identity import (
    InvalidPersonalNumber,
    ParticipantKey,
    looks_like_personal_number,
    participant_key,
    reason,
    sealed_copy,
)
from finsam.participants.models import (
    Area,
    Episode,
    ExitReason,
    IncomeSupport,
    LegalBasis,
    Occupation,
    ParticipantSettings,
    Rating,
    Referral,
)
from finsam.participants.services import settings_of

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
INCOME_CHOICES = IncomeSupport.choices


class YearsField(forms.DecimalField):
    """Years as Swedes type them: 3,5 or 3.5."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_digits=4, decimal_places=1, min_value=Decimal(0), max_value=Decimal(60), **kwargs
        )
        self.widget.input_type = "text"
        self.widget.attrs.update({"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        try:
            return Decimal(str(value).replace(",", ".").strip())
        except InvalidOperation:
            raise forms.ValidationError(_("Skriv antal år, till exempel 3,5.")) from None


class NumberlessInput(forms.TextInput):
    """A text box never filled with anything like a personnummer: a form shown again, after an error in it or
    in the service that was to store it (a duplicate enrolment), does not hold the number typed into it."""

    def format_value(self, value: Any) -> str | None:
        text = super().format_value(value)
        return None if text is not None and looks_like_personal_number(text) else text


def _participant_field(required: bool) -> forms.CharField:
    return forms.CharField(
        label=_("Deltagare"),
        required=required,
        max_length=60,
        help_text=_(
            "Personnummer (ÅÅÅÅMMDD-NNNN) eller förbundets egen nyckel. Ett personnummer sparas aldrig, "
            "bara en pseudonym som känner igen samma person."
        ),
        widget=NumberlessInput(attrs={"autocomplete": "off"}),
    )


class _KeyMixin:
    association: Association
    cleaned_data: dict[str, Any]

    def clean_participant(self) -> ParticipantKey | None:
        text = self.cleaned_data.get("participant", "")
        if not text:
            return None
        try:
            return participant_key(text, self.association)
        except InvalidPersonalNumber as error:
            raise forms.ValidationError(_("Inget giltigt personnummer: %s.") % reason(error)) from None


class EpisodeForm(_KeyMixin, forms.ModelForm):  # type: ignore[type-arg]
    """Enrolment of a participant in one of the registrar's interventions."""

    participant = _participant_field(required=True)
    income_before = forms.MultipleChoiceField(
        label=_("Försörjning vid start"),
        choices=INCOME_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    years_on_support = YearsField(label=_("År med offentlig försörjning före inskrivning"), required=False)

    class Meta:
        model = Episode
        fields = [
            "intervention",
            "legal_basis",
            "gender",
            "birth_year",
            "municipality",
            "education",
            "occupation_before",
            "years_on_support",
            "enrolled_on",
        ]
        widgets = {"enrolled_on": DATE, "municipality": NumberlessInput}

    def __init__(
        self, *args: Any, association: Association, interventions: QuerySet[Intervention], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        self.fields["intervention"].queryset = interventions  # type: ignore[attr-defined]
        self.order_fields(
            ["intervention", "participant", "legal_basis", "gender", "birth_year", "municipality"]
        )
        self.fields["legal_basis"].help_text = _(
            "Utan samtycke eller med skyddad identitet: välj anonym. Då sparas bara kön och datum."
        )

    def clean_municipality(self) -> str:
        text: str = self.cleaned_data.get("municipality", "")
        if looks_like_personal_number(text):
            raise forms.ValidationError(_("Skriv hemkommunens namn, inte ett personnummer."))
        return text

    def save(self, commit: bool = True) -> Episode:
        episode: Episode = super().save(commit=False)
        key: ParticipantKey = self.cleaned_data["participant"]
        episode.association = self.association
        episode.participant_key = key.pseudonym
        episode.key_kind = key.kind
        episode.own_key = key.own_key
        episode.sealed_number = sealed_copy(
            key, self.association, settings_of(self.association).keep_personal_numbers
        )
        episode.income_before = "|".join(sorted(self.cleaned_data["income_before"]))
        if episode.legal_basis == LegalBasis.ANONYMOUS:
            episode.own_key = ""
            episode.sealed_number = ""
            episode.birth_year = None
            episode.years_on_support = None
            for name in ("municipality", "education", "income_before", "occupation_before"):
                setattr(episode, name, "")
        return episode


class ExitForm(forms.Form):
    exited_on = forms.DateField(label=_("Avslutsdatum"), widget=DATE)
    exit_reason = forms.ChoiceField(label=_("Avslutsorsak"), choices=[("", "–"), *ExitReason.choices])
    income_after = forms.MultipleChoiceField(
        label=_("Försörjning vid avslut"),
        choices=INCOME_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    occupation_after = forms.ChoiceField(
        label=_("Sysselsättning vid avslut"), choices=Occupation.choices, required=False
    )

    def __init__(self, *args: Any, episode: Episode, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.episode = episode

    def clean_exited_on(self) -> Any:
        day = self.cleaned_data["exited_on"]
        if day < self.episode.enrolled_on:
            raise forms.ValidationError(
                _("Avslutsdatum kan inte vara före inskrivningsdatum (%s).")
                % self.episode.enrolled_on.isoformat()
            )
        return day


class RatingForm(forms.Form):
    rated_on = forms.DateField(label=_("Datum"), widget=DATE)
    rater = forms.ChoiceField(label=_("Skattad av"), choices=Rating.Rater.choices)

    def __init__(self, *args: Any, areas: list[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = areas
        for area in areas:
            instrument = area.instrument
            self.fields[f"area_{area.code}"] = forms.IntegerField(
                label=area.name,
                min_value=instrument.scale_min,
                max_value=instrument.scale_max,
                help_text=_("%(low)s–%(high)s") % {"low": instrument.scale_min, "high": instrument.scale_max},
            )

    def scores(self) -> dict[Area, int]:
        return {area: self.cleaned_data[f"area_{area.code}"] for area in self.areas}


class ReferralForm(_KeyMixin, forms.ModelForm):  # type: ignore[type-arg]
    participant = _participant_field(required=False)

    class Meta:
        model = Referral
        fields = ["intervention", "source", "received_on", "outcome"]
        widgets = {"received_on": DATE}

    def __init__(
        self, *args: Any, association: Association, interventions: QuerySet[Intervention], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        self.fields["intervention"].queryset = interventions  # type: ignore[attr-defined]
        self.order_fields(["intervention", "source", "received_on", "participant", "outcome"])
        if self.instance.pk:
            del self.fields["participant"]

    def save(self, commit: bool = True) -> Referral:
        referral: Referral = super().save(commit=False)
        referral.association = self.association
        key: ParticipantKey | None = self.cleaned_data.get("participant")
        if key is not None:
            referral.participant_key = key.pseudonym
        return referral


class ImportForm(forms.Form):
    file = UploadField(
        kind="participants",
        label=_("Fil"),
        help_text=_(
            "CSV (semikolon eller komma, UTF-8 eller Windows-1252) eller XLSX "
            "med kolumnerna i dokumentationen."
        ),
    )


class SettingsForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = ParticipantSettings
        fields = ["retention_years", "suppress_own_tables", "keep_personal_numbers"]


class VolumeForm(forms.Form):
    """Head counts of a structural intervention for a period, by gender."""

    intervention = forms.ModelChoiceField(label=_("Insats"), queryset=Intervention.objects.none())
    start = forms.DateField(label=_("Från"), widget=DATE)
    end = forms.DateField(label=_("Till och med"), widget=DATE)
    women = forms.IntegerField(label=_("Kvinnor"), min_value=0)
    men = forms.IntegerField(label=_("Män"), min_value=0)
    other = forms.IntegerField(label=_("Annat kön"), min_value=0, initial=0)

    def __init__(self, *args: Any, interventions: QuerySet[Intervention], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["intervention"].queryset = interventions  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("Periodens slut kan inte vara före dess början."))
        return data
