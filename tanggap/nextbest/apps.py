from django.apps import AppConfig


class NextbestConfig(AppConfig):
    name = "tanggap.nextbest"
    label = "nextbest"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tanggap.nextbest import panels
        from tanggap.web.panels import register

        register("customer.side", "nextbest/panels/actions.html", context=panels.customer_side, order=5)
        register("ticket.side", "nextbest/panels/actions.html", context=panels.ticket_side, order=5)
        register("console.nav", "nextbest/panels/nav.html", context=panels.nav, order=15)
