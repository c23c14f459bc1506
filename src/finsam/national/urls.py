from django.urls import path

from finsam.national import views

app_name = "national"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("sammanstallning.<str:fmt>", views.download, name="download"),
]
