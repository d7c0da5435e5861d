from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "tanggap.health"
    default_auto_field = "django.db.models.BigAutoField"
