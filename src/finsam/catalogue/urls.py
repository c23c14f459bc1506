from django.urls import path

from finsam.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.association, name="association"),
    path("<slug:slug>/<str:code>/", views.intervention, name="intervention"),
]
