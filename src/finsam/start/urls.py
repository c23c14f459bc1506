from django.urls import path

from finsam.start import views

app_name = "start"
urlpatterns = [
    path("", views.overview, name="overview"),
]
