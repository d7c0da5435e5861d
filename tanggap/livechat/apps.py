"""Live chat on the business's website: the widget, real-time delivery, availability (issue 8)."""
from django.apps import AppConfig


class LivechatConfig(AppConfig):
    name = "tanggap.livechat"
    label = "livechat"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tanggap.livechat import adapter, handlers, panels  # noqa: F401  (registers the adapter, subscribers)
        from tanggap.web.panels import register

        register("console.nav", "livechat/panels/nav.html", context=panels.nav)
        register("ticket.reply", "livechat/panels/ticket_reply.html", context=panels.ticket_reply, order=10)
