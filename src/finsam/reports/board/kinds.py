"""The board's documents by kind: how each is built, its sections with a narrative and their default texts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.utils.translation import gettext_lazy

from finsam.core.documents import Document
from finsam.organisation.models import Association
from finsam.reports.board import annual_report, business_plan, common, interim_report
from finsam.reports.models import ReportVersion

BUILDERS: dict[str, Callable[[Association, dt.date, ReportVersion | None], Document]] = {
    ReportVersion.Kind.INTERIM: interim_report.interim_report,
    ReportVersion.Kind.ANNUAL: annual_report.annual_report,
    ReportVersion.Kind.BUSINESS_PLAN: business_plan.business_plan,
}
TEXTS: dict[str, tuple[str, ...]] = {
    ReportVersion.Kind.INTERIM: interim_report.TEXTS,
    ReportVersion.Kind.ANNUAL: annual_report.TEXTS,
    ReportVersion.Kind.BUSINESS_PLAN: business_plan.TEXTS,
}
SECTION_LABELS = {
    "summary": gettext_lazy("Sammanfattning"),
    "introduction": gettext_lazy("Inledning"),
    "interventions": gettext_lazy("Insatser på individnivå"),
    "structural": gettext_lazy("Strukturinriktade insatser"),
    "economy": gettext_lazy("Ekonomi"),
    "forecast": gettext_lazy("Prognos för helåret"),
    "foreword": gettext_lazy("Ordföranden har ordet"),
    "organisation": gettext_lazy("Organisation"),
    "target_group": gettext_lazy("Målgrupp och uppdrag"),
    "financing": gettext_lazy("Finansiering"),
    "overview": gettext_lazy("Översikt över verksamhetens utveckling"),
    "conditions": gettext_lazy("Viktiga förhållanden för resultat och ekonomisk ställning"),
    "events": gettext_lazy("Händelser av väsentlig betydelse"),
    "follow_up": gettext_lazy("Styrning och uppföljning"),
    "good_management": gettext_lazy("God ekonomisk hushållning"),
    "goal_attainment": gettext_lazy("Måluppfyllelse"),
    "participants": gettext_lazy("Deltagare"),
    "balance_requirement": gettext_lazy("Balanskravsresultat"),
    "staff": gettext_lazy("Väsentliga personalförhållanden"),
    "expected_development": gettext_lazy("Förväntad utveckling"),
    "accounting_principles": gettext_lazy("Redovisningsprinciper (not 1)"),
    "deviations": gettext_lazy("Avvikelser mot budget (driftredovisning)"),
    "tasks": gettext_lazy("Samordningsförbundets uppgifter"),
    "planned_work": gettext_lazy("Verksamhet under året"),
    "financial_goals": gettext_lazy("Finansiella mål"),
    "goals": gettext_lazy("Målsättning"),
    "budget": gettext_lazy("Budget"),
    "consultation": gettext_lazy("Samråd med medlemmarna"),
}


def defaults(kind: str, association: Association, end: dt.date) -> dict[str, str]:
    """Each narrative section of the kind with its default text for the association's period, in the order
    printed."""
    return common.default_texts(kind, TEXTS[kind], association, end)
