from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "finsam.accounts"
    label = "accounts"
    verbose_name = _("Konton och behörigheter")

    def ready(self) -> None:
        """Register the notification of this app: a role that needs approval was asked for."""
        from finsam.accounts import notifications
        from finsam.accounts.roles import Role
        from finsam.accounts.services import ROLE_REQUESTED

        notifications.register(
            notifications.Kind(
                ROLE_REQUESTED,
                _("någon begär en roll som kräver godkännande"),
                _(
                    "Till dataskyddsombudet: en roll som läser personuppgifter eller beslutar om "
                    "behörigheter har begärts och väntar på beslut."
                ),
                frozenset({Role.DATA_PROTECTION_OFFICER}),
            )
        )
