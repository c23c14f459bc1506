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
        """Register the kinds of report this app makes, its jobs and notifications; after a flush, store the
        shipped instrument again; backups leave out the uploads waiting for their confirmation."""
        from finsam.accounts import notifications
        from finsam.accounts.roles import Role
        from finsam.core import backup, jobs
        from finsam.participants.figures import KINDS
        from finsam.participants.jobs import SUMMARY
        from finsam.participants.outcomes import KINDS as OUTCOME_KINDS
        from finsam.participants.services import ERASED, restore_shipped_instrument

        documents.register(KINDS)
        documents.register(OUTCOME_KINDS)
        # Erasure (gallring) every night, as `finsam manage erase_expired` does it by hand.
        jobs.register_recurring(
            jobs.Recurring("erase_expired", "finsam.participants.jobs.erase_expired", at=dt.time(2, 30))
        )
        # The registrars' summary every Monday morning.
        jobs.register_recurring(
            jobs.Recurring(
                SUMMARY, "finsam.participants.jobs.registrar_summaries", at=dt.time(7, 0), weekday=0
            )
        )
        notifications.register(
            notifications.Kind(
                SUMMARY,
                _("jag har skattningar eller avslut att registrera (varje måndag)"),
                _(
                    "Till deltagarregistratorer: hur många skattningar som ska göras och avslut som ska "
                    "registreras i dina insatser, bara antal."
                ),
                frozenset({Role.REGISTRAR}),
            )
        )
        notifications.register(
            notifications.Kind(
                ERASED,
                _("gallringen har tagit bort deltagaruppgifter"),
                _(
                    "Till dataskyddsombudet: efter varje gallring som tog bort något, hur många episoder "
                    "och remisser."
                ),
                frozenset({Role.DATA_PROTECTION_OFFICER}),
            )
        )
        post_migrate.connect(restore_shipped_instrument, sender=self)
        backup.transient("deltagarimport")
