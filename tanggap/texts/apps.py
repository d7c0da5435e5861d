from django.apps import AppConfig


class TextsConfig(AppConfig):
    name = "tanggap.texts"
    label = "texts"
    default_auto_field = "django.db.models.BigAutoField"
