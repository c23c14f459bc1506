from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "finsam.core"
    label = "core"
    verbose_name = _("Gemensamt")

    def ready(self) -> None:
        from finsam.core.sqlite import make_private

        connection_created.connect(make_private, dispatch_uid="finsam.core.sqlite.make_private")
