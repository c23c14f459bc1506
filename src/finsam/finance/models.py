from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
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
    yearly_amount = models.BooleanField(
        _("känt årsbelopp"),
        default=False,
        help_text=_(
            "Beloppet gäller hela året (till exempel en årsavgift): delårsrapporten räknar periodens del av "
            "helårsprognosen i stället för det bokförda."
        ),
    )
    use_of_equity = models.BooleanField(
        _("användning av eget kapital"),
        default=False,
        help_text=_(
            "Budgetens och prognosens belopp är eget kapital från tidigare år som tas i anspråk, inte en "
            "intäkt: delårsrapporten visar dem på en egen rad under resultatet."
        ),
    )

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
        if self.use_of_equity and self.section != self.Section.INCOME:
            raise ValidationError(
                {"use_of_equity": _("Bara en intäktsrad kan vara användning av eget kapital.")}
            )


class LedgerImport(models.Model):
    """One SIE file imported: who, when, which file, and what it changed. Kept as the import history."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="ledger_imports"
    )
    imported_at = models.DateTimeField(_("importerad"), auto_now_add=True)
    actor = models.CharField(_("importerad av"), max_length=200)
    filename = models.CharField(_("fil"), max_length=300)
    sha256 = models.CharField(_("kontrollsumma (SHA-256)"), max_length=64)
    size = models.PositiveBigIntegerField(_("storlek (byte)"))
    program = models.CharField(_("program"), max_length=200, blank=True)
    generated = models.DateField(_("exporterad"), null=True, blank=True)
    sie_type = models.PositiveSmallIntegerField(_("SIE-typ"), null=True, blank=True)
    year_start = models.DateField(_("räkenskapsårets början"))
    year_end = models.DateField(_("räkenskapsårets slut"))
    vouchers = models.PositiveIntegerField(_("verifikationer"), default=0)
    rows = models.PositiveIntegerField(_("rader"), default=0)
    in_force = models.BooleanField(_("gäller"), default=True)
    changes = models.JSONField(_("ändringar"), default=dict)

    class Meta:
        verbose_name = _("SIE-import")
        verbose_name_plural = _("SIE-importer")
        ordering = ["-imported_at", "-id"]
        indexes = [models.Index(fields=["association", "year_start", "in_force"])]

    def __str__(self) -> str:
        return f"{self.filename} ({self.year_start.year})"


class LedgerAccount(models.Model):
    """An account of the association's chart, as the latest import named it."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="ledger_accounts"
    )
    number = models.PositiveIntegerField(_("konto"))
    name = models.CharField(_("namn"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("konto")
        verbose_name_plural = _("konton")
        ordering = ["association", "number"]
        constraints = [
            models.UniqueConstraint(fields=["association", "number"], name="ledger_account_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class LedgerRow(models.Model):
    """An amount that counts in the books: a voucher row, or a period balance (#PSALDO) of a ledger
    that exports no vouchers, dated the last day of its month. Debit positive, credit negative.

    Amounts are whole öre in an integer, so sums are exact in every database (SQLite adds decimals as floats).
    """

    # Every row's import is checked by the database, a batch at a time rather than by a foreign key's lookup
    # per row (on PostgreSQL a third of a million-row import): triggers of migration 0008 refuse a row of no
    # import and delete an import's rows with it (ADR 0029).
    source = models.ForeignKey(
        LedgerImport, on_delete=models.CASCADE, related_name="ledger_rows", db_constraint=False
    )
    # The row's association is its import's, kept beside it for the (association, date, account) index below,
    # which is also the association's own index. Only the import writes rows, a million at a time, and gives
    # every row its import's association: the database checks the import (a lookup per row) but not this
    # copy of its association, which would be a second lookup per row (ADR 0029).
    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    date = models.DateField(_("datum"))
    account = models.PositiveIntegerField(_("konto"))
    object_key = models.CharField(
        _("objekt"), max_length=200, blank=True
    )  # "1:10|6:ENTER", sorted by dimension
    ore = models.BigIntegerField(_("belopp (öre)"))
    voucher = models.CharField(_("verifikation"), max_length=60, blank=True)
    text = models.CharField(_("text"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("bokförd rad")
        verbose_name_plural = _("bokförda rader")
        indexes = [models.Index(fields=["association", "date", "account"])]

    def __str__(self) -> str:
        return f"{self.date} {self.account} {self.ore / 100:.2f}"


class LedgerBalance(models.Model):
    """An opening or closing balance (#IB, #UB) of a balance account for a fiscal year, as a file gave it."""

    class Kind(models.TextChoices):
        OPENING = "IB", _("Ingående balans")
        CLOSING = "UB", _("Utgående balans")

    source = models.ForeignKey(LedgerImport, on_delete=models.CASCADE, related_name="balances")
    association = models.ForeignKey("organisation.Association", on_delete=models.CASCADE, related_name="+")
    year_start = models.DateField(_("räkenskapsårets början"))
    kind = models.CharField(_("slag"), max_length=2, choices=Kind.choices)
    account = models.PositiveIntegerField(_("konto"))
    ore = models.BigIntegerField(_("belopp (öre)"))
    # The year's own file wins over what a later year's file says of it (its #IB -1 / #UB -1).
    own_year = models.BooleanField(default=True)

    class Meta:
        verbose_name = _("balans")
        verbose_name_plural = _("balanser")
        indexes = [models.Index(fields=["association", "year_start", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.year_start.year} {self.account} {self.ore / 100:.2f}"


class PeriodBalance(models.Model):
    """The ledger rows of the imports in force summed per month, account and objects (ADR 0029): öre and the
    number of rows. The import keeps them in its transaction (finance/balances.py); `finsam manage
    rebuild_balances` computes them again from the rows."""

    # db_index off: the unique constraint's index starts with the association.
    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    year_start = models.DateField(_("räkenskapsårets början"))  # of the imports whose rows these are
    month = models.DateField(_("månad"))  # its first day
    account = models.PositiveIntegerField(_("konto"))
    object_key = models.CharField(_("objekt"), max_length=200, blank=True)  # as LedgerRow.object_key
    ore = models.BigIntegerField(_("belopp (öre)"))
    rows = models.PositiveIntegerField(_("rader"))

    class Meta:
        verbose_name = _("periodsaldo")
        verbose_name_plural = _("periodsaldon")
        constraints = [
            models.UniqueConstraint(
                fields=["association", "month", "account", "object_key", "year_start"],
                name="period_balance_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.account} {self.object_key} {self.ore / 100:.2f}"


class BudgetLine(models.Model):
    """The budget or forecast of an income-statement row for a year. Changes are kept in BudgetChange."""

    class Kind(models.TextChoices):
        BUDGET = "budget", _("Budget")
        FORECAST = "forecast", _("Prognos")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="budget"
    )
    row = models.ForeignKey(
        StatementRow, verbose_name=_("rad"), on_delete=models.CASCADE, related_name="budget"
    )
    year = models.PositiveSmallIntegerField(_("år"))
    kind = models.CharField(_("slag"), max_length=10, choices=Kind.choices)
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    adopted = models.DecimalField(
        _("antagen budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Budgeten som den antogs med verksamhetsplanen, innan senare styrelsebeslut."),
    )
    as_of = models.DateField(_("per datum"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking: a stale edit is refused

    class Meta:
        verbose_name = _("budgetrad")
        verbose_name_plural = _("budgetrader")
        ordering = ["association", "year", "row__position", "kind"]
        constraints = [models.UniqueConstraint(fields=["row", "year", "kind"], name="budget_line_unique")]

    def __str__(self) -> str:
        return f"{self.row.code} {self.year} {self.kind}: {self.amount}"


class BudgetChange(models.Model):
    """Every amount a budget line has had: the history the statements' footnotes and the board rely on."""

    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True)
    actor = models.CharField(_("ändrad av"), max_length=200)
    source = models.CharField(_("källa"), max_length=300, blank=True)
    previous = models.DecimalField(_("tidigare belopp"), max_digits=14, decimal_places=2, null=True)
    amount = models.DecimalField(_("belopp"), max_digits=14, decimal_places=2)
    note = models.CharField(_("anteckning"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("budgetändring")
        verbose_name_plural = _("budgetändringar")
        ordering = ["line", "-at", "-id"]

    def __str__(self) -> str:
        return f"{self.line}: {self.previous} → {self.amount}"


class CostSharing(models.Model):
    """An agreement to invoice a share of some costs to a partner (seed 000: 50 % of the office's other costs
    and 35 % of the director's to the neighbour association)."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="cost_sharing"
    )
    partner = models.CharField(_("fakturera"), max_length=200)
    description = models.CharField(_("avser"), max_length=200)
    accounts = models.CharField(
        _("konton"), max_length=300, default="4000-7999", validators=[validate_accounts]
    )
    object = models.CharField(_("objekt"), max_length=100, blank=True, validators=[validate_object])
    share = models.DecimalField(
        _("andel"), max_digits=5, decimal_places=4, help_text=_("Till exempel 0,35 för 35 %.")
    )

    class Meta:
        verbose_name = _("kostnadsdelning")
        verbose_name_plural = _("kostnadsdelningar")
        ordering = ["association", "partner", "description"]
        constraints = [
            models.CheckConstraint(condition=models.Q(share__gt=0, share__lte=1), name="cost_share_fraction")
        ]

    def __str__(self) -> str:
        return f"{self.description}: {self.share:.0%} till {self.partner}"


class ImportJob(models.Model):
    """A file imported from the web app, run as a job of the queue (finance.jobs) so the page can show its
    progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kö")
        RUNNING = "running", _("Pågår")
        DONE = "done", _("Klar")
        REFUSED = "refused", _("Ej importerad")
        FAILED = "failed", _("Avbruten av ett fel")
        CONFIRM = "confirm", _("Väntar på bekräftelse")

    association = models.ForeignKey("organisation.Association", on_delete=models.CASCADE, related_name="+")
    # Who started it: only she may confirm it, with its token, while its file waits (finance.jobs.confirm).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("slag"), max_length=10)
    filename = models.CharField(_("fil"), max_length=300)
    actor = models.CharField(_("av"), max_length=200)
    started_at = models.DateTimeField(_("startad"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveBigIntegerField(default=0)
    total = models.PositiveBigIntegerField(default=0)
    summary = models.CharField(_("resultat"), max_length=300, blank=True)
    details = models.JSONField(_("detaljer"), default=list)
    # Signs of life while it runs (finance.jobs): the machine and process running it, when it last moved on.
    host = models.CharField(max_length=200, blank=True, editable=False)
    pid = models.PositiveIntegerField(null=True, editable=False)
    alive_at = models.DateTimeField(default=timezone.now, editable=False)
    # A change to a year already imported waits for its confirmation: the secret that confirms it, and the
    # imports in force that the change was shown against (sie_import.NeedsConfirmation.seen).
    token = models.CharField(max_length=64, blank=True, editable=False)
    seen = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("importjobb")
        verbose_name_plural = _("importjobb")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        return (
            100
            if self.status not in (self.Status.QUEUED, self.Status.RUNNING)
            else (100 * self.done // self.total if self.total else 0)
        )
