import datetime as dt

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from finsam.core import documents


class ParticipantsConfig(AppConfig):
    name = "finsam.participants"
    label = "participants"
    verbose_name = _("Deltagaruppföljning")

    def ready(self) -> None:
        """Register the kinds of report this app makes; after a flush, store the shipped instrument again;
        backups leave out the uploads waiting for their confirmation."""
        from finsam.core import backup, jobs
        from finsam.participants.figures import KINDS
        from finsam.participants.services import restore_shipped_instrument

        documents.register(KINDS)
        # Erasure (gallring) every night, as `finsam manage erase_expired` does it by hand.
        jobs.register_recurring(
            jobs.Recurring("erase_expired", "finsam.participants.jobs.erase_expired", at=dt.time(2, 30))
        )
        post_migrate.connect(restore_shipped_instrument, sender=self)
        backup.transient("deltagarimport")
