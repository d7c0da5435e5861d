"""Product recommendations from purchase history and profile rules (issue 7)."""
from django.apps import AppConfig


class RecommendConfig(AppConfig):
    name = "tanggap.recommend"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tanggap.recommend import handlers, services  # noqa: F401  (order journey events; merge hook)
        from tanggap.recommend.panels import register_panels

        register_panels()
