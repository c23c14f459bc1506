"""The interim report: the year so far, its participants and the statements against budget and forecast."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.core.documents import Cell, Column, Document, Kind, Section, Table
from finsam.finance import interim, statements
from finsam.finance.documents import balance_sheet, income_statement
from finsam.finance.documents.common import NOTE
from finsam.finance.models import StatementRow
from finsam.organisation.models import Association
from finsam.reports import charts
from finsam.reports.board import common
from finsam.reports.models import ReportVersion

KIND = "interim-report"
# The sections with a narrative, in the order printed.
TEXTS = ("summary", "introduction", "interventions", "structural", "economy", "forecast")


def _economy(
    association: Association, end: dt.date, version: ReportVersion | None, texts: common.Texts
) -> list[Section]:
    """The economy's text, the year's forecast, and the statements with the period's accruals, the board's
    footnotes in a column "Not" on their rows and the costs against budget as a chart."""
    statement = statements.income_statement(association, end)
    figures = interim.of(statement)
    income = income_statement.as_document(statement, figures)
    balance = balance_sheet.as_document(statements.balance_sheet(association, end), interim=figures)
    tables = [*income.tables, *balance.tables]
    lines = _letter_notes(association, version, tables)
    economy = Section(_("Ekonomi"), html=texts.html("economy"))
    accounts = Section(_("Resultat- och balansräkning"), tables=tables, level=3)
    if lines:
        tables[-1].notes = [*tables[-1].notes, _("Fotnoter"), *lines]
    cost_rows = statement.cost_rows()
    chart_title = _("Kostnader: budget %(y)s och utfall till och med %(d)s") % {
        "y": end.year,
        "d": end.isoformat(),
    }
    charts.add(accounts, chart_title, lambda: charts.budget_vs_outcome_figure(cost_rows, _("Utfall")))
    # The forecast before the statements, so that their footnotes end the report, as in seed 000.
    return [economy, *([_forecast(figures, texts)] if figures.accrues else []), accounts]


def _letter_notes(association: Association, version: ReportVersion | None, tables: list[Table]) -> list[str]:
    """Letter the rows that carry a footnote a, b, c… in the order they are printed, in a column "Not" at the
    end of each table (where seed 000 prints them); the footnotes' lines "a) …" in that order."""
    codes = {r.name: r.code for r in StatementRow.objects.filter(association=association)}
    codes |= {label: code for code, label in balance_sheet.equity_labels().items()}
    printed = [
        codes.get(str(row.get("name")), "")
        for table in tables
        for row in [*table.rows, *([table.total] if table.total else [])]
    ]
    letters, lines = common.letters_in_order(version, printed)
    if not letters:
        return []
    for table in tables:
        table.columns = [*table.columns, Column(NOTE, _("Not"))]
        for row in [*table.rows, *([table.total] if table.total else [])]:
            row[NOTE] = letters.get(codes.get(str(row.get("name")), ""), "")
    return lines


def _forecast(figures: interim.Interim, texts: common.Texts) -> Section:
    """The year's forecast (LKBR ch. 13): the result, the balance requirement and the financial goal of the
    equity to keep, against the budget."""
    year = figures.statement.start.year
    columns = [
        Column("name", _("Belopp i kr")),
        Column("budget", _("Budget %s") % year, Kind.MONEY),
        Column("forecast", _("Helårsprognos %s") % year, Kind.MONEY),
    ]
    totals = figures.totals["result"]
    rows: list[dict[str, Cell]] = [
        {"name": _("Årets resultat"), "budget": totals["budget"], "forecast": totals["forecast"]},
        {"name": _("Avgår realisationsvinster"), "budget": Decimal(0), "forecast": Decimal(0)},
        {"name": _("Balanskravsresultat"), "budget": totals["budget"], "forecast": totals["forecast"]},
        {
            "name": _("Eget kapital vid årets slut"),
            "budget": figures.planned_equity,
            "forecast": figures.forecast_equity,
        },
    ]
    table = Table(_("Helårsprognos: resultat, balanskrav och finansiella mål"), columns, rows)
    return Section(
        _("Prognos för helåret"),
        paragraphs=_forecast_sentences(figures),
        tables=[table],
        level=3,
        html=texts.html("forecast"),
    )


def _forecast_sentences(figures: interim.Interim) -> list[str]:
    result, budget = figures.forecast_result, figures.totals["result"]["budget"]
    sentences = [
        _("Prognosen för helåret är ett resultat på %(forecast)s kr, mot budgeterade %(budget)s kr.")
        % {"forecast": formatting.kronor(result), "budget": formatting.kronor(budget)}
    ]
    if result >= 0:
        sentences.append(_("Balanskravet väntas uppfyllas: balanskravsresultatet blir inte negativt."))
    else:
        sentences.append(
            _(
                "Balanskravsresultatet väntas bli %(result)s kr. Underskottet möts av eget kapital från "
                "tidigare år, %(opening)s kr vid årets början; styrelsen prövar i årsredovisningen om det "
                "finns synnerliga skäl att inte återställa det."
            )
            % {"result": formatting.kronor(result), "opening": formatting.kronor(figures.opening_equity)}
        )
    difference = figures.forecast_equity - figures.planned_equity
    sentences.append(
        _(
            "Finansiellt mål, eget kapital kvar för kommande års planering: budgeten räknar med "
            "%(planned)s kr vid årets slut, prognosen ger %(forecast)s kr (%(difference)s kr)."
        )
        % {
            "planned": formatting.kronor(figures.planned_equity),
            "forecast": formatting.kronor(figures.forecast_equity),
            "difference": formatting.kronor(difference),
        }
    )
    return sentences


def interim_report(association: Association, end: dt.date, version: ReportVersion | None = None) -> Document:
    start, _end = statements.fiscal_year(association, end)
    values = common.figures(association, start, end)
    texts = common.texts(version, values, common.default_texts(KIND, TEXTS, association, end))
    individual = [
        i.name for i in association.interventions.filter(kind="individual") if i.is_active_in(end.year)
    ]
    interventions = Section(_("Insatser på individnivå"), level=3, html=texts.html("interventions"))
    interventions.paragraphs = (
        [_("Insatser som finansieras: %s.") % formatting.join_words(individual)] if individual else []
    )
    participants = common.other_kind(association, "participants-public", start, end)
    if participants:
        # The interim report shows the table per intervention and gender, as the associations report it.
        interventions.tables = participants[1].tables[:1]
    economy = _economy(association, end, version, texts)
    chapters = [
        Section(_("Sammanfattning"), html=texts.html("summary")),
        Section(_("Inledning"), html=texts.html("introduction")),
        Section(_("Verksamheter")),
        economy[0],
    ]
    sections = [
        *chapters[:3],
        interventions,
        Section(_("Strukturinriktade insatser"), level=3, html=texts.html("structural")),
        *economy,
    ]
    return Document(
        title=_("Delårsrapport"),
        association=association.name,
        period=_("%(start)s – %(end)s")
        % {"start": formatting.long_date(start), "end": formatting.long_date(end)},
        sections=common.printed(sections, chapters),
        filename=common.filename(KIND, association, end),
        signature=common.signature(association, version, end),
        signatures=common.approvals(version),
    )
