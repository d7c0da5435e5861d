from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Knowledge base: articles in three languages, search, suggestions, the help center and content ideas from complaint themes (issue 6)."""

    name = "tanggap.knowledge"
    label = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tanggap.knowledge import panels
        from tanggap.web.panels import register

        register("console.nav", "knowledge/panels/nav.html", context=panels.console_nav)
        register("ticket.reply", "knowledge/panels/ticket_suggestions.html", context=panels.ticket_suggestions)
        register("portal.nav", "knowledge/panels/portal_nav.html")
        register("portal.contact", "knowledge/panels/contact_suggestions.html", context=panels.contact_suggestions)
