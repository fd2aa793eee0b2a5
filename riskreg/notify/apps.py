from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "riskreg.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .unread import prime_on_sign_in

        # Not business logic: it only fills the header's cache, so that pages need no query.
        user_logged_in.connect(prime_on_sign_in, dispatch_uid="notify-prime-unread")
