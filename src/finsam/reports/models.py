from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
