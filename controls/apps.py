from django.apps import AppConfig


class ControlsConfig(AppConfig):
    name = "controls"
    verbose_name = "Controls"

    def ready(self) -> None:
        # Adds control history to the risk page's timeline without risks importing controls.
        from . import timeline  # noqa: F401
