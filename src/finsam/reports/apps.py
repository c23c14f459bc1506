from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from finsam.core import documents


class ReportsConfig(AppConfig):
    name = "finsam.reports"
    label = "reports"
    verbose_name = _("Rapporter")

    def ready(self) -> None:
        """Register the kinds of report this app makes, the formats it renders, and its notification to the
        board."""
        from finsam.accounts import notifications
        from finsam.accounts.roles import Role
        from finsam.reports.exporters import FORMATS, KINDS
        from finsam.reports.services import APPROVAL_ASKED

        documents.register(KINDS)
        documents.register_formats(FORMATS)
        notifications.register(
            notifications.Kind(
                APPROVAL_ASKED,
                _("en rapportversion väntar på mitt godkännande"),
                _("Till styrelseledamöter: kansliet ber styrelsen godkänna en version av en rapport."),
                frozenset({Role.BOARD_MEMBER}),
            )
        )
