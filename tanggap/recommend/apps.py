from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "tanggap.recommend"
    default_auto_field = "django.db.models.BigAutoField"
