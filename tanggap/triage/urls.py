from django.urls import path

from tanggap.triage import views

app_name = "triage"
urlpatterns = [
    path("triage/messages/<int:message_id>/sentiment/", views.sentiment_label, name="sentiment_label"),
]
