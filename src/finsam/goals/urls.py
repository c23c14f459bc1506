from django.urls import path

from finsam.goals import views

app_name = "goals"
urlpatterns = [
    path("", views.index, name="index"),
    path("atagande/ny/", views.commitment_create, name="commitment_create"),
    path("atagande/<int:pk>/", views.commitment_edit, name="commitment"),
    path("atagande/<int:pk>/bedom/", views.commitment_assess, name="commitment_assess"),
    path("atagande/<int:pk>/ta-bort/", views.commitment_delete, name="commitment_delete"),
    path("struktur/", views.structural, name="structural"),
    path("register/<slug:register>/", views.register_list, name="register"),
    path("register/<slug:register>/ny/", views.register_edit, name="register_create"),
    path("register/<slug:register>/<int:pk>/", views.register_edit, name="register_row"),
    path("register/<slug:register>/<int:pk>/ta-bort/", views.register_delete, name="register_delete"),
    path("enkater/", views.survey_index, name="surveys"),
    path("enkater/ny/", views.survey_create, name="survey_create"),
    path("enkater/<int:pk>/", views.survey_detail, name="survey"),
    path("enkater/formular/ny/", views.questionnaire_edit, name="questionnaire_create"),
    path("enkater/formular/<int:pk>/", views.questionnaire_edit, name="questionnaire"),
    path("enkater/formular/<int:questionnaire>/fraga/ny/", views.question_edit, name="question_create"),
    path("enkater/formular/<int:questionnaire>/fraga/<int:pk>/", views.question_edit, name="question"),
]

# Public, without login (the two-factor middleware lets /enkat/ through): the anonymous answer form.
public_urlpatterns = [
    path("tack/", views.answer_thanks, name="thanks"),
    path("<str:token>/", views.answer, name="answer"),
]
