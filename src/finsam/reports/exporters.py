"""Report kinds and file formats: a report is gathered once, then rendered to any format."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings

from finsam.core.money import json_amount
from finsam.finance import annual, statements
from finsam.finance import reports as finance_reports
from finsam.organisation import contributions as contribution_rules
from finsam.organisation import lists
from finsam.organisation.models import Association
from finsam.reports import builders, contributions
from finsam.reports.document import Document
from finsam.reports.render.docx import render_docx
from finsam.reports.render.html import render_html
from finsam.reports.render.pdf import render_pdf
from finsam.reports.render.xlsx import render_xlsx

CONTENT_TYPES = {
    "json": "application/json",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class ReportUnavailable(Exception):
    """The report cannot be made from the data held (e.g. no total recorded for the year)."""


@dataclass(frozen=True)
class Gathered:
    data: dict[str, Any]
    document: Document
    frozen: dict[str, bytes] | None = None  # a locked report's files, served as they were approved
    template: Path | None = None  # the association's own Word template


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date


def _contributions(association: Association, period: Period) -> Gathered:
    try:
        split = contribution_rules.compute(association, period.end.year)
    except contribution_rules.ContributionError as error:
        raise ReportUnavailable(str(error)) from None
    return Gathered(contributions.as_json(split), contributions.as_document(split))


def _income_statement(association: Association, period: Period) -> Gathered:
    statement = statements.income_statement(association, period.end)
    return Gathered(
        finance_reports.income_statement_json(statement), finance_reports.income_statement_document(statement)
    )


def _balance_sheet(association: Association, period: Period) -> Gathered:
    sheet = statements.balance_sheet(association, period.end)
    return Gathered(finance_reports.balance_sheet_json(sheet), finance_reports.balance_sheet_document(sheet))


def _participants(association: Association, period: Period) -> Gathered:
    from finsam.participants import report

    return report.gathered(association, period.start, period.end)


def _participants_public(association: Association, period: Period) -> Gathered:
    from finsam.participants import report

    return report.gathered(association, period.start, period.end, public=True)


def _goals(association: Association, period: Period) -> Gathered:
    from finsam.goals import report

    return report.gathered(association, period.start, period.end)


def _income_statement_annual(association: Association, period: Period) -> Gathered:
    statement = annual.annual_income_statement(association, period.end)
    return Gathered(
        finance_reports.income_statement_json(statement),
        finance_reports.annual_income_statement_document(statement),
    )


def _cash_flow(association: Association, period: Period) -> Gathered:
    flow = annual.cash_flow(association, period.end)
    return Gathered(
        finance_reports.cash_flow_json(association, flow, period.end),
        finance_reports.cash_flow_document(association, flow, period.end),
    )


def _operating_statement(association: Association, period: Period) -> Gathered:
    statement = annual.operating_statement(association, period.end)
    return Gathered(
        finance_reports.operating_statement_json(association, statement, period.end),
        finance_reports.operating_statement_document(association, statement, period.end),
    )


def _notes(association: Association, period: Period) -> Gathered:
    statement = annual.annual_income_statement(association, period.end)
    notes = annual.balance_notes(association, period.end)
    return Gathered(
        finance_reports.notes_json(association, period.end, statement, notes),
        finance_reports.notes_document(association, period.end, statement, notes),
    )


def _key_figures(association: Association, period: Period) -> Gathered:
    try:
        checks = annual.contributions_booked(association, period.end)
    except contribution_rules.ContributionError:
        checks = []
    parts = (
        annual.five_year_overview(association, period.end),
        annual.balance_requirement(association, period.end),
        annual.cost_shares(association, period.end),
        checks,
    )
    return Gathered(
        finance_reports.key_figures_json(association, period.end, *parts),
        finance_reports.key_figures_document(association, period.end, *parts),
    )


def _shared_costs(association: Association, period: Period) -> Gathered:
    basis = annual.shared_costs(association, period.start, period.end)
    return Gathered(
        finance_reports.shared_costs_json(association, period.start, period.end, basis),
        finance_reports.shared_costs_document(association, period.start, period.end, basis),
    )


def _board_document(kind: str) -> Callable[[Association, Period], Gathered]:
    """The board's documents: the latest version of the period with its texts (as approved, once locked)."""

    def gather_report(association: Association, period: Period) -> Gathered:
        from finsam.reports import services

        version = services.latest(association, kind, period.end)
        if version is not None:
            return services.gather_for_download(version)
        document = builders.BUILDERS[kind](association, period.end, None)
        return Gathered(document_json(document), document, template=word_template(association))

    return gather_report


def _list(build: Callable[[Association], Document]) -> Callable[[Association, Period], Gathered]:
    """A list of the organisation (any period): the document's tables are its JSON too."""

    def gather_list(association: Association, period: Period) -> Gathered:
        document = build(association)
        return Gathered(document_json(document), document)

    return gather_list


KINDS: dict[str, Callable[[Association, Period], Gathered]] = {
    "contributions": _contributions,
    "members": _list(lists.members),
    "board": _list(lists.board),
    "interventions": _list(lists.interventions),
    "grants": _list(lists.grants),
    "income-statement": _income_statement,
    "income-statement-annual": _income_statement_annual,
    "balance-sheet": _balance_sheet,
    "cash-flow": _cash_flow,
    "operating-statement": _operating_statement,
    "notes": _notes,
    "key-figures": _key_figures,
    "shared-costs": _shared_costs,
    "participants": _participants,
    "interim-report": _board_document("interim-report"),
    "annual-report": _board_document("annual-report"),
    "business-plan": _board_document("business-plan"),
    "participants-public": _participants_public,
    "goals": _goals,
}


def gather(kind: str, association: Association, period: Period) -> Gathered:
    return KINDS[kind](association, period)


def render(gathered: Gathered, fmt: str) -> bytes:
    if gathered.frozen is not None:
        return gathered.frozen[fmt]
    if fmt == "json":
        return (json.dumps(gathered.data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    if fmt == "html":
        return render_html(gathered.document).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(gathered.document)
    if fmt == "docx":
        return render_docx(gathered.document, gathered.template)
    if fmt == "xlsx":
        return render_xlsx(gathered.document)
    raise ValueError(f"unknown format {fmt!r}")


def word_template(association: Association) -> Path | None:
    """The association's own Word template, if the office has put one in the data dir."""
    path = Path(settings.DATA_DIR) / "mallar" / f"{association.slug}.docx"
    return path if path.is_file() else None


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_amount(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def document_json(document: Document) -> dict[str, Any]:
    """A whole document as JSON: sections, texts and tables (amounts as strings with two decimals)."""
    return {
        "title": document.title,
        "association": document.association,
        "period": document.period,
        "sections": [
            {
                "heading": section.heading,
                "text": section.html,
                "paragraphs": section.paragraphs,
                "tables": [
                    {
                        "title": table.title,
                        "columns": [
                            {"key": c.key, "label": c.label, "kind": c.kind.value} for c in table.columns
                        ],
                        "rows": [{k: _json_value(v) for k, v in row.items()} for row in table.rows],
                        "total": {k: _json_value(v) for k, v in table.total.items()} if table.total else None,
                        "notes": table.notes,
                    }
                    for table in section.tables
                ],
                "charts": [chart.title for chart in section.charts],
            }
            for section in document.sections
        ],
        "signature": document.signature,
        "signatures": [{"name": n, "role": r, "approved": w or None} for n, r, w in document.signatures],
    }
