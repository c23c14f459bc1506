from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import MoneyField
from finsam.organisation import classification
from finsam.organisation.models import (
    Association,
    BoardSeat,
    ContributionTotal,
    Grant,
    Intervention,
    Member,
    MemberName,
    Population,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AssociationBoundForm(forms.ModelForm):  # type: ignore[type-arg]
    """A form whose choices and new instances belong to one association."""

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        if hasattr(self.instance, "association_id") and not self.instance.association_id:
            self.instance.association = association


class MemberForm(AssociationBoundForm):
    class Meta:
        model = Member
        fields = ["code", "name", "kind"]


class PopulationForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Population
        fields = ["count", "reference_date"]
        widgets = {"reference_date": DATE}


class MemberNameForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = MemberName
        fields = ["name", "until"]
        widgets = {"until": DATE}


class InterventionForm(AssociationBoundForm):
    target_groups = forms.MultipleChoiceField(
        label=_("Målgrupper"),
        choices=Intervention.TargetGroup.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Intervention
        fields = [
            "code",
            "name",
            "kind",
            "purpose",
            "target_groups",
            "follow_up",
            "esf",
            "provider",
            "places",
            "start",
            "end",
            "target_group",
            "public_description",
            "referral_info",
            "contact",
        ]
        widgets = {
            "start": DATE,
            "end": DATE,
            "target_group": forms.Textarea(attrs={"rows": 3}),
            "public_description": forms.Textarea(attrs={"rows": 4}),
            "referral_info": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial["target_groups"] = self.instance.target_group_codes()

    def clean_target_groups(self) -> str:
        return classification.join_target_groups(self.cleaned_data["target_groups"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = Intervention(
            kind=data.get("kind", ""),
            purpose=data.get("purpose", ""),
            target_groups=data.get("target_groups", ""),
        )
        try:
            classification.validate(chosen)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    self.add_error(field, message)
        return data


class BoardSeatForm(AssociationBoundForm):
    person_name = forms.CharField(label=_("Namn"), max_length=200)

    class Meta:
        model = BoardSeat
        fields = ["member", "role", "office", "start", "end"]
        widgets = {"start": DATE, "end": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = self.association.members.all()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.fields["person_name"].initial = self.instance.person.name
        self.order_fields(["person_name", "member", "role", "office", "start", "end"])


class GrantForm(forms.ModelForm):  # type: ignore[type-arg]
    amount = MoneyField(label=_("Belopp (kr)"))

    class Meta:
        model = Grant
        fields = ["intervention", "year", "amount", "decided_on", "note"]
        widgets = {"decided_on": DATE}

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.association = association
        self.fields["intervention"].queryset = association.interventions.all()  # type: ignore[attr-defined]


class ContributionTotalForm(AssociationBoundForm):
    amount = MoneyField(label=_("Totalt medlemsbidrag (kr)"), min_value=0)

    class Meta:
        model = ContributionTotal
        fields = ["year", "amount", "decided_on"]
        widgets = {"decided_on": DATE}
