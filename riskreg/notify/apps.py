from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "riskreg.notify"
    label = "notify"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from risks.models.roles import read_with_roles

        # Registers the header's count as a per-person part of cached pages (risks.pagecache)
        # in every process at start: a worker may serve a page another process rendered into
        # a shared cache (Redis) before it has rendered a template of its own.
        from . import context_processors  # noqa: F401
        from .unread import ROLE_ROW, prime_on_sign_in, unread_rows

        read_with_roles(ROLE_ROW, unread_rows)

        # Not business logic: it only fills the header's cache, so that pages need no query.
        user_logged_in.connect(prime_on_sign_in, dispatch_uid="notify-prime-unread")
