"""Generic audited writes: one transaction, the change and its audit entry together."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models, transaction

from finsam.core.audit import Actor, mask, record, snapshot, values

if TYPE_CHECKING:
    from finsam.organisation.models import Association

M = TypeVar("M", bound=models.Model)


@transaction.atomic
def save(actor: Actor, instance: M, *, association: Association | None) -> M:
    """Validate and save instance; record a create or update entry with the values before and after.

    An update that changes nothing writes nothing, so repeating an import or a form leaves no noise.
    """
    before = None
    if instance.pk is not None:
        previous = instance._meta.model._default_manager.select_for_update().filter(pk=instance.pk).first()
        before = values(previous) if previous is not None else None
    instance.full_clean()
    if before == values(instance):
        return instance
    instance.save()
    verb = "update" if before is not None else "create"
    record(
        actor,
        f"{instance._meta.model_name}.{verb}",
        instance,
        association=association,
        before=mask(before) if before is not None else None,
        after=snapshot(instance),
    )
    return instance


@transaction.atomic
def delete(actor: Actor, instance: models.Model, *, association: Association | None) -> None:
    before = snapshot(instance)
    record(actor, f"{instance._meta.model_name}.delete", instance, association=association, before=before)
    instance.delete()
