"""Phone calls on the timeline: logged by agents or posted by a telephony webhook (issue 8)."""
from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "tanggap.calls"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tanggap.calls import services  # noqa: F401  (registers the customer merge hook)
        from tanggap.calls.panels import register_panels

        register_panels()
