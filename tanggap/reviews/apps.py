from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    """Reviews: marketplace-style reviews in, a fast lane for negative ones, replies back out (issue 6)."""

    name = "tanggap.reviews"
    label = "reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tanggap.reviews import panels
        from tanggap.web.panels import register

        register("console.nav", "reviews/panels/nav.html", context=panels.nav)
        register("ticket.reply", "reviews/panels/ticket_reply.html", context=panels.ticket_reply)
        register("customer.side", "reviews/panels/customer_side.html", context=panels.customer_side)
