from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.accounts.roles import ROLE_PERMS, Perm, Role


class User(AbstractUser):
    """A person who logs in; what she may see comes from her memberships, never from the user itself."""

    password_change_required = models.BooleanField(
        _("måste byta lösenord"),
        default=False,
        help_text=_("Satt när kansliet har skapat kontot med ett engångslösenord."),
    )

    class Meta:
        verbose_name = _("användare")
        verbose_name_plural = _("användare")

    def memberships_in(self, association_id: int) -> list[Membership]:
        return [m for m in self.memberships.all() if m.association_id == association_id]

    def perms_in(self, association_id: int) -> frozenset[Perm]:
        perms: set[Perm] = set()
        for membership in self.memberships_in(association_id):
            perms |= ROLE_PERMS[membership.role]
        return frozenset(perms)


class Membership(models.Model):
    """A role a user holds in one association (a registrar: for the interventions named)."""

    user = models.ForeignKey(
        User, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="memberships"
    )
    association = models.ForeignKey(
        "organisation.Association",
        verbose_name=_("förbund"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    interventions = models.ManyToManyField(
        "organisation.Intervention", verbose_name=_("insatser"), blank=True, related_name="registrars"
    )

    class Meta:
        verbose_name = _("roll")
        verbose_name_plural = _("roller")
        constraints = [
            models.UniqueConstraint(fields=["user", "association", "role"], name="membership_role_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.association}"


class RoleRequest(models.Model):
    """A role that needs approval (roles.needs_approval), asked for on the web: it is given only when the data
    protection officer or another administrator of the association approves, never by the one who asked or the
    one it is for (accounts.approvals.may_decide, ADR 0014)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Väntar på beslut")
        APPROVED = "approved", _("Godkänd")
        REFUSED = "refused", _("Avslagen")

    association = models.ForeignKey(
        "organisation.Association",
        verbose_name=_("förbund"),
        on_delete=models.CASCADE,
        related_name="role_requests",
    )
    user = models.ForeignKey(
        User, verbose_name=_("gäller"), on_delete=models.CASCADE, related_name="role_requests"
    )
    role = models.CharField(_("roll"), max_length=20, choices=Role.choices)
    interventions = models.ManyToManyField(
        "organisation.Intervention", verbose_name=_("insatser"), blank=True, related_name="+"
    )
    reason = models.TextField(_("motivering"), blank=True)
    requested_by = models.ForeignKey(
        User, verbose_name=_("begärd av"), on_delete=models.PROTECT, related_name="role_requests_made"
    )
    requested_at = models.DateTimeField(_("begärd"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("beslutad av"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_requests_decided",
    )
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    comment = models.TextField(_("kommentar till beslutet"), blank=True)

    class Meta:
        verbose_name = _("begäran om roll")
        verbose_name_plural = _("begäranden om roller")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "association", "role"],
                condition=models.Q(status="pending"),
                name="role_request_one_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.association}"


class NotificationSetting(models.Model):
    """Whether a user gets one kind of e-mail notification (accounts.notifications); without a row, she
    does."""

    user = models.ForeignKey(
        User, verbose_name=_("användare"), on_delete=models.CASCADE, related_name="notification_settings"
    )
    kind = models.CharField(_("slag"), max_length=50)
    enabled = models.BooleanField(_("skickas"), default=True)

    class Meta:
        verbose_name = _("e-postavisering")
        verbose_name_plural = _("e-postaviseringar")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_setting_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.kind}: {'på' if self.enabled else 'av'}"
