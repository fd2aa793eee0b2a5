from django.conf import settings
from django.urls import reverse

from risks.models import is_panel, is_planner
from risks.pagecache import CSRF_PLACEHOLDER, NAME_PLACEHOLDER, rendering_for_cache
from risks.scoring import band_css_version


def site(request):
    user = getattr(request, "user", None)
    personal = {}
    if rendering_for_cache(request):
        # A page kept for others too: risks.pagecache puts each person's own back as it serves.
        personal = {"csrf_token": CSRF_PLACEHOLDER, "signed_in_as": NAME_PLACEHOLDER}
    elif user is not None and user.is_authenticated:
        personal = {"signed_in_as": user.get_username()}
    return {
        **personal,
        "organisation_name": settings.ORGANISATION_NAME,
        "oidc_enabled": settings.OIDC_ENABLED,
        "user_is_planner": bool(user and is_planner(user)),
        "user_is_panel": bool(user and is_panel(user)),
        "bands_css_url": reverse("bands-css", args=[band_css_version()]),
    }
