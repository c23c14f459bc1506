"""The annual report: the administration report, the annual accounts signed by the board, and the appendices
(goal attainment, the individual interventions), as seed 001 lays them out."""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core import formatting
from finsam.core.documents import Cell, Column, Document, Section, Table
from finsam.finance import annual, lkbr, statements
from finsam.finance.documents import (
    balance_sheet,
    cash_flow,
    income_statement,
    key_figures,
    notes,
    operating_statement,
)
from finsam.goals import follow_up
from finsam.organisation.board import BoardRow, board_during
from finsam.organisation.models import Association, BoardSeat
from finsam.participants.models import EXIT_GROUP_LABELS
from finsam.reports import charts, narrative
from finsam.reports.board import common, interventions
from finsam.reports.models import ReportVersion

KIND = "annual-report"
# The sections with a narrative, in the order printed.
TEXTS = (
    "foreword",
    "organisation",
    "target_group",
    "financing",
    "follow_up",
    "goal_attainment",
    "participants",
    "structural",
    "balance_requirement",
    "staff",
    "expected_development",
    "deviations",
    "accounting_principles",
)
# A default text whose figures the system does not hold (no participants, no goals) is left out.
NEEDS = {"participants": "deltagare", "goal_attainment": "malsammanfattning"}

GENDERS = (
    ("women", gettext_lazy("Kvinnor")),
    ("men", gettext_lazy("Män")),
    ("other", gettext_lazy("Annat kön")),
)


def municipality_groups(rows: list[dict[str, Any]]) -> list[tuple[str, int | None, int | None]]:
    """The bars of one intervention's chart from its suppressed rows: per municipality, women then men (then
    another gender), carried over and new; a group with nothing to show is left out."""
    cells = [
        (f"{label!s}\n{row['municipality']}", row["carried_over"][key], row["new"][key])
        for row in rows
        for key, label in GENDERS
    ]
    return [cell for cell in cells if cell[1] or cell[2]]


def add_participant_charts(section: Section, data: dict[str, Any], end: dt.date) -> None:
    """Participants by municipality and gender (carried over and new) for each intervention on its own, and
    exit reasons, from the suppressed report: a hidden count has no bar, and the title says so."""
    names = {i["code"]: i["name"] for i in data.get("interventions", [])}
    series = (_("Vid årets början"), _("Nya under %s") % end.year)
    for code, rows in data.get("municipalities_by_intervention", {}).items():
        groups = municipality_groups(rows)
        if not groups:
            continue
        title = _("%(intervention)s: deltagare %(year)s per hemkommun och kön") % {
            "intervention": names.get(code, code),
            "year": end.year,
        }
        if any(None in cell for cell in groups):
            title += " " + _("(grupper under %d visas inte)") % settings.SUPPRESSION_THRESHOLD
        charts.add(section, title, partial(charts.municipality_figure, groups, series))
    reasons = data.get("total", {}).get("exit_reasons", {})
    bars = [(str(label), reasons[code]) for code, label in EXIT_GROUP_LABELS.items() if reasons.get(code)]
    if bars:
        title = _("Avslutsorsaker %s") % end.year
        charts.add(section, title, lambda: charts.count_figure(bars, _("Avslutade")))


def _holder(holder: object) -> str:
    seat = holder.seat  # type: ignore[attr-defined]
    text = str(seat.person)
    if seat.office:
        text += f", {seat.get_office_display().lower()}"
    if holder.until:  # type: ignore[attr-defined]
        text += _(" t.o.m. %s") % holder.until.isoformat()  # type: ignore[attr-defined]
    if holder.since:  # type: ignore[attr-defined]
        text += _(" fr.o.m. %s") % holder.since.isoformat()  # type: ignore[attr-defined]
    return text


def _chair_first(rows: list[BoardRow]) -> list[BoardRow]:
    """As the annual reports list the board: the chair, the vice chair, then the rest in report order."""
    rank: dict[str, int] = {BoardSeat.Office.CHAIR: 0, BoardSeat.Office.VICE_CHAIR: 1}

    def office(row: BoardRow) -> int:
        return min((rank.get(h.seat.office, 2) for h in row.members), default=2)

    return sorted(rows, key=office)


def _board_table(association: Association, start: dt.date, end: dt.date) -> Table:
    board_rows: list[dict[str, Cell]] = [
        {
            "members": "; ".join(_holder(h) for h in row.members),
            "deputies": "; ".join(_holder(h) for h in row.deputies),
            "member": row.member.name,
        }
        for row in _chair_first(board_during(association, start, end))
    ]
    return Table(
        _("Styrelsen %s") % end.year,
        [
            Column("members", _("Ledamot")),
            Column("deputies", _("Ersättare")),
            Column("member", _("Utsedd av")),
        ],
        board_rows,
    )


def _administration(
    association: Association, start: dt.date, end: dt.date, texts: common.Texts
) -> list[Section]:
    """The administration report (förvaltningsberättelse): its chapter and the parts under it."""
    years = annual.five_year_overview(association, end)
    figures = key_figures.KeyFigures(
        years, annual.balance_requirement(association, end), annual.cost_shares(association, end), []
    )
    tables = key_figures.tables(figures)
    overview = Section(_("Översikt över verksamhetens utveckling"), level=3, tables=[tables.overview])
    results = [(y.year, y.result) for y in reversed(years)]
    charts.add(overview, _("Årets resultat, fem år"), lambda: charts.yearly_result_figure(results))
    participants = common.other_kind(association, "participants-public", start, end)
    participant_section = Section(
        _("Deltagare"),
        level=3,
        html=texts.html("participants"),
        tables=participants[1].tables[:2] if participants else [],
    )
    if participants:
        add_participant_charts(participant_section, participants[0], end)
    return [
        Section(_("Förvaltningsberättelse"), html=texts.html("organisation"), new_page=True),
        Section(_("Målgrupp och uppdrag"), level=3, html=texts.html("target_group")),
        Section(_("Finansiering"), level=3, html=texts.html("financing")),
        overview,
        Section(
            _("Styrning och uppföljning"),
            level=3,
            html=texts.html("follow_up"),
            tables=[_board_table(association, start, end)],
        ),
        Section(_("Måluppfyllelse"), level=3, html=texts.html("goal_attainment")),
        participant_section,
        Section(_("Strukturinriktade insatser"), level=3, html=texts.html("structural")),
        Section(
            _("Balanskravsresultat"),
            level=3,
            html=texts.html("balance_requirement"),
            tables=[tables.balance_requirement, tables.cost_shares],
        ),
        Section(_("Väsentliga personalförhållanden"), level=3, html=texts.html("staff")),
        Section(_("Förväntad utveckling"), level=3, html=texts.html("expected_development")),
    ]


def _accounts(
    association: Association, end: dt.date, version: ReportVersion | None, texts: common.Texts
) -> list[Section]:
    """The annual accounts in the layouts of LKBR and RKR, closed by the board's signatures: the statements
    refer to the notes by number, note 1 being the accounting principles."""
    accounts = lkbr.accounts(association, end)
    principles = texts.own.get("accounting_principles", texts.defaults["accounting_principles"])
    heading = _("Not %(number)d %(title)s") % {"number": 1, "title": _("Redovisningsprinciper")}
    note_tables = notes.tables(accounts)
    common.footnote_tables(association, version, note_tables)
    return [
        Section(_("Resultaträkning"), tables=[income_statement.summary_table(accounts)], new_page=True),
        Section(
            _("Balansräkning"),
            tables=balance_sheet.as_document(accounts.sheet, accounts.balance_references()).tables,
        ),
        Section(
            _("Kassaflödesanalys"),
            tables=cash_flow.as_document(association, annual.cash_flow(association, end), end).tables,
        ),
        Section(
            _("Driftredovisning"),
            html=texts.html("deviations"),
            tables=[
                operating_statement.table(annual.operating_statement(association, end), end),
                operating_statement.rows_table(accounts.statement),
            ],
        ),
        Section(
            _("Noter"),
            html=narrative.render(f"**{heading}**\n\n{principles}", texts.values),
            tables=note_tables,
        ),
        Section(
            _("Styrelsens underskrift"),
            paragraphs=[
                _(
                    "Vi intygar att årsredovisningen ger en rättvisande bild av verksamhetens resultat samt "
                    "kostnader, intäkter och förbundets ekonomiska ställning."
                )
            ],
            signed=True,  # as seed 001: the board signs here, before the appendices
        ),
    ]


def _appendices(
    association: Association, start: dt.date, end: dt.date, values: dict[str, str]
) -> list[Section]:
    appendices = []
    goals = common.other_kind(association, "goals", start, end)
    if goals:
        appendices.append(
            Section(
                _("Bilaga 1. Måluppfyllelse"),
                # Seed 001's appendix 1: the board's view of the year's commitments in three columns that fit
                # the page, then the goals report's structural-work and survey tables as they are.
                tables=[*follow_up.attainment_tables(association, start, end), *goals[1].tables[1:]],
                html=narrative.render(values.get("malsammanfattning", ""), {}),
                new_page=True,
            )
        )
    participants = common.other_kind(association, "participants-public", start, end)
    appendices += interventions.appendix(association, end, participants[0] if participants else {})
    return appendices


def _board_signers(association: Association, end: dt.date) -> list[tuple[str, str]]:
    """The ledamöter in office at the end of the period, chair and vice chair first."""
    rows = board_during(association, end, end)
    seats = [h.seat for row in rows for h in row.members]
    rank = {"chair": 0, "vice_chair": 1, "": 2}
    seats.sort(key=lambda s: rank.get(s.office, 2))
    return [(s.person.name, s.get_office_display() if s.office else _("Ledamot")) for s in seats]


def annual_report(association: Association, end: dt.date, version: ReportVersion | None = None) -> Document:
    start, _end = statements.fiscal_year(association, end)
    values = common.figures(association, start, end)
    defaults = common.default_texts(KIND, TEXTS, association, end)
    defaults = {k: v if NEEDS.get(k, "forbund") in values else "" for k, v in defaults.items()}
    texts = common.texts(version, values, defaults)
    administration = _administration(association, start, end, texts)
    accounts = _accounts(association, end, version, texts)
    sections = [
        Section(_("Ordföranden har ordet"), html=texts.html("foreword")),
        *administration,
        *accounts,
        *_appendices(association, start, end, values),
    ]
    approvals = {a[0]: a for a in common.approvals(version)}
    return Document(
        title=_("Årsredovisning %s") % end.year,
        association=association.name,
        period=_("%(start)s – %(end)s")
        % {"start": formatting.long_date(start), "end": formatting.long_date(end)},
        sections=common.printed(sections, [administration[0], *accounts]),
        filename=common.filename(KIND, association, end),
        signature=common.signature(association, version, end),
        signatures=[approvals.get(name, (name, role, "")) for name, role in _board_signers(association, end)],
    )
