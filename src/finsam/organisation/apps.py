from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from finsam.core import documents


class OrganisationConfig(AppConfig):
    name = "finsam.organisation"
    label = "organisation"
    verbose_name = _("Organisation")

    def ready(self) -> None:
        """Register the kinds of report this app makes."""
        from finsam.organisation.lists import KINDS

        documents.register(KINDS)
