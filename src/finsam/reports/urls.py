from django.urls import path

from finsam.reports import views

app_name = "reports"
urlpatterns = [path("<slug:kind>.<str:fmt>", views.download, name="download")]
