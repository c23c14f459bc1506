"""The kinds of report this app makes (the members' contributions and the board's documents), and the formats
a gathered document renders to besides JSON; both registered in `finsam.core.documents` by the app config."""

from __future__ import annotations

from finsam.core.documents import Format, Gather, Gathered, Period, ReportUnavailable, document_json
from finsam.organisation import contributions as contribution_rules
from finsam.organisation.models import Association
from finsam.reports import contributions, services
from finsam.reports.board.kinds import BUILDERS
from finsam.reports.render.docx import render_docx
from finsam.reports.render.html import render_html
from finsam.reports.render.pdf import render_pdf
from finsam.reports.render.xlsx import render_xlsx


def _contributions(association: Association, period: Period) -> Gathered:
    try:
        split = contribution_rules.compute(association, period.end.year)
    except contribution_rules.ContributionError as error:
        raise ReportUnavailable(str(error)) from None
    return Gathered(contributions.as_json(split), contributions.as_document(split))


def _board_document(kind: str) -> Gather:
    """The board's documents: the latest version of the period with its texts (as approved, once locked)."""

    def gather_report(association: Association, period: Period) -> Gathered:
        version = services.latest(association, kind, period.end)
        if version is not None:
            return services.gather_for_download(version)
        document = BUILDERS[kind](association, period.end, None)
        return Gathered(document_json(document), document, template=services.word_template(association))

    return gather_report


KINDS: dict[str, Gather] = {
    "contributions": _contributions,
    "interim-report": _board_document("interim-report"),
    "annual-report": _board_document("annual-report"),
    "business-plan": _board_document("business-plan"),
}

FORMATS = {
    "html": Format(
        "text/html; charset=utf-8", lambda gathered: render_html(gathered.document).encode("utf-8")
    ),
    "pdf": Format("application/pdf", lambda gathered: render_pdf(gathered.document)),
    "docx": Format(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda gathered: render_docx(gathered.document, gathered.template),
    ),
    "xlsx": Format(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        lambda gathered: render_xlsx(gathered.document),
    ),
}
