from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "tanggap.calls"
    default_auto_field = "django.db.models.BigAutoField"
