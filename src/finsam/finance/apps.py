from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from finsam.core import documents


class FinanceConfig(AppConfig):
    name = "finsam.finance"
    label = "finance"
    verbose_name = _("Ekonomi")

    def ready(self) -> None:
        """Register the kinds of report this app makes, its part of the organisation file, and the hourly
        sweep of imports whose worker died (run at the worker's start too); backups leave out the folder of
        spooled uploads."""
        from finsam.core import backup, jobs
        from finsam.finance import orgfile
        from finsam.finance.documents.kinds import KINDS
        from finsam.organisation import orgfile as organisation_file

        documents.register(KINDS)
        organisation_file.register(orgfile.PART)
        jobs.register_recurring(
            jobs.Recurring("import_sweep", "finsam.finance.jobs.sweep", minutes=60, at_start=True)
        )
        backup.transient("importer")
