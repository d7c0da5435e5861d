from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "tanggap.journeys"
    label = "journeys"
    default_auto_field = "django.db.models.BigAutoField"
