"""What the national part keeps: the exports an association has made (its log), and, in a national
installation, the public key each association registered and the exports taken in (ADR 0028)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ExportLog(models.Model):
    """One national export made by an association (written when the export is; its audit entry names it)."""

    association = models.ForeignKey(
        "organisation.Association", on_delete=models.CASCADE, related_name="national_exports"
    )
    start = models.DateField(_("från"))
    end = models.DateField(_("till och med"))
    created = models.DateTimeField(_("skapad"))
    fingerprint = models.CharField(_("nyckelns fingeravtryck"), max_length=80)
    digest = models.CharField(_("SHA-256 av det signerade"), max_length=64)

    class Meta:
        verbose_name = _("nationell export")
        verbose_name_plural = _("nationella exporter")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"Nationell export {self.start} – {self.end}"


class RegisteredKey(models.Model):
    """An association's public key, registered by its first export taken into this installation."""

    slug = models.SlugField(_("förbundets kortnamn"), max_length=50, unique=True)
    name = models.CharField(_("förbundets namn"), max_length=200)
    public_key = models.CharField(_("publik nyckel (base64)"), max_length=64)
    fingerprint = models.CharField(_("fingeravtryck"), max_length=80)
    registered = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        verbose_name = _("registrerad nyckel")
        verbose_name_plural = _("registrerade nycklar")
        ordering = ["slug"]

    def __str__(self) -> str:
        return f"Nyckel för {self.slug}"


class ReceivedExport(models.Model):
    """The export of one association and period in force here: a newer export of the same replaces it."""

    key = models.ForeignKey(RegisteredKey, on_delete=models.PROTECT, related_name="exports")
    start = models.DateField(_("från"))
    end = models.DateField(_("till och med"))
    created = models.DateTimeField(_("skapad av förbundet"))
    county = models.CharField(_("län"), max_length=60, blank=True)
    digest = models.CharField(_("SHA-256 av det signerade"), max_length=64)
    document = models.JSONField(_("exporten"))
    received = models.DateTimeField(_("mottagen"), auto_now=True)

    class Meta:
        verbose_name = _("mottagen export")
        verbose_name_plural = _("mottagna exporter")
        ordering = ["key__slug", "start", "end"]
        constraints = [
            models.UniqueConstraint(fields=["key", "start", "end"], name="received_export_period"),
        ]

    def __str__(self) -> str:
        return f"Export {self.start} – {self.end}"
