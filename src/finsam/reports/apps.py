from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from finsam.core import documents


class ReportsConfig(AppConfig):
    name = "finsam.reports"
    label = "reports"
    verbose_name = _("Rapporter")

    def ready(self) -> None:
        """Register the kinds of report this app makes and the formats it renders."""
        from finsam.reports.exporters import FORMATS, KINDS

        documents.register(KINDS)
        documents.register_formats(FORMATS)
