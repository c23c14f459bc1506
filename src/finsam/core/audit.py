"""The audit trail every service function writes, in the transaction of its change."""

from __future__ import annotations

import datetime as dt
import getpass
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import models

from finsam.core.models import AuditEntry, DataVersion

if TYPE_CHECKING:
    from django.http import HttpRequest

    from finsam.accounts.models import User
    from finsam.organisation.models import Association


@dataclass(frozen=True)
class Actor:
    """Who makes a change: a logged-in user, or a command run from the shell."""

    user: User | None
    label: str
    source: str = ""

    @classmethod
    def of(cls, request: HttpRequest) -> Actor:
        user = request.user if request.user.is_authenticated else None
        address = request.META.get("REMOTE_ADDR", "")
        return cls(
            user=user, label=user.get_username() if user else "anonym", source=f"webb {address}".strip()
        )

    def as_job_argument(self) -> dict[str, Any]:
        """The actor as a queued job carries it (finsam.core.jobs): plain values, the user by her id."""
        return {"user": self.user.pk if self.user else None, "label": self.label, "source": self.source}

    @classmethod
    def from_job_argument(cls, value: dict[str, Any]) -> Actor:
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.filter(pk=value["user"]).first() if value["user"] else None
        return cls(user=user, label=value["label"], source=value["source"])

    @classmethod
    def command(cls, name: str) -> Actor:
        try:
            who = getpass.getuser()
        except (KeyError, OSError):
            who = "okänd"
        return cls(user=None, label=f"{who} (kommandorad)", source=f"finsam {name}")


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


# Never copied into the trail: a password hash is a secret even when it changes.
SECRET_FIELDS = frozenset({"password"})


def values(instance: models.Model) -> dict[str, Any]:
    """The concrete field values as JSON-safe plain values, secrets included: compare, never store."""
    result: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        if isinstance(field, models.DecimalField) and isinstance(value, Decimal):
            # As stored, so 1300000 typed in a form and 1300000.00 read back compare equal.
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        result[field.attname] = _plain(value)
    return result


def mask(plain: dict[str, Any]) -> dict[str, Any]:
    """What may enter the trail: a secret shows only that it is set."""
    return {k: ("***" if k in SECRET_FIELDS and v else v) for k, v in plain.items()}


def snapshot(instance: models.Model) -> dict[str, Any]:
    return mask(values(instance))


def record(
    actor: Actor,
    action: str,
    instance: models.Model,
    *,
    association: Association | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    if association is not None:
        _renew_version(association.pk)
    return AuditEntry.objects.create(
        association=association,
        user=actor.user,
        actor=actor.label,
        source=actor.source,
        action=action,
        object_type=instance._meta.label_lower,
        object_id=str(instance.pk or ""),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )


def _renew_version(association_id: int) -> None:
    """A new data version for the association, in the change's transaction: a reader sees it when, and only
    when, it sees the change."""
    DataVersion.objects.update_or_create(
        association_id=association_id, defaults={"version": uuid.uuid4().hex}
    )


def data_version(association_id: int) -> str:
    """The association's data version: renewed by every audited change to its data ("" before the first)."""
    found = DataVersion.objects.filter(association_id=association_id).values_list("version", flat=True)
    return next(iter(found), "")
