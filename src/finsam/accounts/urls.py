from django.contrib.auth import views as auth_views
from django.urls import path

from finsam.accounts import views
from finsam.core.caching import no_store

# Every account page may show a secret once (an authenticator's key, recovery codes, a new user's one-time
# password) or what a user did: none is kept by a browser or a proxy.
app_name = "accounts"
urlpatterns = [
    path("logga-in/", no_store(views.LoginView.as_view()), name="login"),
    path("logga-ut/", no_store(auth_views.LogoutView.as_view()), name="logout"),
    path("verifiera/", no_store(views.verify), name="verify"),
    path("tvastegsinloggning/", no_store(views.setup_2fa), name="setup_2fa"),
    path("aterstallningskoder/", no_store(views.regenerate_codes), name="regenerate_codes"),
    path("byt-losenord/", no_store(views.change_password), name="change_password"),
    path("aviseringar/", no_store(views.notification_choices), name="notifications"),
    path("", no_store(views.profile), name="profile"),
]

# Under /f/<slug>/anvandare/: the office's administration of the association's users.
association_urlpatterns = [
    path("", no_store(views.users), name="list"),
    path("<int:pk>/ta-bort/", no_store(views.revoke), name="revoke"),
    path("behorigheter/", no_store(views.role_requests), name="requests"),
    path("behorigheter/<int:pk>/", no_store(views.decide), name="decide"),
]
