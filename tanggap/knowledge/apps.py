from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Knowledge base: articles in three languages, search, suggestions, the help center and content ideas from complaint themes (issue 6)."""

    name = "tanggap.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"
