from django.urls import path

from finsam.finance import views

app_name = "finance"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("import/", views.upload, name="upload"),
    path("import/<int:pk>/", views.job, name="job"),
    path("import/<int:pk>/bekrafta/", views.confirm, name="confirm"),
    path("rader/", views.mapping, name="mapping"),
    path("rader/ny/", views.row_create, name="row_create"),
    path("rader/<int:pk>/", views.row_edit, name="row"),
    path("budget/", views.budget_table, name="budget"),
    path("budget/<int:pk>/", views.budget_edit, name="budget_edit"),
    path("huvudbok/", views.ledger, name="ledger"),
    path("importer/", views.import_history, name="imports"),
    path("<slug:name>/", views.statement, name="statement"),
]
