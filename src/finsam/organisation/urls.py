from django.urls import path

from finsam.core.caching import no_store
from finsam.organisation import views

app_name = "organisation"
urlpatterns = [
    path("medlemmar/", views.member_list, name="members"),
    path("medlemmar/ny/", views.member_create, name="member_create"),
    path("medlemmar/<int:pk>/", views.member_detail, name="member"),
    path("medlemmar/<int:pk>/folkmangd/", views.population_add, name="population_add"),
    path("medlemmar/<int:pk>/tidigare-namn/", views.member_name_add, name="member_name_add"),
    path("styrelse/", views.board_list, name="board"),
    path("styrelse/ny/", views.board_create, name="board_create"),
    path("styrelse/<int:pk>/", views.board_edit, name="board_seat"),
    path("insatser/", views.intervention_list, name="interventions"),
    path("insatser/ny/", views.intervention_create, name="intervention_create"),
    path("insatser/<int:pk>/", views.intervention_detail, name="intervention"),
    path("beviljade-belopp/", views.grant_list, name="grants"),
    path("beviljade-belopp/ny/", views.grant_create, name="grant_create"),
    path("beviljade-belopp/<int:pk>/", views.grant_edit, name="grant"),
    path("medlemsbidrag/", views.contribution_split, name="contributions"),
    path("medlemsbidrag/totalbelopp/", views.contribution_total_save, name="contribution_total"),
    path("andringslogg/", no_store(views.audit_log), name="audit"),
]
