from django.apps import AppConfig


class TriageConfig(AppConfig):
    """Triage of every inbound message: language, category, sentiment and urgency, computed in the
    worker by models trained on this machine (issue 7)."""

    name = "tanggap.triage"
    label = "triage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tanggap.triage import panels

        panels.register_all()
