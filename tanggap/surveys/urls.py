"""Console and portal pages of surveys (issue 6)."""

from django.urls import path

from tanggap.surveys import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.results, name="results"),
    path("surveys/recovery/", views.recovery, name="recovery"),
    path("surveys/recovery/<int:task_id>/done/", views.recovery_done, name="recovery-done"),
    path("surveys/manage/", views.manage, name="manage"),
    path("surveys/manage/new/", views.survey_new, name="new"),
    path("surveys/manage/<int:survey_id>/", views.survey_edit, name="edit"),
    path("portal/s/<str:token>/", views.answer, name="answer"),
]
