from django.urls import path

from tanggap.incidents import views

app_name = "incidents"

urlpatterns: list = [
    path("incidents/", views.incident_list, name="list"),
    path("incidents/new/", views.incident_new, name="new"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="detail"),
    path("incidents/<int:incident_id>/edit/", views.incident_edit, name="edit"),
    path("incidents/<int:incident_id>/link/", views.incident_link, name="link"),
]
