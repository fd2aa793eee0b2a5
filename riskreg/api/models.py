import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

PREFIX = "rr"


class Scope(models.TextChoices):
    READ = "read", "Read"
    UPDATE = "update", "Read and update"


def digest(raw: str) -> str:
    """Tokens are 256 random bits, so a plain SHA-256 stores them safely: nobody can guess
    their way back from it, and the lookup stays one indexed equality (no slow hash per call)."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """A person's token for the API. Only its SHA-256 digest is stored: the token itself is
    shown once, when it is made, and can never be shown again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, to recognise it.")
    # The first characters of the token, to recognise it in the list (not enough to use it).
    prefix = models.CharField(max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=["read", "update"]), name="api_token_scope_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None

    @property
    def may_update(self) -> bool:
        return self.scope == Scope.UPDATE

    @classmethod
    def issue(cls, *, user, name: str, scope: str) -> tuple["ApiToken", str]:
        """A new token for `user`: the row, and the token itself (to show once)."""
        raw = f"{PREFIX}_{secrets.token_urlsafe(32)}"
        token = cls.objects.create(
            user=user, name=name, scope=scope, prefix=raw[:10], digest=digest(raw)
        )
        return token, raw
