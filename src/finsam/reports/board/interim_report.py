"""The interim report: the year so far, its participants and the statements against budget and forecast."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from finsam.core import formatting
from finsam.core.documents import Document, Section
from finsam.finance import statements
from finsam.finance.documents import balance_sheet, income_statement
from finsam.finance.models import StatementRow
from finsam.organisation.models import Association
from finsam.reports import charts
from finsam.reports.board import common
from finsam.reports.models import ReportVersion

KIND = "interim-report"
# The sections with a narrative, in the order printed.
TEXTS = ("summary", "introduction", "interventions", "structural", "economy")


def _economy(
    association: Association, end: dt.date, version: ReportVersion | None, texts: common.Texts
) -> Section:
    """The statements with the board's footnotes on their rows, and the costs against budget as a chart."""
    statement = statements.income_statement(association, end)
    income = income_statement.as_document(statement)
    balance = balance_sheet.as_document(statements.balance_sheet(association, end))
    letters, lines = common.statement_rows_with_notes(association, version)
    row_names = {
        r.name: letters[r.code]
        for r in StatementRow.objects.filter(association=association)
        if r.code in letters
    }
    common.apply_letters(income, row_names)
    common.apply_letters(balance, row_names)
    economy = Section(_("Ekonomi"), html=texts.html("economy"), tables=[*income.tables, *balance.tables])
    if lines:
        economy.tables[-1].notes = [_("Fotnoter"), *lines]
    cost_rows = statement.cost_rows()
    chart_title = _("Kostnader: budget %(y)s och utfall till och med %(d)s") % {
        "y": end.year,
        "d": end.isoformat(),
    }
    charts.add(economy, chart_title, lambda: charts.budget_vs_outcome_figure(cost_rows, _("Utfall")))
    return economy


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
        sections=common.printed(sections, chapters),
        filename=common.filename(KIND, association, end),
        signature=common.signature(association, version, end),
        signatures=common.approvals(version),
    )
