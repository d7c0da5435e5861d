from django.apps import AppConfig


class ProactiveConfig(AppConfig):
    """Playbooks in action, proactive notices and the proactive-care measures (issue 4).
    Models live in ``incidents``; this app holds the services, screens and wording."""

    name = "tanggap.proactive"
    label = "proactive"
    default_auto_field = "django.db.models.BigAutoField"
