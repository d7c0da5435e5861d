from django.apps import AppConfig


class SurveysConfig(AppConfig):
    """Surveys: the questionnaire builder, CSAT, NPS, CES and the response-outcome survey of article 004, sending, answers and results (issue 6)."""

    name = "tanggap.surveys"
    label = "surveys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tanggap.customers.services import register_merge_hook
        from tanggap.surveys import panels, services

        register_merge_hook(services.customer_merge_hook)
        panels.register_all()
