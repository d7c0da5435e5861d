from django.apps import AppConfig


class JourneysConfig(AppConfig):
    name = "tanggap.journeys"
    label = "journeys"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registers the customer-merge hook that moves journey events to the surviving customer.
        from tanggap.journeys import services  # noqa: F401
