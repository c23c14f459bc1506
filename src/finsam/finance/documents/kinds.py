"""The kinds of report finance registers (see `finsam.core.documents`), and the statements its pages show."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from finsam.core.documents import Gather
from finsam.finance.documents import (
    balance_sheet,
    cash_flow,
    income_statement,
    key_figures,
    notes,
    operating_statement,
    shared_costs,
)

KINDS: dict[str, Gather] = {
    "income-statement": income_statement.gathered,
    "income-statement-annual": income_statement.gathered_annual,
    "balance-sheet": balance_sheet.gathered,
    "cash-flow": cash_flow.gathered,
    "operating-statement": operating_statement.gathered,
    "notes": notes.gathered,
    "key-figures": key_figures.gathered,
    "shared-costs": shared_costs.gathered,
}

# The statements shown on the finance pages (and linked from the start page), in the order of an annual
# report.
STATEMENTS = {
    "resultatrakning": ("income-statement", _("Resultaträkning (delår)")),
    "resultatrakning-helar": ("income-statement-annual", _("Resultaträkning (helår)")),
    "balansrakning": ("balance-sheet", _("Balansräkning")),
    "kassaflode": ("cash-flow", _("Kassaflödesanalys")),
    "driftsredovisning": ("operating-statement", _("Driftredovisning")),
    "noter": ("notes", _("Noter")),
    "nyckeltal": ("key-figures", _("Nyckeltal")),
    "delade-kostnader": ("shared-costs", _("Delade kostnader")),
}
