"""The annual report: the administration report, the annual accounts signed by the board, and the appendices
(goal attainment, the individual interventions), as seed 001 lays them out."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.core.documents import Document, Section
from finsam.finance import annual, lkbr, statements
from finsam.finance.documents import balance_sheet, cash_flow, income_statement, notes, operating_statement
from finsam.goals import follow_up
from finsam.organisation.board import board_during
from finsam.organisation.models import Association
from finsam.reports import narrative
from finsam.reports.board import administration, common, interventions
from finsam.reports.models import ReportVersion

KIND = "annual-report"
# The sections with a narrative, in the order printed.
TEXTS = ("foreword", *administration.TEXTS, "deviations", "accounting_principles")
# A default text whose figures the system does not hold (no participants, no goals) is left out.
NEEDS = {"participants": "deltagare", "goal_attainment": "malsammanfattning"}


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
    outcomes = common.other_kind(association, "outcomes", start, end)
    appendices += interventions.appendix(
        association, end, participants[0] if participants else {}, outcomes[0] if outcomes else {}
    )
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
    chapter = administration.sections(association, start, end, texts)
    accounts = _accounts(association, end, version, texts)
    sections = [
        Section(_("Ordföranden har ordet"), html=texts.html("foreword")),
        *chapter,
        *accounts,
        *_appendices(association, start, end, values),
    ]
    approvals = {a[0]: a for a in common.approvals(version)}
    return Document(
        title=_("Årsredovisning %s") % end.year,
        association=association.name,
        period=_("%(start)s – %(end)s")
        % {"start": formatting.long_date(start), "end": formatting.long_date(end)},
        sections=common.printed(sections, [chapter[0], *accounts]),
        filename=common.filename(KIND, association, end),
        signature=common.signature(association, version, end),
        signatures=[approvals.get(name, (name, role, "")) for name, role in _board_signers(association, end)],
    )
