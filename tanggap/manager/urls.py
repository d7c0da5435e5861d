from django.urls import path

app_name = "manager"

urlpatterns: list = []
