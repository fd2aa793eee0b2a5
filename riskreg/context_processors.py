from django.conf import settings

from risks.models import is_panel, is_planner


def site(request):
    user = getattr(request, "user", None)
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "oidc_enabled": settings.OIDC_ENABLED,
        "user_is_planner": bool(user and is_planner(user)),
        "user_is_panel": bool(user and is_panel(user)),
    }
