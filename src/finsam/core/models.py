from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """One change to data: who, when, what, and the values before and after.

    Written by the service functions in the same transaction as the change itself, so a change
    without its entry cannot be committed.
    """

    at = models.DateTimeField(_("tidpunkt"), auto_now_add=True, db_index=True)
    association = models.ForeignKey(
        "organisation.Association",
        verbose_name=_("förbund"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("användare"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = models.CharField(_("utförd av"), max_length=200)
    source = models.CharField(_("källa"), max_length=200, blank=True)
    action = models.CharField(_("händelse"), max_length=100, db_index=True)
    object_type = models.CharField(_("typ"), max_length=100)
    object_id = models.CharField(_("id"), max_length=64, blank=True)
    object_repr = models.CharField(_("post"), max_length=300, blank=True)
    before = models.JSONField(_("före"), null=True, blank=True)
    after = models.JSONField(_("efter"), null=True, blank=True)

    class Meta:
        verbose_name = _("ändringslogg")
        verbose_name_plural = _("ändringsloggar")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["association", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.object_repr}"

    @property
    def description(self) -> str:
        """The action as a reader of the trail says it: "Ändrade insats", "Läste in bokföring (SIE)"."""
        return describe(self.action, self.object_type)

    def changed_fields(self) -> list[tuple[str, object, object]]:
        before = self.before or {}
        after = self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]

    def changes(self) -> list[tuple[str, object, object]]:
        """The changed fields named as on the forms ("platser" for places) and a choice by its label
        ("Uppfyllt", not its code); other keys and values as written."""
        try:
            model = apps.get_model(self.object_type)
        except (LookupError, ValueError):
            fields = {}
        else:
            fields = {f.attname: f for f in model._meta.concrete_fields}

        def said(key: str, value: object) -> object:
            field = fields.get(key)
            return dict(field.flatchoices).get(value, value) if field is not None and field.choices else value

        return [
            (str(fields[k].verbose_name) if k in fields else k, said(k, before), said(k, after))
            for k, before, after in self.changed_fields()
        ]


def describe(action: str, object_type: str = "") -> str:
    """An action code in Swedish; the code itself when it is neither named nor a save of a known model."""
    named = ACTIONS.get(action)
    if named is not None:
        return str(named)
    verb = VERBS.get(action.rpartition(".")[2])
    try:
        thing = apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        return action
    return f"{verb} {thing}" if verb is not None else action


# What an action code of the trail says in Swedish. Saving and deleting through core.services writes
# "<model>.create|update|delete", said with the model's own name; the rest are named here.
VERBS = {"create": _("Skapade"), "update": _("Ändrade"), "delete": _("Tog bort")}
ACTIONS = {
    "2fa.enable": _("Aktiverade tvåstegsinloggning"),
    "2fa.recovery_codes": _("Skapade nya återställningskoder"),
    "2fa.setup": _("Började lägga till en autentiseringsapp"),
    "budget.set": _("Läste in budget eller prognos"),
    "budget.edit": _("Ändrade budget eller prognos"),
    "ledger.import": _("Läste in bokföring (SIE)"),
    "membership.grant": _("Gav en roll"),
    "membership.revoke": _("Tog bort en roll"),
    "notification.sent": _("Skickade e-postavisering"),
    "notification.failed": _("E-postavisering kunde inte skickas"),
    "notifications.choose": _("Ändrade sina e-postaviseringar"),
    "password.change": _("Bytte lösenord"),
    "participants.import": _("Läste in deltagare"),
    "participants.erase_expired": _("Gallrade deltagaruppgifter"),
    "participants.erase_numbers": _("Raderade sparade personnummer"),
    "rating.save": _("Sparade skattning"),
    "role.request": _("Begärde en roll som kräver godkännande"),
    "role.approve": _("Godkände en begärd roll"),
    "role.refuse": _("Avslog en begärd roll"),
    "report.start": _("Påbörjade rapportversion"),
    "report.text": _("Ändrade rapporttext"),
    "report.footnote": _("Ändrade fotnot i rapport"),
    "report.template": _("Laddade upp Word-mall"),
    "report.approve": _("Godkände rapport"),
    "report.approval_requested": _("Bad styrelsen godkänna rapportversion"),
    "report.approvals_withdrawn": _("Godkännanden återkallade"),
    "report.lock": _("Låste rapportversion"),
    "report.files": _("Skapade rapportversionens filer"),
    "report.render_failed": _("Rapportversionens filer kunde inte skapas"),
    "report.render_queued": _("Rapportversionens filer köades för att skapas"),
    "report.reference": _("Ändrade diarienummer eller beslutsdatum för rapportversion"),
    "report.audit_package": _("Laddade ner revisionspaket"),
    "response.create": _("Tog emot enkätsvar"),
    "surveylink.create": _("Skapade enkätlänkar"),
}


class WorkerBeat(models.Model):
    """When a job worker last reported in (finsam.core.jobs.beat): the health URL's sign that jobs run."""

    worker = models.CharField(max_length=200, unique=True)  # host and process of `finsam worker`
    seen_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.worker} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class DataVersion(models.Model):
    """A token per association that every audited change renews in its own transaction (finsam.core.audit):
    what is computed from an association's data may be kept under its version and is stale once it moves.
    A new token is random, never a count: a version is not met again after a rollback or a restore."""

    association = models.OneToOneField(
        "organisation.Association", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.CharField(max_length=32)

    def __str__(self) -> str:
        return f"{self.association_id} v{self.version}"
