"""Customer health score and churn risk (BG/NBD) (issue 7)."""
from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "tanggap.health"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tanggap.health.panels import register_panels

        register_panels()
