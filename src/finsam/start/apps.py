from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StartConfig(AppConfig):
    """The start page of every role, and the choice of association: the top of the layers, since it shows
    something of every app below it."""

    name = "finsam.start"
    label = "start"
    verbose_name = _("Startsida")
