"""Console pages of calls (issue 8): the targets of the "log a call" panels."""

from django.urls import path

from tanggap.calls import views

app_name = "calls"
urlpatterns: list = [
    path("calls/customers/<int:customer_id>/log/", views.customer_log, name="customer-log"),
    path("calls/tickets/<int:ticket_id>/log/", views.ticket_log, name="ticket-log"),
]
