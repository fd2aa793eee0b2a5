from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "controls"
    verbose_name = "Controls"

    def ready(self) -> None:
        # Adds controls and their history to the risk page without risks importing controls.
        from . import risk_page, timeline  # noqa: F401
