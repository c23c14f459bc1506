from django.urls import path

from finsam.reports import register_views, views

app_name = "reports"
urlpatterns = [
    path("", views.versions, name="versions"),
    path("word-mall/", views.word_template, name="word_template"),
    path("handelser/", register_views.events, name="events"),
    path("handelser/ny/", register_views.event_edit, name="event_create"),
    path("handelser/personal/", register_views.staff, name="staff"),
    path("handelser/<int:pk>/", register_views.event_edit, name="event"),
    path("handelser/<int:pk>/ta-bort/", register_views.event_delete, name="event_delete"),
    path("versioner/<int:pk>/", views.version, name="version"),
    path("versioner/<int:pk>/fotnot/", views.footnote, name="footnote"),
    path("versioner/<int:pk>/diarium/", views.reference, name="reference"),
    path("versioner/<int:pk>/revisionspaket/", views.audit_package, name="audit_package"),
    path("versioner/<int:pk>/godkann/", views.approve, name="approve"),
    path("versioner/<int:pk>/be-om-godkannande/", views.ask_for_approval, name="ask_for_approval"),
    path("versioner/<int:pk>/skapa-filer/", views.render_files, name="render_files"),
    path("versioner/<int:pk>/fil.<str:fmt>", views.version_file, name="version_file"),
    path("<slug:kind>.<str:fmt>", views.download, name="download"),
]
