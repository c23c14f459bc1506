"""The annual report's administration report (förvaltningsberättelse) with every part LKBR 11 kap. asks for,
in seed 001's order: the organisation, the five-year overview with the staff, the important conditions for the
result and the financial position, the events of significance (from the office's register), governance and
follow-up, good financial management with the business plan's financial goals, the balance requirement result
and the board's decision on it, significant staff matters and the expected development.

Each part is a narrative section: the version's own text, else a default text drafted from the data
(`drafted.py` fills its placeholders); tables and charts always come from the data."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from functools import partial
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core import formatting
from finsam.core.documents import Cell, Column, Kind, Section, Table
from finsam.finance import annual, statements
from finsam.finance.documents import key_figures
from finsam.organisation import names as member_names
from finsam.organisation.board import BoardRow, board_during
from finsam.organisation.models import Association, BoardSeat
from finsam.participants.models import EXIT_GROUP_LABELS
from finsam.reports import charts, register
from finsam.reports.board import common, drafted

# The sections with a narrative, in the order printed.
TEXTS = (
    "organisation",
    "target_group",
    "financing",
    "overview",
    "conditions",
    "events",
    "follow_up",
    "good_management",
    "goal_attainment",
    "participants",
    "structural",
    "balance_requirement",
    "staff",
    "expected_development",
)

GENDERS = (
    ("women", gettext_lazy("Kvinnor")),
    ("men", gettext_lazy("Män")),
    ("other", gettext_lazy("Annat kön")),
)
THOUSAND = Decimal(1000)


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
    names = member_names.names_on(association, end)
    board_rows: list[dict[str, Cell]] = [
        {
            "members": "; ".join(_holder(h) for h in row.members),
            "deputies": "; ".join(_holder(h) for h in row.deputies),
            "member": names.of(row.member),
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


def _thousands(amount: Decimal) -> int:
    """Kronor in whole thousands: the overview's years before the ledger are known only in thousands (seed
    001's five-year overview), so no year is printed with hundreds the association never reported."""
    return int((amount / THOUSAND).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def overview_table(association: Association, years: list[annual.YearFigures]) -> Table:
    """The five-year overview in tkr with the staff of each year: own employees, and purchased staff in
    full-time equivalents where the register has it for some year."""
    staff = register.staff(association, [y.year for y in years])
    purchased = any(s.purchased is not None for s in staff.values())
    columns = [
        Column("year", _("År")),
        Column("income", _("Verksamhetens intäkter (tkr)"), Kind.INTEGER),
        Column("costs", _("Verksamhetens kostnader (tkr)"), Kind.INTEGER),
        Column("result", _("Årets resultat (tkr)"), Kind.INTEGER),
        Column("ratio", _("Soliditet"), Kind.SHARE),
        Column("employees", _("Antal anställda"), Kind.INTEGER),
    ]
    if purchased:
        columns.append(Column("purchased", _("Köpt personal (årsarbetare)")))
    rows: list[dict[str, Cell]] = []
    for y in years:
        own = staff.get(y.year)
        row: dict[str, Cell] = {
            "year": str(y.year),
            "income": _thousands(y.income),
            "costs": _thousands(y.costs),
            "result": _thousands(y.result),
            # In whole per cent, as the overview prints it (seed 001: 75 %).
            "ratio": None
            if y.equity_ratio is None
            else y.equity_ratio.quantize(Decimal("0.01"), ROUND_HALF_UP),
            "employees": own.employees if own else None,
        }
        if purchased:
            row["purchased"] = (
                formatting.number(own.purchased, 2) if own and own.purchased is not None else ""
            )
        rows.append(row)
    return Table(_("Fem år i sammandrag, belopp i tkr"), columns, rows)


def _goals_table(goals: list[drafted.FinancialGoal]) -> Table:
    return Table(
        _("Finansiella mål"),
        [Column("goal", _("Mål")), Column("outcome", _("Utfall")), Column("met", _("Bedömning"))],
        [
            {"goal": g.goal, "outcome": g.outcome, "met": _("Uppfyllt") if g.met else _("Inte uppfyllt")}
            for g in goals
        ],
    )


def sections(association: Association, start: dt.date, end: dt.date, texts: common.Texts) -> list[Section]:
    """The administration report: its chapter and the parts under it."""
    years = annual.five_year_overview(association, end)
    figures = key_figures.KeyFigures(
        years, annual.balance_requirement(association, end), annual.cost_shares(association, end), []
    )
    tables = key_figures.tables(figures)
    overview = Section(
        _("Översikt över verksamhetens utveckling"),
        level=3,
        html=texts.html("overview"),
        tables=[overview_table(association, years)],
    )
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
    goals = drafted.financial_goals(
        statements.income_statement(association, end), statements.balance_sheet(association, end)
    )

    def part(heading: str, key: str, tables: list[Table] | None = None) -> Section:
        return Section(heading, level=3, html=texts.html(key), tables=tables or [])

    return [
        Section(_("Förvaltningsberättelse"), html=texts.html("organisation"), new_page=True),
        part(_("Målgrupp och uppdrag"), "target_group"),
        part(_("Finansiering"), "financing"),
        overview,
        part(_("Viktiga förhållanden för resultat och ekonomisk ställning"), "conditions"),
        part(_("Händelser av väsentlig betydelse"), "events"),
        part(_("Styrning och uppföljning"), "follow_up", [_board_table(association, start, end)]),
        part(_("God ekonomisk hushållning"), "good_management", [_goals_table(goals)]),
        part(_("Måluppfyllelse"), "goal_attainment"),
        participant_section,
        part(_("Strukturinriktade insatser"), "structural"),
        part(
            _("Balanskravsresultat"), "balance_requirement", [tables.balance_requirement, tables.cost_shares]
        ),
        part(_("Väsentliga personalförhållanden"), "staff"),
        part(_("Förväntad utveckling"), "expected_development"),
    ]
