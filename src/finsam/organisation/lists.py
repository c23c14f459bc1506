"""The organisation's lists as report documents, so that every table on its pages can be taken to Excel."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from finsam.core.documents import (
    Cell,
    Column,
    Document,
    Gather,
    Gathered,
    Kind,
    Period,
    Section,
    Table,
    document_json,
)
from finsam.organisation.models import Association, BoardSeat, Grant, Intervention, Member


def _document(association: Association, title: str, table: Table, stem: str) -> Document:
    return Document(
        title=title,
        association=association.name,
        period="",
        sections=[Section(title, tables=[table])],
        filename=f"{stem}-{association.slug}",
    )


def members(association: Association) -> Document:
    rows: list[dict[str, Cell]] = []
    for member in (
        Member.objects.filter(association=association).in_report_order().prefetch_related("populations")
    ):
        latest = member.populations.all().first()
        rows.append(
            {
                "name": member.name,
                "code": member.code,
                "kind": member.get_kind_display(),
                "population": latest.count if latest else None,
                "date": latest.reference_date if latest else None,
            }
        )
    columns = [
        Column("name", _("Medlem")),
        Column("code", _("Kod")),
        Column("kind", _("Slag")),
        Column("population", _("Folkmängd"), Kind.INTEGER),
        Column("date", _("Per"), Kind.DATE),
    ]
    return _document(association, _("Medlemmar"), Table(_("Medlemmar"), columns, rows), "medlemmar")


def board(association: Association) -> Document:
    seats = BoardSeat.objects.filter(association=association).select_related("member", "person")
    rows: list[dict[str, Cell]] = [
        {
            "person": seat.person.name,
            "role": seat.get_role_display(),
            "office": seat.get_office_display() if seat.office else "",
            "member": seat.member.name,
            "start": seat.start,
            "end": seat.end,
        }
        for seat in seats.order_by("start", "person__name")
    ]
    columns = [
        Column("person", _("Namn")),
        Column("role", _("Uppdrag")),
        Column("office", _("Funktion")),
        Column("member", _("Utsedd av")),
        Column("start", _("Från"), Kind.DATE),
        Column("end", _("Till och med"), Kind.DATE),
    ]
    return _document(
        association, _("Styrelseuppdrag"), Table(_("Styrelseuppdrag"), columns, rows), "styrelse"
    )


def interventions(association: Association) -> Document:
    listed = Intervention.objects.filter(association=association).annotate(granted=Sum("grants__amount"))
    rows: list[dict[str, Cell]] = [
        {
            "name": i.name,
            "code": i.code,
            "kind": i.get_kind_display(),
            "provider": i.provider,
            "places": i.places,
            "start": i.start,
            "end": i.end,
            "granted": i.granted or Decimal(0),
        }
        for i in listed
    ]
    columns = [
        Column("name", _("Insats")),
        Column("code", _("Kod")),
        Column("kind", _("Slag")),
        Column("provider", _("Utförare")),
        Column("places", _("Platser"), Kind.INTEGER),
        Column("start", _("Start"), Kind.DATE),
        Column("end", _("Slut"), Kind.DATE),
        Column("granted", _("Beviljat totalt (kr)"), Kind.MONEY),
    ]
    return _document(association, _("Insatser"), Table(_("Insatser"), columns, rows), "insatser")


def grants(association: Association) -> Document:
    listed = Grant.objects.filter(intervention__association=association).select_related("intervention")
    rows: list[dict[str, Cell]] = [
        {
            "year": g.year,
            "intervention": g.intervention.name,
            "amount": g.amount,
            "decided": g.decided_on,
            "note": g.note,
        }
        for g in listed
    ]
    columns = [
        Column("year", _("År"), Kind.INTEGER),
        Column("intervention", _("Insats")),
        Column("amount", _("Belopp (kr)"), Kind.MONEY),
        Column("decided", _("Styrelsebeslut"), Kind.DATE),
        Column("note", _("Anteckning")),
    ]
    total: dict[str, Cell] = {
        "intervention": _("Summa"),
        "amount": sum((g.amount for g in listed), Decimal(0)),
    }
    table = Table(_("Beviljade belopp"), columns, rows, total)
    return _document(association, _("Beviljade belopp"), table, "beviljade-belopp")


def _list(build: Callable[[Association], Document]) -> Gather:
    """A list of the organisation (any period): the document's tables are its JSON too."""

    def gather_list(association: Association, period: Period) -> Gathered:
        document = build(association)
        return Gathered(document_json(document), document)

    return gather_list


# The kinds of report organisation registers (see `finsam.core.documents`).
KINDS: dict[str, Gather] = {
    "members": _list(members),
    "board": _list(board),
    "interventions": _list(interventions),
    "grants": _list(grants),
}
