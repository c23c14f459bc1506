"""What the board's documents share: the figures their texts may use, the texts, the signatures and the
printed form of their sections."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from itertools import takewhile
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.translation import gettext as _

from finsam.core import documents, formatting
from finsam.core.documents import Document, Section, Table
from finsam.finance import interim, statements
from finsam.finance.documents import balance_sheet
from finsam.finance.models import StatementRow
from finsam.organisation import names as member_names
from finsam.organisation.models import Association, Intervention, Member
from finsam.reports import deviations, narrative
from finsam.reports.board import drafted
from finsam.reports.models import ReportVersion

Other = tuple[dict[str, Any], Document] | None


# The section of each kind whose default text ends with the drafted commentary on deviations from the budget.
DRAFTED = {"interim-report": "economy", "annual-report": "deviations"}


def default_texts(
    kind: str, keys: Iterable[str], association: Association | None = None, end: dt.date | None = None
) -> dict[str, str]:
    """The default text of each section, as the office sees it to edit: the source of the template
    `reports/board/<kind>/<key>.md`, else of `reports/board/<key>.md`; a section without either has none.
    Given the association and the period's end, the section of `DRAFTED` ends with the drafted commentary on
    the deviations from the budget (`reports.deviations`)."""
    texts: dict[str, str] = {}
    for key in keys:
        try:
            template = select_template([f"reports/board/{kind}/{key}.md", f"reports/board/{key}.md"])
        except TemplateDoesNotExist:
            texts[key] = ""
        else:
            texts[key] = template.template.source.rstrip("\n")
    drafted = DRAFTED.get(kind)
    if association is not None and end is not None and drafted in texts:
        texts[drafted] = "\n\n".join(t for t in (texts[drafted], deviations.draft(association, end)) if t)
    return texts


@dataclass
class Texts:
    """The narrative of each section: the version's own, else the default with its figures."""

    own: dict[str, str]
    values: dict[str, str]
    defaults: dict[str, str]

    def html(self, key: str) -> str:
        return narrative.render(self.own.get(key, self.defaults.get(key, "")), self.values)


def texts(version: ReportVersion | None, values: dict[str, str], defaults: dict[str, str]) -> Texts:
    own = {t.key: t.markdown for t in version.texts.all()} if version else {}
    return Texts(own, values, defaults)


def member_list(association: Association, day: dt.date) -> str:
    """ "Region X, Försäkringskassan, Arbetsförmedlingen och kommunerna A, B och C" as the reports say it,
    with the names the members bore on the day."""
    names = member_names.names_on(association, day)
    members = list(Member.objects.filter(association=association).in_report_order())
    others = [names.of(m) for m in members if m.kind != Member.Kind.MUNICIPALITY]
    towns = [names.of(m) for m in members if m.kind == Member.Kind.MUNICIPALITY]
    parts = [*others]
    if towns:
        parts.append(
            _("kommunerna %s")
            % formatting.join_words([t.removesuffix(" kommun").removesuffix("s") for t in towns])
            if len(towns) > 1
            else towns[0]
        )
    return formatting.join_words(parts)


def other_kind(association: Association, kind: str, start: dt.date, end: dt.date) -> Other:
    """A report of another part of the system (participants, goals), if that part is installed."""
    if kind not in documents.KINDS:
        return None
    try:
        gathered = documents.gather(kind, association, documents.Period(start, end))
    except documents.ReportUnavailable:
        return None
    return gathered.data, gathered.document


def figures(association: Association, start: dt.date, end: dt.date) -> dict[str, str]:
    """The placeholders a narrative text may use, with Swedish-formatted values."""
    statement = statements.income_statement(association, end)
    # The period's own figures: the result accrued before the year's end, the budget without retained equity.
    own = interim.of(statement)
    totals = own.totals
    sheet = statements.balance_sheet(association, end)
    values = {
        "forbund": association.name,
        "medlemmar": member_list(association, end),
        "staten": member_names.names_on(association, end).text(
            Member.objects.filter(association=association).state_name()
        ),
        "period_fran": formatting.long_date(start),
        "period_till": formatting.long_date(end),
        "ar": str(end.year),
        "insatser": formatting.join_words(
            [
                i.name
                for i in association.interventions.filter(kind=Intervention.Kind.INDIVIDUAL).order_by("name")
                if i.is_active_in(end.year)
            ]
        ),
        "intakter": formatting.kronor(totals["income"]["outcome_to_date"]),
        "kostnader": formatting.kronor(totals["costs"]["outcome_to_date"]),
        "resultat": formatting.kronor(totals["result"]["outcome_to_date"]),
        "resultat_bokfort": formatting.kronor(own.booked_result),
        "budget_resultat": formatting.kronor(totals["result"]["budget"]),
        "prognos_resultat": formatting.kronor(totals["result"]["forecast"]),
        "prognos_eget_kapital": formatting.kronor(own.forecast_equity),
        "eget_kapital": formatting.kronor(sheet.equity.retained),
        "soliditet": formatting.percent(sheet.equity_ratio or Decimal(0)),
        "likvida_medel": formatting.kronor(
            sum((ln.amount for ln in sheet.lines if ln.code == "KASSA"), Decimal(0))
        ),
    }
    participants = other_kind(association, "participants-public", start, end)
    if participants:
        # From the suppressed report, like every figure of a board document: a hidden count reads as such.
        total = participants[0]["total"]

        def count(value: int | None) -> str:
            return _("färre än %d") % settings.SUPPRESSION_THRESHOLD if value is None else str(value)

        values |= {
            "deltagare": count(total["participating_total"]),
            "deltagare_kvinnor": count(total["participating"]["women"]),
            "deltagare_man": count(total["participating"]["men"]),
            "avslutade": count(total["exited_total"]),
        }
    goals = other_kind(association, "goals", start, end)
    if goals and goals[0].get("summary"):
        values["malsammanfattning"] = goals[0]["summary"]
    return values | drafted.values(association, start, end, statement, sheet)


def signature(association: Association, version: ReportVersion | None, end: dt.date) -> list[str]:
    place = (version.place if version else "") or association.seat or association.name
    day = version.signed_on if version and version.signed_on else None
    return [f"{place} {day.isoformat() if day else ''}".strip(), _("Förbundsstyrelsen")]


def approvals(version: ReportVersion | None) -> list[tuple[str, str, str]]:
    if version is None:
        return []
    return [(a.name, a.role, f"{a.approved_at:%Y-%m-%d %H:%M}") for a in version.approvals.all()]


def footnote_rows(association: Association) -> list[tuple[str, str]]:
    """The rows a version's footnote may be written to (code, name): the statement rows, then the balance
    sheet's computed equity lines."""
    rows = [(r.code, r.name) for r in StatementRow.objects.filter(association=association)]
    return rows + list(balance_sheet.equity_labels().items())


def statement_rows_with_notes(
    association: Association, version: ReportVersion | None
) -> tuple[dict[str, str], list[str]]:
    """Row code → letter, and the footnote lines "a) …" in the order the rows come."""
    rows = StatementRow.objects.filter(association=association).order_by("statement", "position")
    return letters_in_order(version, [row.code for row in rows])


def letters_in_order(version: ReportVersion | None, codes: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Row code → letter for the codes with a footnote in the version, lettered a, b, c… in the order given
    (a code given twice keeps its first letter), and the footnote lines "a) …" in that order."""
    notes = {n.row_code: n.text for n in version.row_notes.all()} if version else {}
    letters: dict[str, str] = {}
    lines: list[str] = []
    for code in codes:
        if code in notes and code not in letters:
            letter = "abcdefghijklmnopqrstuvwxyz"[len(letters) % 26]
            letters[code] = letter
            lines.append(f"{letter}) {notes[code]}")
    return letters, lines


def letter_tables(tables: Iterable[Table], names: dict[str, str]) -> None:
    """Append "(a)" to the names of the tables' rows that carry a footnote."""
    for table in tables:
        for row in table.rows:
            name = row.get("name")
            if isinstance(name, str) and name in names:
                row["name"] = f"{name} ({names[name]})"


def footnote_tables(association: Association, version: ReportVersion | None, tables: list[Table]) -> None:
    """The version's footnotes printed where the rows are, as seed 001 prints its note 3: each row that
    carries one gets its letter, and each table its footnotes ("a) …") under it."""
    letters, lines = statement_rows_with_notes(association, version)
    rows = StatementRow.objects.filter(association=association)
    names = {r.name: letters[r.code] for r in rows if r.code in letters}
    by_letter = dict(zip(letters.values(), lines, strict=True))
    for table in tables:
        shown = [str(row.get("name")) for row in table.rows]
        table.notes += [by_letter[names[name]] for name in shown if name in names]
    letter_tables(tables, names)


def printed(sections: list[Section], numbered: list[Section] | None = None) -> list[Section]:
    """The sections a reader sees: a heading with nothing under it is left out, unless it is a chapter whose
    parts have something. The chapters in numbered are numbered "1. …" in the order they are kept, so that
    leaving one out leaves no gap; a page break before the first kept section is dropped (the title's page
    would be empty)."""
    kept: list[Section] = []
    for index, section in enumerate(sections):
        if section.has_content:
            kept.append(section)
        elif section.level <= 2:
            parts = takewhile(lambda part: part.level > 2, sections[index + 1 :])
            if any(part.has_content for part in parts):
                kept.append(section)
    chapters = [s for s in kept if any(s is n for n in numbered or [])]
    for number, chapter in enumerate(chapters, 1):
        chapter.heading = f"{number}. {chapter.heading}"
    if kept:
        kept[0].new_page = False
    return kept


def filename(kind: str, association: Association, end: dt.date) -> str:
    stem = {
        "interim-report": "delarsrapport",
        "annual-report": "arsredovisning",
        "business-plan": "verksamhetsplan",
    }
    when = end.isoformat() if kind == "interim-report" else str(end.year)
    return f"{stem[kind]}-{association.slug}-{when}"
