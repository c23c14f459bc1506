from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.finance.accounts_spec import SpecError, parse_accounts, parse_object
from finsam.organisation.models import code_validator


def validate_accounts(value: str) -> None:
    try:
        parse_accounts(value)
    except SpecError as error:
        raise ValidationError(_("%(value)s: förväntade %(expected)s"), params=vars(error)) from None


def validate_object(value: str) -> None:
    try:
        parse_object(value)
    except SpecError as error:
        raise ValidationError(_("%(value)s: förväntade %(expected)s"), params=vars(error)) from None


class StatementRow(models.Model):
    """A row of the income statement or balance sheet and the ledger rows it takes (first match wins)."""

    class Statement(models.TextChoices):
        INCOME = "income_statement", _("Resultaträkning")
        BALANCE = "balance_sheet", _("Balansräkning")

    class Section(models.TextChoices):
        INCOME = "income", _("Intäkter")
        OPERATIONS = "operations", _("Verksamhet")
        ADMINISTRATION = "administration", _("Administration")
        FINANCIAL = "financial", _("Finansiella poster")
        ASSETS = "assets", _("Tillgångar")
        LIABILITIES = "liabilities", _("Skulder")

    class Category(models.TextChoices):
        NONE = "", _("–")
        INDIVIDUAL = "individual", _("Individinriktad")
        STRUCTURAL = "structural", _("Strukturinriktad")
        ADMINISTRATION = "administration", _("Administration")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="statement_rows"
    )
    statement = models.CharField(_("rapport"), max_length=20, choices=Statement.choices)
    position = models.PositiveIntegerField(_("ordning"))
    code = models.CharField(_("kod"), max_length=30, validators=[code_validator])
    name = models.CharField(_("namn"), max_length=200)
    section = models.CharField(_("avsnitt"), max_length=20, choices=Section.choices)
    category = models.CharField(_("kategori"), max_length=20, choices=Category.choices, blank=True)
    accounts = models.CharField(_("konton"), max_length=300, blank=True, validators=[validate_accounts])
    object = models.CharField(_("objekt"), max_length=100, blank=True, validators=[validate_object])
    member = models.ForeignKey(
        "organisation.Member", verbose_name=_("medlem"), null=True, blank=True, on_delete=models.SET_NULL
    )
    budget_only = models.BooleanField(_("endast budget"), default=False)

    class Meta:
        verbose_name = _("rapportrad")
        verbose_name_plural = _("rapportrader")
        ordering = ["association", "statement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "statement", "code"], name="statement_row_code_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        income_sections = {"income", "operations", "administration", "financial"}
        balance_sections = {"assets", "liabilities"}
        allowed = income_sections if self.statement == self.Statement.INCOME else balance_sections
        if self.section not in allowed:
            raise ValidationError({"section": _("Avsnittet passar inte den här rapporten.")})
        if not self.accounts and not self.budget_only:
            raise ValidationError({"accounts": _("Ange konton, eller markera raden som endast budget.")})
