import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "riskreg.settings")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - settings are configured by the line above

if not settings.DEBUG:
    from riskreg.checks import refuse_demo_passwords

    # Production refuses to start while an account signs in with the published demo password.
    refuse_demo_passwords()
