from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from finsam.core import documents


class GoalsConfig(AppConfig):
    name = "finsam.goals"
    label = "goals"
    verbose_name = _("Mål, strukturarbete och enkäter")

    def ready(self) -> None:
        """Register the kinds of report this app makes."""
        from finsam.goals.follow_up import KINDS

        documents.register(KINDS)
