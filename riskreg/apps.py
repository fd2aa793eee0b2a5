from django.apps import AppConfig


class RiskregConfig(AppConfig):
    name = "riskreg"
    verbose_name = "Audit Panel reports"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            signin,  # noqa: F401 - connects the lockout log to axes' signal
        )
        from .middleware import stamp_session_on_sign_in

        user_logged_in.connect(stamp_session_on_sign_in, dispatch_uid="riskreg.session_seen")
