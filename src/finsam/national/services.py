"""The national part's writes: an association's export (signed and logged), and an export taken into a
national installation (its key registered the first time, a newer one replacing the older; ADR 0028)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core import audit
from finsam.core.audit import Actor
from finsam.national import export as national_export
from finsam.national import files, signing
from finsam.national.files import ExportRefused
from finsam.national.models import ExportLog, ReceivedExport, RegisteredKey
from finsam.organisation.models import Association
from finsam.privacy import periods


def export(association: Association, start: dt.date, end: dt.date, actor: Actor) -> dict[str, Any]:
    """The association's signed export of the allowed period holding start … end, logged with its audit
    entry; the signing key is made on the first export."""
    key = signing.private_key(association.slug)
    body = national_export.body(association, start, end, settings.SUPPRESSION_THRESHOLD, timezone.now())
    signed = signing.sign({**body, "signer": signing.signer(key)}, key)
    with transaction.atomic():
        log = ExportLog.objects.create(
            association=association,
            start=dt.date.fromisoformat(body["period"]["from"]),
            end=dt.date.fromisoformat(body["period"]["to"]),
            created=dt.datetime.fromisoformat(body["created"]),
            fingerprint=signed["signer"]["fingerprint"],
            digest=hashlib.sha256(signing.canonical(signed)).hexdigest(),
        )
        audit.record(actor, "national.exported", log, association=association, after=audit.snapshot(log))
    return signed


@dataclass(frozen=True)
class Received:
    """What taking one file in did, as the command prints it."""

    slug: str
    period: str
    outcome: str  # registered, added, replaced, unchanged, older
    fingerprint: str

    def summary(self) -> str:
        text = {
            "registered": _("första exporten: nyckeln är registrerad, exporten mottagen"),
            "added": _("mottagen"),
            "replaced": _("mottagen, ersätter en äldre export av samma period"),
            "unchanged": _("redan mottagen, ingenting ändrat"),
            "older": _("en nyare export av samma period finns redan, ingenting ändrat"),
        }[self.outcome]
        return f"{self.slug} {self.period}: {text}"


def _period(document: dict[str, Any]) -> tuple[dt.date, dt.date]:
    try:
        start = dt.date.fromisoformat(document["period"]["from"])
        end = dt.date.fromisoformat(document["period"]["to"])
        created = dt.datetime.fromisoformat(document["created"])
    except ValueError:
        raise ExportRefused(_("exporten har ett datum som inte finns")) from None
    if created.tzinfo is None or (start, end) not in periods.allowed_periods(end.year):
        raise ExportRefused(
            _("exportens period %(from)s – %(to)s är ingen av de tillåtna") % {"from": start, "to": end}
        )
    return start, end


def receive(path: Path, actor: Actor) -> Received:
    """Take one export in, all or nothing: read as a hostile file, checked against the schema and its
    signature (with the key registered for its association, or, the first time, with its own key, which is
    then registered). ExportRefused, changing nothing, for a file that fails any of it."""
    document = files.read(path)
    start, end = _period(document)
    slug = document["association"]["slug"]
    raw_key = base64.b64decode(document["signer"]["public_key"], validate=True)
    with transaction.atomic():
        key = RegisteredKey.objects.select_for_update().filter(slug=slug).first()
        if key is not None and key.public_key != document["signer"]["public_key"]:
            raise ExportRefused(
                _(
                    "exporten är signerad med en annan nyckel (%(found)s) än den som är registrerad för "
                    "%(slug)s (%(registered)s)"
                )
                % {"found": signing.fingerprint(raw_key), "slug": slug, "registered": key.fingerprint}
            )
        if not signing.verify(document, raw_key):
            raise ExportRefused(_("signaturen stämmer inte: exporten har ändrats efter att den signerades"))
        fingerprint = signing.fingerprint(raw_key)
        outcome = "added"
        if key is None:
            key = RegisteredKey.objects.create(
                slug=slug,
                name=document["association"]["name"],
                public_key=document["signer"]["public_key"],
                fingerprint=fingerprint,
            )
            audit.record(actor, "national.key_registered", key, association=None, after=audit.snapshot(key))
            outcome = "registered"
        outcome = _store(key, document, start, end, actor) or outcome
    return Received(slug, f"{start} – {end}", outcome, fingerprint)


def _store(key: RegisteredKey, document: dict[str, Any], start: dt.date, end: dt.date, actor: Actor) -> str:
    """Keep the export unless the same or a newer one of the period is here; returns how it went when it
    was not simply added."""
    digest = hashlib.sha256(signing.canonical(document)).hexdigest()
    created = dt.datetime.fromisoformat(document["created"])
    current = ReceivedExport.objects.filter(key=key, start=start, end=end).first()
    if current is not None and current.digest == digest:
        return "unchanged"
    if current is not None and current.created >= created:
        return "older"
    values = {
        "created": created,
        "county": document["association"]["county"] or "",
        "digest": digest,
        "document": document,
    }
    if current is None:
        received = ReceivedExport.objects.create(key=key, start=start, end=end, **values)
        trail = {"digest": digest, "created": document["created"]}
        audit.record(actor, "national.export_received", received, association=None, after=trail)
        return ""
    before = {"digest": current.digest, "created": current.created.isoformat()}
    for field, value in values.items():
        setattr(current, field, value)
    current.save()
    after = {"digest": digest, "created": document["created"]}
    audit.record(actor, "national.export_replaced", current, association=None, before=before, after=after)
    return "replaced"
