from django.apps import AppConfig


class RepliesConfig(AppConfig):
    name = "tanggap.replies"
    label = "replies"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tanggap.replies import panels
        from tanggap.web.panels import register

        register("ticket.reply", "replies/panels/ticket_reply.html", context=panels.ticket_reply, order=10)
        register("console.nav", "replies/panels/nav.html", context=panels.nav, order=70)
