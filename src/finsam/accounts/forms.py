from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.accounts.notifications import Kind
from finsam.accounts.roles import Role, needs_approval
from finsam.organisation.models import Association, Intervention


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Engångskod"),
        max_length=12,
        help_text=_("Sex siffror från din autentiseringsapp, eller en av dina återställningskoder."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())


class GrantRoleForm(forms.Form):
    username = forms.RegexField(
        label=_("Användarnamn"),
        regex=r"^[\w.@+-]{2,150}$",
        help_text=_("Finns användaren redan får hon den nya rollen; annars skapas ett konto."),
        error_messages={"invalid": _("Bokstäver, siffror och . @ + - _, minst två tecken.")},
    )
    first_name = forms.CharField(label=_("Förnamn"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Efternamn"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-post"), required=False)
    role = forms.ChoiceField(label=_("Roll"), choices=Role.choices)
    interventions = forms.ModelMultipleChoiceField(
        label=_("Insatser (för deltagarregistratorer)"),
        queryset=Intervention.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Motivering"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, association: Association, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        queryset = association.interventions.filter(kind=Intervention.Kind.INDIVIDUAL)
        self.fields["interventions"].queryset = queryset  # type: ignore[attr-defined]
        asked = ", ".join(str(label) for value, label in Role.choices if needs_approval(value))
        self.fields["reason"].help_text = _(
            "Rollerna %(roles)s ges först när dataskyddsombudet eller en annan kansliadministratör har "
            "godkänt. Skriv gärna varför rollen behövs."
        ) % {"roles": asked}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.REGISTRAR and not data.get("interventions"):
            self.add_error("interventions", _("En deltagarregistrator behöver minst en insats."))
        if data.get("role") != Role.REGISTRAR and data.get("interventions"):
            self.add_error("interventions", _("Insatser anges bara för deltagarregistratorer."))
        return data


class DecisionForm(forms.Form):
    """Approve or refuse a request for a role; which one is the button pressed."""

    decision = forms.ChoiceField(choices=[("approve", _("Godkänn")), ("refuse", _("Avslå"))])
    comment = forms.CharField(label=_("Kommentar (valfri)"), max_length=1000, required=False)


class NotificationForm(forms.Form):
    """A checkbox per kind of e-mail notification the user may get, ticked when she gets it."""

    def __init__(self, *args: Any, kinds: list[Kind], chosen: dict[str, bool], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in kinds:
            self.fields[kind.key] = forms.BooleanField(
                label=kind.label, help_text=kind.description, required=False, initial=chosen[kind.key]
            )
