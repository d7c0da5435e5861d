from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "tanggap.promises"
    label = "promises"
    default_auto_field = "django.db.models.BigAutoField"
