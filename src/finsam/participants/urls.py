from collections.abc import Callable

from django.http.response import HttpResponseBase
from django.urls import URLPattern, path

from finsam.core.caching import no_store
from finsam.participants import outcome_views, views


def _private(route: str, view: Callable[..., HttpResponseBase], name: str) -> URLPattern:
    # Every page and download here shows personal data or figures from it: none is ever cached.
    return path(route, no_store(view), name=name)


app_name = "participants"
urlpatterns = [
    _private("", views.index, "index"),
    _private("lista/", views.episode_list, "list"),
    _private("lista.xlsx", views.export, "export"),
    _private("ny/", views.enrol, "enrol"),
    _private("<int:pk>/", views.episode_detail, "episode"),
    _private("<int:pk>/avsluta/", views.exit_episode, "exit"),
    _private("<int:pk>/skatta/", views.rate, "rate"),
    _private("remisser/", views.referral_list, "referrals"),
    _private("remisser/ny/", views.referral_create, "referral_create"),
    _private("remisser/<int:pk>/", views.referral_edit, "referral"),
    _private("import/", views.import_file, "import"),
    _private("tabeller/", views.table_page, "tables"),
    _private("tabeller.<str:fmt>", views.table_download, "tables_download"),
    _private("utfall/", outcome_views.outcome_page, "outcomes"),
    _private("utfall.<str:fmt>", outcome_views.outcome_download, "outcomes_download"),
    _private("nationell-uppfoljning/", outcome_views.national_page, "national_follow_up"),
    _private(
        "nationell-uppfoljning.<str:fmt>", outcome_views.national_download, "national_follow_up_download"
    ),
    _private("atkomstlogg/", views.access_log, "access_log"),
    _private("atkomstlogg/antal/", views.access_counts, "access_counts"),
    _private("installningar/", views.settings_page, "settings"),
    _private("volym/", views.volumes, "volumes"),
]
