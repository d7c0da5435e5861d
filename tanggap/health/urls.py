"""Console page of customer health (issue 7): the customers by health, for leads and admins."""

from django.urls import path

from tanggap.health import views

app_name = "health"
urlpatterns: list = [
    path("health/", views.at_risk, name="list"),
]
