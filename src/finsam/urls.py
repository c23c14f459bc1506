from django.urls import include, path

from finsam.accounts.urls import association_urlpatterns as user_admin
from finsam.core import health
from finsam.goals.urls import public_urlpatterns as survey_answers
from finsam.start import views as start

urlpatterns = [
    path("", start.home, name="home"),
    path("halsa/", health.view, name="health"),
    path("konto/", include("finsam.accounts.urls")),
    path("katalog/", include("finsam.catalogue.urls")),
    path("nationellt/", include("finsam.national.urls")),
    path("f/<slug:slug>/", include("finsam.start.urls")),
    path("f/<slug:slug>/", include("finsam.organisation.urls")),
    path("f/<slug:slug>/deltagare/", include("finsam.participants.urls")),
    path("f/<slug:slug>/ekonomi/", include("finsam.finance.urls")),
    path("f/<slug:slug>/rapporter/", include("finsam.reports.urls")),
    path("f/<slug:slug>/mal/", include("finsam.goals.urls")),
    path("enkat/", include((survey_answers, "survey"))),
    path("f/<slug:slug>/anvandare/", include((user_admin, "users"))),
]
