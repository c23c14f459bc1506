import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from finsam.core import documents


class FinanceConfig(AppConfig):
    name = "finsam.finance"
    label = "finance"
    verbose_name = _("Ekonomi")

    def ready(self) -> None:
        """Register the kinds of report this app makes, its part of the organisation file, the hourly sweep
        of imports whose worker died (run at the worker's start too), its notifications and the weekly
        reminder of next year's decisions; backups leave out the folder of spooled uploads."""
        from finsam.accounts import notifications
        from finsam.accounts.roles import ROLE_PERMS, Perm, Role
        from finsam.core import backup, jobs
        from finsam.finance import orgfile, reminders
        from finsam.finance.documents.kinds import KINDS
        from finsam.finance.jobs import IMPORT_ENDED
        from finsam.organisation import orgfile as organisation_file

        documents.register(KINDS)
        organisation_file.register(orgfile.PART)
        jobs.register_recurring(
            jobs.Recurring("import_sweep", "finsam.finance.jobs.sweep", minutes=60, at_start=True)
        )
        backup.transient("importer")
        importers = frozenset(role for role, perms in ROLE_PERMS.items() if Perm.EDIT_FINANCE in perms)
        notifications.register(
            notifications.Kind(
                IMPORT_ENDED,
                _("en import jag startade är klar"),
                _(
                    "Importen av bokföring eller budget är klar, stoppades, avbröts av ett fel eller väntar "
                    "på din bekräftelse."
                ),
                importers,
            )
        )
        notifications.register(
            notifications.Kind(
                reminders.DECISIONS_MISSING,
                _("nästa års budget eller medlemsbidrag inte är beslutat"),
                _(
                    "Till kansliet: varje måndag från 1 oktober, så länge nästa års budget eller beslut om "
                    "totalt medlemsbidrag saknas."
                ),
                frozenset({Role.OFFICE_ADMIN}),
            )
        )
        jobs.register_recurring(
            jobs.Recurring(
                "decisions_missing",
                "finsam.finance.reminders.remind_missing_decisions",
                at=dt.time(7, 0),
                weekday=0,
            )
        )
