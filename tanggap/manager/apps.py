from django.apps import AppConfig


class ManagerConfig(AppConfig):
    name = "tanggap.manager"
    label = "manager"
    default_auto_field = "django.db.models.BigAutoField"
