from django.apps import AppConfig


class LivechatConfig(AppConfig):
    name = "tanggap.livechat"
    default_auto_field = "django.db.models.BigAutoField"
