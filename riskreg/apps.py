from django.apps import AppConfig


class RiskregConfig(AppConfig):
    name = "riskreg"
    verbose_name = "Audit Panel reports"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete, post_save

        from risks.sessionwatch import forget_user

        from . import (
            checks,  # noqa: F401 - registers the deployment checks
            signin,  # noqa: F401 - connects the lockout log to axes' signal
        )
        from .middleware import stamp_session_on_sign_in

        user_logged_in.connect(stamp_session_on_sign_in, dispatch_uid="riskreg.session_seen")
        # A user's sessions kept in this worker are read again after any change to the user
        # (the database announces it to the other workers: risks/sessionwatch.py).
        for signal in (post_save, post_delete):
            signal.connect(forget_user, sender=get_user_model(), dispatch_uid="risks.sessionwatch")
