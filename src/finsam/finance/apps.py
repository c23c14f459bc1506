from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from finsam.core import documents


class FinanceConfig(AppConfig):
    name = "finsam.finance"
    label = "finance"
    verbose_name = _("Ekonomi")

    def ready(self) -> None:
        """Register the kinds of report this app makes."""
        from finsam.finance.documents.kinds import KINDS

        documents.register(KINDS)
