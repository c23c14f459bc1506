from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import MoneyField, UploadField, check_upload
from finsam.finance.models import StatementRow
from finsam.organisation.models import Association


class UploadForm(forms.Form):
    KINDS = [("sie", _("SIE-fil (bokföring)")), ("budget", _("Budget och prognos (CSV)"))]
    kind = forms.ChoiceField(label=_("Slag av fil"), choices=KINDS)
    file = UploadField(
        label=_("Fil"), help_text=_("SIE 4, typ 2 eller 3 från ekonomisystemet, eller rad;år;typ;belopp.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("file") is not None and data.get("kind"):
            try:
                check_upload(data["file"], data["kind"])
            except forms.ValidationError as error:
                self.add_error("file", error)
        return data


class StatementRowForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = StatementRow
        fields = [
            "statement",
            "position",
            "code",
            "name",
            "section",
            "category",
            "accounts",
            "object",
            "member",
            "budget_only",
            "yearly_amount",
            "use_of_equity",
        ]

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.association_id:
            self.instance.association = association
        self.fields["member"].queryset = association.members.all()  # type: ignore[attr-defined]


class BudgetEditForm(forms.Form):
    amount = MoneyField(label=_("Belopp (kr)"))
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Anteckning (t.ex. styrelsebeslut)"), max_length=300, required=False)
