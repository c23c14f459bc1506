from django.contrib.auth import views as auth_views
from django.urls import path

from finsam.accounts import views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("verifiera/", views.verify, name="verify"),
    path("tvastegsinloggning/", views.setup_2fa, name="setup_2fa"),
    path("aterstallningskoder/", views.regenerate_codes, name="regenerate_codes"),
    path("byt-losenord/", views.change_password, name="change_password"),
    path("", views.profile, name="profile"),
]

# Under /f/<slug>/anvandare/: the office's administration of the association's users.
association_urlpatterns = [
    path("", views.users, name="list"),
    path("<int:pk>/ta-bort/", views.revoke, name="revoke"),
    path("behorigheter/", views.role_requests, name="requests"),
    path("behorigheter/<int:pk>/", views.decide, name="decide"),
]
