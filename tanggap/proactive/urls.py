from django.urls import path

from tanggap.proactive import views

app_name = "proactive"

urlpatterns: list = [
    path("proactive/playbooks/", views.playbooks, name="playbooks"),
    path("proactive/incidents/<int:incident_id>/", views.incident, name="incident"),
    path("proactive/incidents/<int:incident_id>/tasks/<int:task_id>/done/", views.task_done, name="task-done"),
    path("proactive/incidents/<int:incident_id>/redraft/", views.redraft, name="redraft"),
    path("proactive/measures/", views.measures, name="measures"),
]
