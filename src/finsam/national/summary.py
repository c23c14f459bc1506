"""The national export as `finsam report national-export` writes it: the signed export as its JSON, and a
summary of what it holds as its document.

It is not a kind of `finsam.core.documents`' registry: making an export signs and logs it (`services.export`),
a write, and the registry's kinds are also served by the download pages, where a GET writes nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from finsam.core.audit import Actor
from finsam.core.documents import Column, Document, Gathered, Kind, Period, Section, Table
from finsam.national import services
from finsam.organisation.models import Association


def summary(signed: dict[str, Any]) -> Document:
    """What the export holds, for a reader: each intervention's published counts, and the key."""
    columns = [
        Column("name", _("Insats")),
        Column("active", _("Deltagande"), Kind.INTEGER),
        Column("new", _("Nya"), Kind.INTEGER),
        Column("exited", _("Avslutade"), Kind.INTEGER),
    ]
    rows = [
        {"name": i["name"], **{m: i["participants"][m]["total"] for m in ("active", "new", "exited")}}
        for i in signed["interventions"]
        if i["participants"] is not None
    ]
    total = {
        "name": _("Totalt"),
        **{m: signed["total"]["participants"][m]["total"] for m in ("active", "new", "exited")},
    }
    period = signed["period"]
    return Document(
        title=_("Nationell export"),
        association=signed["association"]["name"],
        period=f"{period['from']} – {period['to']}",
        sections=[
            Section(
                _("Deltagare"),
                [_("Signerad med nyckeln %s.") % signed["signer"]["fingerprint"]],
                [Table(_("Deltagare per insats"), columns, rows, total)],
            )
        ],
        filename=f"nationell-export-{signed['association']['slug']}-{period['from']}-{period['to']}",
    )


def gathered(association: Association, period: Period, actor: Actor) -> Gathered:
    """A new signed export of the period, logged, as a report."""
    signed = services.export(association, period.start, period.end, actor)
    return Gathered(signed, summary(signed))
