"""The kinds of journey event, and what the order kinds do to their order."""

from django.db import models
from django.utils.translation import pgettext_lazy


class Kind(models.TextChoices):
    # Labels carry a context: "Search" the event is not "Search" the button.
    AD_SEEN = "ad_seen", pgettext_lazy("journey event", "Ad seen")
    SEARCH = "search", pgettext_lazy("journey event", "Search")
    SITE_VISIT = "site_visit", pgettext_lazy("journey event", "Site visit")
    STORE_VISIT = "store_visit", pgettext_lazy("journey event", "Store visit")
    ORDER_PLACED = "order_placed", pgettext_lazy("journey event", "Order placed")
    ORDER_PAID = "order_paid", pgettext_lazy("journey event", "Order paid")
    ORDER_SHIPPED = "order_shipped", pgettext_lazy("journey event", "Order shipped")
    ORDER_DELIVERED = "order_delivered", pgettext_lazy("journey event", "Order delivered")
    ORDER_RETURNED = "order_returned", pgettext_lazy("journey event", "Order returned")
    REVIEW_POSTED = "review_posted", pgettext_lazy("journey event", "Review posted")
    SURVEY_ANSWERED = "survey_answered", pgettext_lazy("journey event", "Survey answered")


# The order status each order kind moves its order to (customers.Order.Status values).
ORDER_STATUS_OF_KIND = {
    Kind.ORDER_PLACED: "placed",
    Kind.ORDER_PAID: "paid",
    Kind.ORDER_SHIPPED: "shipped",
    Kind.ORDER_DELIVERED: "delivered",
    Kind.ORDER_RETURNED: "returned",
}
