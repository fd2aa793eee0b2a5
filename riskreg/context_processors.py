from django.conf import settings
from django.urls import reverse

from risks.models import is_panel, is_planner
from risks.scoring import band_css_version


def site(request):
    user = getattr(request, "user", None)
    return {
        "organisation_name": settings.ORGANISATION_NAME,
        "oidc_enabled": settings.OIDC_ENABLED,
        "user_is_planner": bool(user and is_planner(user)),
        "user_is_panel": bool(user and is_panel(user)),
        "bands_css_url": reverse("bands-css", args=[band_css_version()]),
    }
