from django.apps import AppConfig


class RiskregConfig(AppConfig):
    name = "riskreg"
    verbose_name = "Audit Panel reports"

    def ready(self) -> None:
        # The admin has discovered every app's admin module by now (it is first in
        # INSTALLED_APPS): make the history pages of all of them read-only.
        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            signin,  # noqa: F401 - connects the lockout log to axes' signal
        )
        from .history_admin import make_history_read_only

        make_history_read_only()
