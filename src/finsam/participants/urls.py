from django.urls import path

from finsam.participants import views

app_name = "participants"
urlpatterns = [
    path("", views.index, name="index"),
    path("lista/", views.episode_list, name="list"),
    path("lista.xlsx", views.export, name="export"),
    path("ny/", views.enrol, name="enrol"),
    path("<int:pk>/", views.episode_detail, name="episode"),
    path("<int:pk>/avsluta/", views.exit_episode, name="exit"),
    path("<int:pk>/skatta/", views.rate, name="rate"),
    path("remisser/", views.referral_list, name="referrals"),
    path("remisser/ny/", views.referral_create, name="referral_create"),
    path("remisser/<int:pk>/", views.referral_edit, name="referral"),
    path("import/", views.import_file, name="import"),
    path("tabeller/", views.table_page, name="tables"),
    path("tabeller.<str:fmt>", views.table_download, name="tables_download"),
    path("atkomstlogg/", views.access_log, name="access_log"),
    path("installningar/", views.settings_page, name="settings"),
    path("volym/", views.volumes, name="volumes"),
]
