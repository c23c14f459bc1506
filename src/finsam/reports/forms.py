from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import UploadField
from finsam.finance.models import StatementRow
from finsam.organisation.forms import DATE, AssociationBoundForm
from finsam.organisation.models import Association
from finsam.reports.models import ReportVersion, SignificantEvent, StaffYear


class StartForm(forms.Form):
    kind = forms.ChoiceField(label=_("Rapport"), choices=ReportVersion.Kind.choices)
    period_end = forms.DateField(
        label=_("Period till och med"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class TextForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    markdown = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Markdown: tom rad mellan stycken, * för punktlistor, **fetstil**. Siffror som {{ resultat }}."
        ),
    )


class ReferenceForm(forms.Form):
    diary_number = forms.CharField(label=_("Diarienummer (Dnr)"), max_length=50, required=False)
    adopted_on = forms.DateField(
        label=_("Fastställd av styrelsen"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Datum för styrelsens beslut. Kan ändras tills versionen är låst."),
    )

    def __init__(self, *args: object, locked: bool = False, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["adopted_on"].disabled = locked


class ApproveForm(forms.Form):
    code = forms.CharField(
        label=_("Kod från din autentiseringsapp"),
        max_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class TemplateForm(forms.Form):
    template = UploadField(
        kind="template",
        label=_("Word-mall (.docx)"),
        help_text=_(
            "Förbundets egen mall: dess format, sidhuvud, sidfot och logotyp används i Word-rapporterna."
        ),
    )

    def clean_template(self) -> object:
        uploaded = self.cleaned_data["template"]
        head = uploaded.read(4)
        uploaded.seek(0)
        if not uploaded.name.lower().endswith(".docx") or head != b"PK\x03\x04":
            raise forms.ValidationError(_("Filen är inte ett Word-dokument (.docx)."))
        return uploaded


class EventForm(AssociationBoundForm):
    """An event of the register; its row is one of the association's income-statement rows, or none."""

    class Meta:
        model = SignificantEvent
        fields = ["occurred_on", "title", "text", "row_code"]
        widgets = {"occurred_on": DATE, "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, association=association, **kwargs)
        rows = StatementRow.objects.filter(association=association, statement=StatementRow.Statement.INCOME)
        self.fields["row_code"] = forms.ChoiceField(
            label=_("Rad i resultaträkningen"),
            required=False,
            choices=[("", _("Ingen"))] + [(r.code, r.name) for r in rows],
            help_text=SignificantEvent._meta.get_field("row_code").help_text,
        )


class StaffForm(forms.Form):
    employees = forms.IntegerField(label=_("Antal anställda"), min_value=0, max_value=10_000)
    purchased = forms.DecimalField(
        label=_("Köpt personal (årsarbetare)"),
        required=False,
        min_value=Decimal(0),
        max_digits=5,
        decimal_places=2,
        localize=True,
        help_text=StaffYear._meta.get_field("purchased").help_text,
    )
