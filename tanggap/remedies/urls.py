from django.urls import path

from tanggap.remedies import views

app_name = "remedies"

urlpatterns: list = [
    path("tickets/<int:ticket_id>/remedies/", views.ticket_remedies, name="ticket"),
    path("tickets/<int:ticket_id>/remedies/apply/", views.remedy_apply, name="apply"),
    path("tickets/<int:ticket_id>/remedies/<int:remedy_id>/decide/", views.remedy_decide, name="decide"),
    path("remedies/pending/", views.pending, name="pending"),
]
