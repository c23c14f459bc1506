"""Generic audited writes: one transaction, the change and its audit entry together."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models, transaction

from finsam.core.audit import Actor, mask, record, snapshot, values

if TYPE_CHECKING:
    from finsam.organisation.models import Association

M = TypeVar("M", bound=models.Model)

Plain = dict[str, Any]
# What the audit entry of a save keeps, given the stored values before (None for a create) and after.
Trail = Callable[[Plain | None, Plain], tuple[Plain | None, Plain | None]]


def every_field(before: Plain | None, after: Plain) -> tuple[Plain | None, Plain | None]:
    """The default trail: every field before and after, secrets masked."""
    return (mask(before) if before is not None else None), mask(after)


@transaction.atomic
def save(actor: Actor, instance: M, *, association: Association | None, trail: Trail = every_field) -> M:
    """Validate and save instance; record a create or update entry with the values before and after (or what
    trail keeps of them). The stored row is locked while it is compared and written.

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
    kept_before, kept_after = trail(before, values(instance))
    record(
        actor,
        f"{instance._meta.model_name}.{verb}",
        instance,
        association=association,
        before=kept_before,
        after=kept_after,
    )
    return instance


@transaction.atomic
def delete(actor: Actor, instance: models.Model, *, association: Association | None) -> None:
    before = snapshot(instance)
    record(actor, f"{instance._meta.model_name}.delete", instance, association=association, before=before)
    instance.delete()
