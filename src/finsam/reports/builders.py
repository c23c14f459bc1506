"""The board's documents, assembled from the data: interim report, annual report and business plan.

Each is gathered once into a Document (rendered to every format by the exporters). Narrative sections take the
version's texts, or a default text with figures filled in; tables and charts always come from the data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import takewhile
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core import formatting
from finsam.finance import annual, statements
from finsam.finance.models import BudgetLine, StatementRow
from finsam.finance.reports import (
    annual_income_statement_document,
    balance_sheet_document,
    cash_flow_document,
    income_statement_document,
    key_figures_document,
    notes_document,
    operating_statement_document,
)
from finsam.organisation.board import BoardRow, board_during
from finsam.organisation.models import Association, BoardSeat, Member
from finsam.reports import charts, narrative
from finsam.reports.document import Cell, Chart, Column, Document, Kind, Section, Table
from finsam.reports.models import ReportVersion

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

Other = tuple[dict, Document] | None  # type: ignore[type-arg]


@dataclass
class Texts:
    """The narrative of each section: the version's own, else the default with its figures."""

    own: dict[str, str]
    values: dict[str, str]
    defaults: dict[str, StrOrPromise] = field(default_factory=dict)

    def html(self, key: str) -> str:
        return narrative.render(str(self.own.get(key, self.defaults.get(key, ""))), self.values)


def member_list(association: Association) -> str:
    """ "Region X, Försäkringskassan, Arbetsförmedlingen och kommunerna A, B och C" as the reports say it."""
    members = list(Member.objects.filter(association=association).in_report_order())
    others = [m.name for m in members if m.kind != Member.Kind.MUNICIPALITY]
    towns = [
        m.name.removesuffix(" kommun").removesuffix("s")
        for m in members
        if m.kind == Member.Kind.MUNICIPALITY
    ]
    parts = [*others]
    if towns:
        parts.append(
            _("kommunerna %s") % formatting.join_words(towns) if len(towns) > 1 else members[-1].name
        )
    return formatting.join_words(parts)


GENDERS = (
    ("women", gettext_lazy("Kvinnor")),
    ("men", gettext_lazy("Män")),
    ("other", gettext_lazy("Annat kön")),
)


def participant_charts(data: dict[str, Any], end: dt.date) -> list[Chart]:
    """Participants by municipality and gender (carried over and new), and exit reasons, from the suppressed
    report: a group whose count is hidden is left out of the chart, and the title says so."""
    from finsam.participants.models import EXIT_GROUP_LABELS

    made = []
    cells = [
        (f"{label!s} {row['municipality']}", row["carried_over"][key], row["new"][key])
        for row in data.get("municipalities", [])
        for key, label in GENDERS
    ]
    groups = [(name, carried, new) for name, carried, new in cells if carried is not None and new is not None]
    groups = [group for group in groups if group[1] or group[2]]
    hidden = any(carried is None or new is None for _name, carried, new in cells)
    if groups:
        title = _("Deltagare %s per hemkommun och kön") % end.year
        if hidden:
            title += " " + _("(grupper under %d visas inte)") % settings.SUPPRESSION_THRESHOLD
        made.append(Chart(title, *charts.chart_pair(charts.municipality_figure(groups), title)))
    reasons = data.get("total", {}).get("exit_reasons", {})
    bars = [(str(label), reasons[code]) for code, label in EXIT_GROUP_LABELS.items() if reasons.get(code)]
    if bars:
        title = _("Avslutsorsaker %s") % end.year
        made.append(Chart(title, *charts.chart_pair(charts.count_figure(bars, _("Avslutade")), title)))
    return made


def _other_kind(association: Association, kind: str, start: dt.date, end: dt.date) -> Other:
    """A report of another part of the system (participants, goals), if that part is installed."""
    from finsam.reports import exporters

    if kind not in exporters.KINDS:
        return None
    try:
        gathered = exporters.gather(kind, association, exporters.Period(start, end))
    except exporters.ReportUnavailable:
        return None
    return gathered.data, gathered.document


def figures(association: Association, start: dt.date, end: dt.date) -> dict[str, str]:
    """The placeholders a narrative text may use, with Swedish-formatted values."""
    statement = statements.income_statement(association, end)
    totals = statement.totals
    sheet = statements.balance_sheet(association, end)
    values = {
        "forbund": association.name,
        "medlemmar": member_list(association),
        "period_fran": formatting.long_date(start),
        "period_till": formatting.long_date(end),
        "ar": str(end.year),
        "intakter": formatting.kronor(totals["income"]["outcome_to_date"]),
        "kostnader": formatting.kronor(totals["costs"]["outcome_to_date"]),
        "resultat": formatting.kronor(totals["result"]["outcome_to_date"]),
        "budget_resultat": formatting.kronor(totals["result"]["budget"]),
        "prognos_resultat": formatting.kronor(totals["result"]["forecast"]),
        "eget_kapital": formatting.kronor(sheet.equity.retained),
        "soliditet": formatting.percent(sheet.equity_ratio or Decimal(0)),
        "likvida_medel": formatting.kronor(
            sum((ln.amount for ln in sheet.lines if ln.code == "KASSA"), Decimal(0))
        ),
    }
    participants = _other_kind(association, "participants-public", start, end)
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
    goals = _other_kind(association, "goals", start, end)
    if goals and goals[0].get("summary"):
        values["malsammanfattning"] = goals[0]["summary"]
    return values


def _texts(version: ReportVersion | None, values: dict[str, str], defaults: dict[str, StrOrPromise]) -> Texts:
    own = {t.key: t.markdown for t in version.texts.all()} if version else {}
    return Texts(own, values, defaults)


def _signature(association: Association, version: ReportVersion | None, end: dt.date) -> list[str]:
    place = (version.place if version else "") or association.seat or association.name
    day = version.signed_on if version and version.signed_on else None
    return [f"{place} {day.isoformat() if day else ''}".strip(), _("Förbundsstyrelsen")]


def _approvals(version: ReportVersion | None) -> list[tuple[str, str, str]]:
    if version is None:
        return []
    return [(a.name, a.role, f"{a.approved_at:%Y-%m-%d %H:%M}") for a in version.approvals.all()]


def _statement_rows_with_notes(
    association: Association, version: ReportVersion | None
) -> tuple[dict[str, str], list[str]]:
    """Row code → letter, and the footnote lines "a) …" in the order the rows come."""
    notes = {n.row_code: n.text for n in version.row_notes.all()} if version else {}
    letters: dict[str, str] = {}
    lines: list[str] = []
    rows = StatementRow.objects.filter(association=association).order_by("statement", "position")
    for row in rows:
        if row.code in notes:
            letter = "abcdefghijklmnopqrstuvwxyz"[len(letters) % 26]
            letters[row.code] = letter
            lines.append(f"{letter}) {notes[row.code]}")
    return letters, lines


def _apply_letters(document: Document, names: dict[str, str]) -> None:
    """Append "(a)" to row names that carry a footnote."""
    for table in document.tables:
        for row in table.rows:
            name = row.get("name")
            if isinstance(name, str) and name in names:
                row["name"] = f"{name} ({names[name]})"


def _printed(sections: list[Section], numbered: list[Section] | None = None) -> list[Section]:
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


INTERIM_DEFAULTS: dict[str, StrOrPromise] = {
    "summary": gettext_lazy(
        "{{ forbund }} arbetar med finansiell samordning inom rehabiliteringsområdet (Finsam). Denna "
        "delårsrapport redovisar verksamheten och ekonomin från {{ period_fran }} till {{ period_till }}.\n\n"
        "Resultatet för perioden är {{ resultat }} kr. Helårsprognosen visar ett resultat på "
        "{{ prognos_resultat }} kr."
    ),
    "introduction": gettext_lazy(
        "{{ forbund }} är ett förbund mellan {{ medlemmar }}. Förbundet är bildat enligt lag (2003:1210) om "
        "finansiell samordning inom rehabiliteringsområdet.\n\nMålgruppen är personer i förvärvsaktiv ålder "
        "(16–64 år) som behöver samordnade rehabiliteringsinsatser och som uppbär offentlig försörjning."
    ),
    "interventions": gettext_lazy(
        "Här följer en sammanfattning av hur många som deltagit i insatserna under perioden."
    ),
    "structural": "",
    "economy": gettext_lazy(
        "Här följer resultat- och balansräkning per {{ period_till }} jämfört med föregående års utfall, "
        "årets budget och en helårsprognos."
    ),
}


def interim_report(association: Association, end: dt.date, version: ReportVersion | None = None) -> Document:
    start, _end = statements.fiscal_year(association, end)
    values = figures(association, start, end)
    texts = _texts(version, values, INTERIM_DEFAULTS)
    individual = [
        i.name for i in association.interventions.filter(kind="individual") if i.is_active_in(end.year)
    ]
    interventions = Section(_("Insatser på individnivå"), level=3, html=texts.html("interventions"))
    interventions.paragraphs = (
        [_("Insatser som finansieras: %s.") % formatting.join_words(individual)] if individual else []
    )
    participants = _other_kind(association, "participants-public", start, end)
    if participants:
        # The interim report shows the table per intervention and gender, as the associations report it.
        interventions.tables = participants[1].tables[:1]
    statement = statements.income_statement(association, end)
    income = income_statement_document(statement)
    balance = balance_sheet_document(statements.balance_sheet(association, end))
    letters, lines = _statement_rows_with_notes(association, version)
    row_names = {
        r.name: letters[r.code]
        for r in StatementRow.objects.filter(association=association)
        if r.code in letters
    }
    _apply_letters(income, row_names)
    _apply_letters(balance, row_names)
    economy = Section(_("Ekonomi"), html=texts.html("economy"), tables=[*income.tables, *balance.tables])
    if lines:
        economy.tables[-1].notes = [_("Fotnoter"), *lines]
    cost_rows = statement.cost_rows()
    chart_title = _("Kostnader: budget %(y)s och utfall till och med %(d)s") % {
        "y": end.year,
        "d": end.isoformat(),
    }
    figure = charts.budget_vs_outcome_figure(cost_rows, _("Utfall"))
    economy.charts = [Chart(chart_title, *charts.chart_pair(figure, chart_title))]
    chapters = [
        Section(_("Sammanfattning"), html=texts.html("summary")),
        Section(_("Inledning"), html=texts.html("introduction")),
        Section(_("Verksamheter")),
        economy,
    ]
    sections = [
        *chapters[:3],
        interventions,
        Section(_("Strukturinriktade insatser"), level=3, html=texts.html("structural")),
        economy,
    ]
    return Document(
        title=_("Delårsrapport"),
        association=association.name,
        period=_("%(start)s – %(end)s")
        % {"start": formatting.long_date(start), "end": formatting.long_date(end)},
        sections=_printed(sections, chapters),
        filename=filename("interim-report", association, end),
        signature=_signature(association, version, end),
        signatures=_approvals(version),
    )


ANNUAL_DEFAULTS: dict[str, StrOrPromise] = {
    "foreword": "",
    "organisation": gettext_lazy(
        "Förbundet är en fristående juridisk organisation med {{ medlemmar }} som medlemmar. "
        "Förbundet leds av en styrelse som utses av medlemmarna. Till sin hjälp har den en "
        "beredningsgrupp och ett kansli."
    ),
    "target_group": gettext_lazy(
        "Målgruppen för den finansiella samordningen är personer i förvärvsaktiv ålder (16–64 år) "
        "som är i behov av samordnade rehabiliteringsinsatser och som uppbär offentlig försörjning."
    ),
    "financing": gettext_lazy(
        "Förbundet finansieras av staten via Försäkringskassan med hälften av medlen, regionen med "
        "en fjärdedel och kommunerna med resterande fjärdedel, fördelad efter folkmängd."
    ),
    "follow_up": "",
    "goal_attainment": "{{ malsammanfattning }}",
    "participants": gettext_lazy(
        "Totalt {{ deltagare }} personer deltog i de finansierade insatserna under året, varav "
        "{{ deltagare_kvinnor }} kvinnor och {{ deltagare_man }} män."
    ),
    "structural": "",
    "balance_requirement": gettext_lazy("Årets resultat enligt resultaträkningen är {{ resultat }} kr."),
    "staff": gettext_lazy("Förbundet har inga egna anställda."),
    "expected_development": "",
    "accounting_principles": gettext_lazy(
        "Årsredovisningen är i tillämpliga delar upprättad i enlighet med lag (2018:597) om kommunal "
        "bokföring och redovisning samt rekommendationer från Rådet för kommunal redovisning."
    ),
}


def annual_report(association: Association, end: dt.date, version: ReportVersion | None = None) -> Document:
    start, _end = statements.fiscal_year(association, end)
    values = figures(association, start, end)
    # A default text whose figures the system does not hold (no participants, no goals) is left out.
    needs = {"participants": "deltagare", "goal_attainment": "malsammanfattning"}
    defaults = {k: v for k, v in ANNUAL_DEFAULTS.items() if needs.get(k, "forbund") in values}
    texts = _texts(version, values, defaults)
    years = annual.five_year_overview(association, end)
    key_doc = key_figures_document(
        association,
        end,
        years,
        annual.balance_requirement(association, end),
        annual.cost_shares(association, end),
        [],
    )
    overview_table, balance_table, shares_table, _contributions = key_doc.tables
    board_rows: list[dict[str, Cell]] = [
        {
            "members": "; ".join(_holder(h) for h in row.members),
            "deputies": "; ".join(_holder(h) for h in row.deputies),
            "member": row.member.name,
        }
        for row in _chair_first(board_during(association, start, end))
    ]
    board_table = Table(
        _("Styrelsen %s") % end.year,
        [
            Column("members", _("Ledamot")),
            Column("deputies", _("Ersättare")),
            Column("member", _("Utsedd av")),
        ],
        board_rows,
    )
    result_title = _("Årets resultat, fem år")
    figure = charts.yearly_result_figure([(y.year, y.result) for y in reversed(years)])
    result_chart = Chart(result_title, *charts.chart_pair(figure, result_title))
    goals = _other_kind(association, "goals", start, end)
    participants = _other_kind(association, "participants-public", start, end)
    statement = annual.annual_income_statement(association, end)
    sheet = statements.balance_sheet(association, end)
    administration = [
        Section(_("Förvaltningsberättelse"), html=texts.html("organisation"), new_page=True),
        Section(_("Målgrupp och uppdrag"), level=3, html=texts.html("target_group")),
        Section(_("Finansiering"), level=3, html=texts.html("financing")),
        Section(
            _("Översikt över verksamhetens utveckling"),
            level=3,
            tables=[overview_table],
            charts=[result_chart],
        ),
        Section(_("Styrning och uppföljning"), level=3, html=texts.html("follow_up"), tables=[board_table]),
        Section(_("Måluppfyllelse"), level=3, html=texts.html("goal_attainment")),
        Section(
            _("Deltagare"),
            level=3,
            html=texts.html("participants"),
            tables=participants[1].tables[:2] if participants else [],
            charts=participant_charts(participants[0], end) if participants else [],
        ),
        Section(_("Strukturinriktade insatser"), level=3, html=texts.html("structural")),
        Section(
            _("Balanskravsresultat"),
            level=3,
            html=texts.html("balance_requirement"),
            tables=[balance_table, shares_table],
        ),
        Section(_("Väsentliga personalförhållanden"), level=3, html=texts.html("staff")),
        Section(_("Förväntad utveckling"), level=3, html=texts.html("expected_development")),
    ]
    accounts = [
        Section(
            _("Resultaträkning"), tables=annual_income_statement_document(statement).tables, new_page=True
        ),
        Section(_("Balansräkning"), tables=balance_sheet_document(sheet).tables),
        Section(
            _("Kassaflödesanalys"),
            tables=cash_flow_document(association, annual.cash_flow(association, end), end).tables,
        ),
        Section(
            _("Driftsredovisning"),
            tables=operating_statement_document(
                association, annual.operating_statement(association, end), end
            ).tables,
        ),
        Section(
            _("Noter"),
            html=narrative.render(
                _("**Not 1. Redovisningsprinciper**\n\n")
                + texts.own.get("accounting_principles", ANNUAL_DEFAULTS["accounting_principles"]),
                values,
            ),
            tables=notes_document(association, end, statement, annual.balance_notes(association, end)).tables,
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
    appendices = []
    if goals:
        appendices.append(
            Section(
                _("Bilaga 1. Måluppfyllelse"),
                # The goals report's own table keeps its working columns; the structural-work and survey
                # tables follow as they are.
                tables=[*_goal_attainment_tables(association, start, end), *goals[1].tables[1:]],
                html=narrative.render(values.get("malsammanfattning", ""), {}),
                new_page=True,
            )
        )
    appendices.append(_intervention_appendix(association, end))
    sections = [
        Section(_("Ordföranden har ordet"), html=texts.html("foreword")),
        *administration,
        *accounts,
        *appendices,
    ]
    signers = _board_signers(association, end)
    approvals = {a[0]: a for a in _approvals(version)}
    return Document(
        title=_("Årsredovisning %s") % end.year,
        association=association.name,
        period=_("%(start)s – %(end)s")
        % {"start": formatting.long_date(start), "end": formatting.long_date(end)},
        sections=_printed(sections, [administration[0], *accounts]),
        filename=filename("annual-report", association, end),
        signature=_signature(association, version, end),
        signatures=[approvals.get(name, (name, role, "")) for name, role in signers],
    )


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


def _goal_attainment_tables(association: Association, start: dt.date, end: dt.date) -> list[Table]:
    """The board's view of the year's commitments (seed 001's appendix 1): three columns that fit the page."""
    from finsam.goals import report as goals_report

    return goals_report.attainment_tables(association, start, end)


def _plan_goal_tables(association: Association, year: int) -> list[Table]:
    """The year's commitments with their measures and targets, as the business plan states them."""
    from finsam.goals import report as goals_report

    return goals_report.plan_tables(association, year)


def _board_signers(association: Association, end: dt.date) -> list[tuple[str, str]]:
    """The ledamöter in office at the end of the period, chair and vice chair first."""
    rows = board_during(association, end, end)
    seats = [h.seat for row in rows for h in row.members]
    rank = {"chair": 0, "vice_chair": 1, "": 2}
    seats.sort(key=lambda s: rank.get(s.office, 2))
    return [(s.person.name, s.get_office_display() if s.office else _("Ledamot")) for s in seats]


def _intervention_appendix(association: Association, end: dt.date) -> Section:
    """Appendix 2: each individual intervention of the year with its provider, target group and grant."""
    rows: list[dict[str, Cell]] = []
    for intervention in association.interventions.filter(kind="individual").order_by("name"):
        if not intervention.is_active_in(end.year):
            continue
        granted = sum((g.amount for g in intervention.grants.filter(year=end.year)), Decimal(0))
        rows.append(
            {
                "name": intervention.name,
                "provider": intervention.provider,
                "target": intervention.target_group,
                "granted": granted,
            }
        )
    table = Table(
        _("Individinriktade insatser %s") % end.year,
        [
            Column("name", _("Insats")),
            Column("provider", _("Utförare")),
            Column("target", _("Målgrupp")),
            Column("granted", _("Beviljat (kr)"), Kind.MONEY),
        ],
        rows,
    )
    return Section(_("Bilaga 2. Individinriktade insatser"), tables=[table], new_page=True)


BUSINESS_PLAN_DEFAULTS: dict[str, StrOrPromise] = {
    "tasks": gettext_lazy(
        "Samordningsförbundet har enligt lagen följande uppgifter:\n\n"
        "1. besluta om mål och riktlinjer för den finansiella samordningen,\n"
        "2. stödja samverkan mellan samverkansparterna,\n"
        "3. finansiera insatser inom parternas samlade ansvarsområde,\n"
        "4. besluta hur medlen för finansiell samordning ska användas,\n"
        "5. svara för uppföljning och utvärdering av rehabiliteringsinsatserna, och\n"
        "6. upprätta budget och årsredovisning för den finansiella samordningen."
    ),
    "target_group": ANNUAL_DEFAULTS["target_group"],
    "organisation": gettext_lazy(
        "Förbundet leds av en styrelse med en ledamot och en ersättare från varje medlem. En beredningsgrupp "
        "med representanter för alla medlemmar och ett kansli stödjer styrelsen."
    ),
    "planned_work": "",
    "financial_goals": gettext_lazy(
        "Förbundet ska bedriva verksamheten inom ramen för tilldelade medel och ha en likviditet som gör att "
        "beslutade insatser alltid kan finansieras. Förbundet får inte skuldsätta sig."
    ),
}


def business_plan(association: Association, end: dt.date, version: ReportVersion | None = None) -> Document:
    """The plan for the year of the date, with the budget for that year and the two after."""
    year = end.year
    values = figures(association, dt.date(year, 1, 1), end)
    texts = _texts(version, values, BUSINESS_PLAN_DEFAULTS)
    rows = StatementRow.objects.filter(association=association, statement=StatementRow.Statement.INCOME)
    budgets = {
        (b.row_id, b.year): b.amount
        for b in BudgetLine.objects.filter(
            association=association, kind=BudgetLine.Kind.BUDGET, year__in=[year, year + 1, year + 2]
        )
    }
    columns = [Column("name", _("Belopp i kr"))] + [
        Column(str(y), _("Budget %s") % y, Kind.MONEY) for y in (year, year + 1, year + 2)
    ]

    def block(title: str, income: bool, total_label: str) -> Table:
        chosen = [r for r in rows if (r.section in statements.INCOME_SIDE) == income]
        table_rows: list[dict[str, Cell]] = [
            {
                "name": r.name,
                **{str(y): budgets.get((r.pk, y), Decimal(0)) for y in (year, year + 1, year + 2)},
            }
            for r in chosen
            # A row without a budget in any of the years (an intervention not yet started) is left out.
            if any(budgets.get((r.pk, y)) for y in (year, year + 1, year + 2))
        ]
        total: dict[str, Cell] = {"name": total_label}
        for y in (year, year + 1, year + 2):
            total[str(y)] = sum((budgets.get((r.pk, y), Decimal(0)) for r in chosen), Decimal(0))
        return Table(title, columns, table_rows, total)

    goals = _other_kind(association, "goals", dt.date(year, 1, 1), dt.date(year, 12, 31))
    chapters = [
        Section(_("Samordningsförbundets uppgifter"), html=texts.html("tasks")),
        Section(_("Målgrupp"), html=texts.html("target_group")),
        Section(_("Organisation"), html=texts.html("organisation")),
        Section(_("Verksamhet under %s") % year, html=texts.html("planned_work")),
        # A plan states its goals: the commitments with their targets, never their follow-up (seed 004 §6).
        Section(_("Mål"), tables=_plan_goal_tables(association, year) if goals else []),
        Section(
            _("Budget %(a)s–%(b)s") % {"a": year, "b": year + 2},
            tables=[
                block(_("Intäkter"), True, _("Summa intäkter")),
                block(_("Kostnader"), False, _("Summa kostnader")),
            ],
        ),
    ]
    sections = [
        *chapters[:5],
        Section(_("Finansiella mål"), level=3, html=texts.html("financial_goals")),
        chapters[5],
    ]
    return Document(
        title=_("Verksamhetsplan %s") % year,
        association=association.name,
        period=str(year),
        sections=_printed(sections, chapters),
        filename=filename("business-plan", association, end),
        signature=_signature(association, version, end),
        signatures=_approvals(version),
    )


SECTION_LABELS: dict[str, StrOrPromise] = {
    "summary": gettext_lazy("Sammanfattning"),
    "introduction": gettext_lazy("Inledning"),
    "interventions": gettext_lazy("Insatser på individnivå"),
    "structural": gettext_lazy("Strukturinriktade insatser"),
    "economy": gettext_lazy("Ekonomi"),
    "foreword": gettext_lazy("Ordföranden har ordet"),
    "organisation": gettext_lazy("Organisation"),
    "target_group": gettext_lazy("Målgrupp och uppdrag"),
    "financing": gettext_lazy("Finansiering"),
    "follow_up": gettext_lazy("Styrning och uppföljning"),
    "goal_attainment": gettext_lazy("Måluppfyllelse"),
    "participants": gettext_lazy("Deltagare"),
    "balance_requirement": gettext_lazy("Balanskravsresultat"),
    "staff": gettext_lazy("Väsentliga personalförhållanden"),
    "expected_development": gettext_lazy("Förväntad utveckling"),
    "accounting_principles": gettext_lazy("Redovisningsprinciper (not 1)"),
    "tasks": gettext_lazy("Samordningsförbundets uppgifter"),
    "planned_work": gettext_lazy("Verksamhet under året"),
    "financial_goals": gettext_lazy("Finansiella mål"),
}


def filename(kind: str, association: Association, end: dt.date) -> str:
    stem = {
        "interim-report": "delarsrapport",
        "annual-report": "arsredovisning",
        "business-plan": "verksamhetsplan",
    }
    when = end.isoformat() if kind == "interim-report" else str(end.year)
    return f"{stem[kind]}-{association.slug}-{when}"


BUILDERS: dict[str, Callable[[Association, dt.date, ReportVersion | None], Document]] = {
    ReportVersion.Kind.INTERIM: interim_report,
    ReportVersion.Kind.ANNUAL: annual_report,
    ReportVersion.Kind.BUSINESS_PLAN: business_plan,
}
DEFAULTS: dict[str, dict[str, StrOrPromise]] = {
    ReportVersion.Kind.INTERIM: INTERIM_DEFAULTS,
    ReportVersion.Kind.ANNUAL: ANNUAL_DEFAULTS,
    ReportVersion.Kind.BUSINESS_PLAN: BUSINESS_PLAN_DEFAULTS,
}
