"""The contributions report: each member's part of a year's total, computed by the Finsam rule."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.core.documents import Cell, Column, Document, Kind, Section, Table
from finsam.core.money import json_amount
from finsam.organisation.contributions import Split


def as_json(split: Split) -> dict[str, Any]:
    return {
        "association": split.association.slug,
        "year": split.year,
        "total": json_amount(split.total),
        "allocated": json_amount(split.allocated),
        "rounding_difference": json_amount(split.rounding_difference),
        "municipal_total": json_amount(split.municipal_total),
        "members": [
            {
                "code": line.member.code,
                "name": line.member.name,
                "kind": line.member.kind,
                "population": line.population,
                "population_date": line.population_date.isoformat() if line.population_date else None,
                "share": f"{line.share:.6f}",
                "exact": json_amount(line.exact),
                "amount": json_amount(line.amount),
            }
            for line in split.lines
        ],
    }


def as_document(split: Split) -> Document:
    columns = [
        Column("name", _("Medlem")),
        Column("population", _("Folkmängd"), Kind.INTEGER),
        Column("population_date", _("Per"), Kind.DATE),
        Column("share", _("Andel"), Kind.SHARE),
        Column("amount", _("Bidrag (kr)"), Kind.MONEY),
    ]
    rows = [
        {
            "name": line.member.name,
            "population": line.population,
            "population_date": line.population_date,
            "share": line.share,
            "amount": line.amount,
        }
        for line in split.lines
    ]
    total: dict[str, Cell] = {
        "name": _("Summa"),
        "share": sum((ln.share for ln in split.lines), start=0),
        "amount": split.allocated,
    }
    notes = [
        _(
            "%(state)s bidrar med hälften, regionen med en fjärdedel och kommunerna tillsammans med en "
            "fjärdedel, fördelad efter folkmängd. Varje belopp är avrundat till hela hundratal kronor; "
            "kommunernas delar summerar exakt till kommunernas fjärdedel."
        )
        % {"state": split.state_name}
    ]
    if split.rounding_difference:
        notes.append(
            _("Avrundningsdifferens mot totalbeloppet: %s kr.") % formatting.kronor(split.rounding_difference)
        )
    intro = _("Totalt medlemsbidrag %(year)s: %(total)s kr.") % {
        "year": split.year,
        "total": formatting.kronor(split.total),
    }
    table = Table(_("Medlemsbidrag %s") % split.year, columns, rows, total, notes)
    return Document(
        title=_("Medlemsbidrag %s") % split.year,
        association=split.association.name,
        period=str(split.year),
        sections=[Section(_("Fördelning mellan medlemmarna"), [intro], [table])],
        filename=f"medlemsbidrag-{split.association.slug}-{split.year}",
    )
