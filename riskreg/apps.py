from django.apps import AppConfig


class RiskregConfig(AppConfig):
    name = "riskreg"
    verbose_name = "Audit Panel reports"

    def ready(self) -> None:
        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            signin,  # noqa: F401 - connects the lockout log to axes' signal
        )
