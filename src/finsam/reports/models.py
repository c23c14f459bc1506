from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.finance.models import StatementRow
from finsam.organisation.models import Association


class ReportVersion(models.Model):
    """One version of a report to the board: its narrative texts while a draft, frozen files once approved."""

    class Kind(models.TextChoices):
        INTERIM = "interim-report", _("Delårsrapport")
        ANNUAL = "annual-report", _("Årsredovisning")
        BUSINESS_PLAN = "business-plan", _("Verksamhetsplan")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        LOCKED = "locked", _("Godkänd och låst")

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(_("rapport"), max_length=20, choices=Kind.choices)
    period_end = models.DateField(_("period till och med"))
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("skapad"), auto_now_add=True)
    created_by = models.CharField(_("skapad av"), max_length=200)
    place = models.CharField(_("ort"), max_length=100, blank=True)
    signed_on = models.DateField(_("datum för underskrift"), null=True, blank=True)
    # The board's decision that adopts the document (fastställd), and the association's diary number (Dnr):
    # printed on the title page. The date may change until the version is locked, the number at any time.
    adopted_on = models.DateField(_("fastställd"), null=True, blank=True)
    diary_number = models.CharField(_("diarienummer (Dnr)"), max_length=50, blank=True)
    locked_at = models.DateTimeField(_("låst"), null=True, blank=True)
    snapshot = models.JSONField(_("låsta uppgifter"), null=True, blank=True)

    class Meta:
        verbose_name = _("rapportversion")
        verbose_name_plural = _("rapportversioner")
        ordering = ["association", "-period_end", "kind", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["association", "kind", "period_end", "number"], name="report_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_end} v{self.number}"

    @property
    def locked(self) -> bool:
        return self.status == self.Status.LOCKED


class SectionText(models.Model):
    """The narrative of one section of a report version, in Markdown; figures may be placeholders."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="texts")
    key = models.CharField(_("avsnitt"), max_length=50)
    markdown = models.TextField(_("text"), blank=True)

    class Meta:
        verbose_name = _("avsnittstext")
        verbose_name_plural = _("avsnittstexter")
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="section_text_unique")]

    def __str__(self) -> str:
        return f"{self.version}: {self.key}"


class RowNote(models.Model):
    """A footnote to a statement row in this version (lettered a, b, c… in row order)."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="row_notes")
    row_code = models.CharField(_("rad"), max_length=30)
    text = models.CharField(_("fotnot"), max_length=500)

    class Meta:
        verbose_name = _("fotnot")
        verbose_name_plural = _("fotnoter")
        constraints = [models.UniqueConstraint(fields=["version", "row_code"], name="row_note_unique")]

    def __str__(self) -> str:
        return f"{self.row_code}: {self.text}"


class ReportFile(models.Model):
    """A format of a locked version, kept byte for byte: it never changes, whatever the data does later."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(_("format"), max_length=5)
    content = models.BinaryField(_("innehåll"))

    class Meta:
        verbose_name = _("rapportfil")
        verbose_name_plural = _("rapportfiler")
        constraints = [models.UniqueConstraint(fields=["version", "format"], name="report_file_unique")]

    def __str__(self) -> str:
        return f"{self.version}.{self.format}"


class Approval(models.Model):
    """A board member's approval of a version, confirmed with her second factor."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="approvals")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("namn"), max_length=200)
    role = models.CharField(_("roll"), max_length=200)
    approved_at = models.DateTimeField(_("godkänd"), auto_now_add=True)

    class Meta:
        verbose_name = _("godkännande")
        verbose_name_plural = _("godkännanden")
        ordering = ["approved_at"]
        constraints = [models.UniqueConstraint(fields=["version", "user"], name="approval_unique")]

    def __str__(self) -> str:
        return f"{self.name} {self.approved_at:%Y-%m-%d %H:%M}"


class SignificantEventQuerySet(models.QuerySet["SignificantEvent"]):
    def during(self, association: Association, start: dt.date, end: dt.date) -> SignificantEventQuerySet:
        """The association's events from start to end, in date order."""
        return self.filter(association=association, occurred_on__range=(start, end))


class SignificantEvent(models.Model):
    """An event of significance for the year (händelse av väsentlig betydelse, LKBR 11 kap.), entered by the
    office as it happens; the annual report's administration report drafts its part from those of its year. An
    event may name the income-statement row it bears on (a vacancy, a grant decision), so that the commentary
    on that row's deviation can cite it."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="significant_events"
    )
    occurred_on = models.DateField(_("datum"))
    title = models.CharField(_("rubrik"), max_length=200)
    text = models.TextField(_("beskrivning"), blank=True)
    row_code = models.CharField(
        _("rad i resultaträkningen"),
        max_length=30,
        blank=True,
        help_text=_(
            "Den rad händelsen påverkar, om någon. Då kan kommentaren till radens avvikelse nämna den."
        ),
    )

    objects = SignificantEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("väsentlig händelse")
        verbose_name_plural = _("väsentliga händelser")
        ordering = ["occurred_on", "id"]
        indexes = [models.Index(fields=["association", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.occurred_on.isoformat()} {self.title}"

    def clean(self) -> None:
        rows = StatementRow.objects.filter(
            association_id=self.association_id, statement=StatementRow.Statement.INCOME, code=self.row_code
        )
        if self.row_code and not rows.exists():
            raise ValidationError({"row_code": _("Förbundet har ingen sådan rad i resultaträkningen.")})


class StaffYear(models.Model):
    """The association's staff in a year, for the five-year overview: its own employees and the staff it buys
    from members or another association, in full-time equivalents (årsarbetare)."""

    association = models.ForeignKey("organisation.Association", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("år"), validators=[MinValueValidator(2004)])
    employees = models.PositiveIntegerField(_("antal anställda"), default=0)
    purchased = models.DecimalField(
        _("köpt personal (årsarbetare)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Tjänster som köps av medlemmar eller andra förbund, i heltidstjänster (1,35 = 135 %)."),
    )

    class Meta:
        verbose_name = _("personal under året")
        verbose_name_plural = _("personal per år")
        ordering = ["association", "year"]
        constraints = [models.UniqueConstraint(fields=["association", "year"], name="staff_year_unique")]

    def __str__(self) -> str:
        return f"{self.year}: {self.employees}"
