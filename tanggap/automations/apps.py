from django.apps import AppConfig


class AutomationsConfig(AppConfig):
    name = "tanggap.automations"
    label = "automations"
    default_auto_field = "django.db.models.BigAutoField"
