import importlib

from django.apps import AppConfig, apps


class EventsConfig(AppConfig):
    name = "tanggap.events"
    label = "events"

    def ready(self) -> None:
        # Each domain's handlers.py registers its subscribers on import.
        for config in apps.get_app_configs():
            if config.name.startswith("tanggap."):
                try:
                    importlib.import_module(f"{config.name}.handlers")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.handlers":
                        raise
