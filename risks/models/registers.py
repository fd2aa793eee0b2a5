"""Posts, registers and pillars: what risks belong to and align with."""


from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import reverse
from simple_history.models import HistoricalRecords

from .roles import headed_register_ids, reads_everything


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


def _branch_sql(seed: str, params: list) -> RawSQL:
    """The ids of the registers `seed` selects and of every register beneath them, at any
    depth, as one recursive query the database runs as a subquery: a page costs the same
    queries however deep or wide the hierarchy. UNION (not UNION ALL) stops at a register
    already reached, so even a cycle the forms refuse could not loop."""
    table = Register._meta.db_table
    # Only table names (from the models) are formatted in; every value is a parameter.
    return RawSQL(  # noqa: S611
        f"WITH RECURSIVE branch(id) AS ({seed} UNION SELECT r.id FROM {table} r "  # noqa: S608
        f"JOIN branch b ON r.parent_id = b.id) SELECT id FROM branch",
        params,
    )


class RegisterQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RegisterQuerySet":
        """Registers with a risk the person owns or leads (or that is shared with one they
        see), and the whole branch under each register whose owning or lead post they hold:
        a BCU commander reads their BCU, a business group's heads every register of it."""
        from .delegation import delegated_to

        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if reads_everything(user):
            return self
        return self.filter(
            Q(risks__owner__holders=user) | Q(risks__leads__holders=user)
            | delegated_to(user, "risks__")
            | Q(pk__in=headed_register_ids(user))
        ).distinct()

    def headed_by(self, user) -> "RegisterQuerySet":
        """Registers whose owning or lead post `user` holds (not those beneath them)."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(Q(owner_post__holders=user) | Q(lead_post__holders=user)).distinct()

    def branch_of(self, register: "Register") -> "RegisterQuerySet":
        """The register and every register beneath it, at any depth (one subquery)."""
        return self.filter(pk__in=branch_ids(register))


def branch_ids(register: "Register") -> RawSQL:
    # Selected from the table, not "SELECT %s": PostgreSQL wants both terms of the recursive
    # query of one type, and a bare parameter is an integer where the column is a bigint.
    return _branch_sql(f"SELECT id FROM {Register._meta.db_table} WHERE id = %s",  # noqa: S608
                       [register.pk])


def headed_branches(user) -> RawSQL:
    """The ids of the registers `user` heads (holds the owning or lead post of) and of every
    register beneath them."""
    table = Register._meta.db_table
    holders = Post.holders.through._meta.db_table
    return _branch_sql(
        f"SELECT h.id FROM {table} h JOIN {holders} p "  # noqa: S608
        f"ON p.post_id = h.owner_post_id OR p.post_id = h.lead_post_id WHERE p.user_id = %s",
        [user.pk],
    )


class Register(models.Model):
    class Kind(models.TextChoices):
        CORPORATE = "corporate", "Corporate"
        BUSINESS_GROUP = "business_group", "Business group"
        UNIT = "unit", "OCU or BCU"
        BOARD = "board", "Board"

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORPORATE)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    description = models.TextField(blank=True)
    # Whose register it is, and who decides what is escalated to it (with the team). Holders of
    # either post read the register and every register beneath it.
    owner_post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="owned_registers",
        verbose_name="owning post",
    )
    lead_post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="led_registers",
        verbose_name="lead post",
    )
    # Escalation criteria: a risk of this register that meets either is flagged for a decision.
    escalate_at_score = models.PositiveSmallIntegerField(
        "escalate at score", null=True, blank=True,
        help_text="Flag risks whose current score is at or above this (1 to 16).",
    )
    escalate_on_breach = models.BooleanField(
        "escalate when tolerance is breached", default=False,
        help_text="Flag risks whose current score is above their tolerance.",
    )
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
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["corporate", "business_group", "unit", "board"]),
                name="register_kind_known",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=models.F("pk")),
                name="register_not_own_parent",
            ),
            models.CheckConstraint(
                condition=Q(escalate_at_score__isnull=True)
                | Q(escalate_at_score__gte=1, escalate_at_score__lte=16),
                name="register_escalate_at_score_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("risks:register", args=[self.slug])

    @property
    def has_criteria(self) -> bool:
        return self.escalate_at_score is not None or self.escalate_on_breach

    def criteria_words(self) -> str:
        words = []
        if self.escalate_at_score is not None:
            words.append(f"a current score of {self.escalate_at_score} or more")
        if self.escalate_on_breach:
            words.append("a current score above the risk's tolerance")
        return " or ".join(words)


class Pillar(models.Model):
    """A strategic objective (a "Met Direction" pillar) that risks align with."""

    name = models.CharField(max_length=300, unique=True)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
