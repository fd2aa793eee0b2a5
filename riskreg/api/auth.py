"""Who is calling: a person's token (Authorization: Bearer rr_...), or their signed-in session
(the documentation page's "Try it out"), and what the token's scope lets them do."""

import datetime

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from risks.together import read_prepared

from .models import ApiToken, digest

LAST_USED_STEP = datetime.timedelta(minutes=1)
REVOKED = "This token is unknown or has been revoked: make a new one on your account page."


def _live_token(digest: str):
    """The live token of that digest (unique) with its person: compiled once (read_prepared)."""
    return ApiToken.objects.live().select_related("user").filter(digest=digest).order_by()[:1]


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the token as 'Authorization: Bearer <token>', with no spaces in the token."
            )
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(REVOKED) from None
        token = next(iter(read_prepared("api-token", _live_token, [digest(raw)])), None)
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(REVOKED)
        # The account page says when each token was last used, to the minute: one short UPDATE
        # a minute at most, not one a call.
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_STEP:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = TokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal token from your account page (/account/).",
        }


class TokenScope(permissions.BasePermission):
    """Signed in and active; a read token reads only. A session may do what its pages may."""

    message = "This token may only read: make a token with the update scope to write."

    def has_permission(self, request, view):
        user = request.user
        if not (user and user.is_authenticated and user.is_active):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not isinstance(token, ApiToken) or token.may_update
