from django.apps import AppConfig


class LoyaltyConfig(AppConfig):
    """Loyalty: the points ledger, tiers, vouchers, lucky draws and exclusive offers (issue 6)."""

    name = "tanggap.loyalty"
    label = "loyalty"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from tanggap.loyalty import services  # noqa: F401  (registers the customer merge hook)
        from tanggap.loyalty.panels import register_panels

        register_panels()
