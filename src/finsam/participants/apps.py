from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from finsam.core import documents


class ParticipantsConfig(AppConfig):
    name = "finsam.participants"
    label = "participants"
    verbose_name = _("Deltagaruppföljning")

    def ready(self) -> None:
        """Register the kinds of report this app makes."""
        from finsam.participants.figures import KINDS

        documents.register(KINDS)
