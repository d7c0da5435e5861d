from django.urls import path

app_name = "proactive"

urlpatterns: list = []
