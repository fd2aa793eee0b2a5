"""Posts, registers and pillars: what risks belong to and align with."""


from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .roles import reads_everything


class Post(models.Model):
    """An organisational post. Risks belong to posts, so ownership survives staff changes."""

    name = models.CharField(max_length=200, unique=True)
    holders = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="posts", blank=True
    )

    history = HistoricalRecords(m2m_fields=[holders])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class RegisterQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RegisterQuerySet":
        from .delegation import delegated_to

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if reads_everything(user):
            return self
        return self.filter(
            Q(risks__owner__holders=user) | Q(risks__leads__holders=user)
            | delegated_to(user, "risks__")
        ).distinct()


class Register(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    # Example registers show the service beyond the seed; every page that shows one says so, and
    # the Audit Panel report never draws on them.
    is_example = models.BooleanField(
        "example data", default=False,
        help_text="Made-up data to try the service with; labelled on every page that shows it.",
    )

    objects = RegisterQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:register", args=[self.slug])


class Pillar(models.Model):
    """A strategic objective (a "Met Direction" pillar) that risks align with."""

    name = models.CharField(max_length=300, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
