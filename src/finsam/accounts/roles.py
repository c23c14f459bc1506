"""Roles per association and what each may do.

Personal data of participants is never granted by a role alone: a registrar sees it only for the
interventions named on her membership (checked by the participants app). A role that reads personal data, or
decides who may, is given on the web only when a second person approves (needs_approval, ADR 0014).
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_ADMIN = "office_admin", _("Kansliadministratör")
    ECONOMIST = "economist", _("Ekonom")
    REGISTRAR = "registrar", _("Deltagarregistrator")
    BOARD_MEMBER = "board_member", _("Styrelseledamot")
    DATA_PROTECTION_OFFICER = "dpo", _("Dataskyddsombud")
    REPORTING = "reporting", _("Rapportläsare")
    AUDITOR = "auditor", _("Revisor")
    NATIONAL = "national", _("Nationell läsare")


class Perm(StrEnum):
    VIEW_ORGANISATION = "organisation.view"
    EDIT_ORGANISATION = "organisation.edit"
    VIEW_AUDIT = "audit.view"
    VIEW_REPORTS = "reports.view"
    VIEW_FINANCE = "finance.view"
    EDIT_FINANCE = "finance.edit"
    VIEW_AGGREGATES = "participants.aggregates"
    VIEW_PERSONAL_DATA = "participants.personal"
    VIEW_ACCESS_LOG = "privacy.access_log"
    VIEW_ACCESS_COUNTS = "privacy.access_counts"  # reads of personal data counted by month and role, no names
    AUDIT_PACKAGE = "reports.audit_package"  # a report version's auditor's package (its ZIP holds the trail)
    MANAGE_USERS = "accounts.manage"
    DECIDE_ACCESS = "accounts.decide"  # approve or refuse the requests for roles that need approval
    VIEW_NATIONAL = "national.view"  # the roll-up of the exports taken into this installation (no one's data)


ROLE_PERMS: dict[str, frozenset[Perm]] = {
    Role.OFFICE_ADMIN: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.EDIT_ORGANISATION,
            Perm.VIEW_AUDIT,
            Perm.VIEW_REPORTS,
            Perm.VIEW_FINANCE,
            Perm.VIEW_AGGREGATES,
            Perm.MANAGE_USERS,
            Perm.DECIDE_ACCESS,
            Perm.AUDIT_PACKAGE,
        }
    ),
    Role.ECONOMIST: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_REPORTS,
            Perm.VIEW_FINANCE,
            Perm.EDIT_FINANCE,
            Perm.VIEW_AGGREGATES,
        }
    ),
    Role.REGISTRAR: frozenset({Perm.VIEW_ORGANISATION, Perm.VIEW_PERSONAL_DATA}),
    Role.BOARD_MEMBER: frozenset(
        {Perm.VIEW_ORGANISATION, Perm.VIEW_REPORTS, Perm.VIEW_AGGREGATES, Perm.AUDIT_PACKAGE}
    ),
    Role.DATA_PROTECTION_OFFICER: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_AUDIT,
            Perm.VIEW_ACCESS_LOG,
            Perm.VIEW_ACCESS_COUNTS,
            Perm.DECIDE_ACCESS,
        }
    ),
    Role.REPORTING: frozenset({Perm.VIEW_ORGANISATION, Perm.VIEW_REPORTS, Perm.VIEW_AGGREGATES}),
    # The association's auditor (revisor) reads, never writes, and never reads personal data: the report
    # versions and their files, the statements, the ledger and its imports, the audit trail, and the access
    # log only as counts (ADR 0020). Not the participant tables either: the board's documents carry them
    # suppressed.
    Role.AUDITOR: frozenset(
        {
            Perm.VIEW_ORGANISATION,
            Perm.VIEW_REPORTS,
            Perm.VIEW_FINANCE,
            Perm.VIEW_AUDIT,
            Perm.VIEW_ACCESS_COUNTS,
            Perm.AUDIT_PACKAGE,
        }
    ),
    # The national follow-up's reader in a national installation: the roll-up of the associations' signed
    # exports, which hold counts and money only (ADR 0028); nothing of the association the role is held in.
    Role.NATIONAL: frozenset({Perm.VIEW_NATIONAL}),
}

# What a role is given on the web only with a second person's approval: reading personal data, and deciding
# such requests (else an administrator could make an account of her own a decider and approve through it).
APPROVAL_PERMS = frozenset({Perm.VIEW_PERSONAL_DATA, Perm.DECIDE_ACCESS})


def needs_approval(role: str) -> bool:
    """Whether the role is given on the web only when the data protection officer or another administrator
    approves (ADR 0014); a command grants it directly."""
    return bool(ROLE_PERMS[role] & APPROVAL_PERMS)
