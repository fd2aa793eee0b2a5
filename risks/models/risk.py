"""A risk as it stands (its record per quarter is on Assessment), and its working leads."""


from django.db import models
from django.db.models import Q
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from simple_history.models import HistoricalRecords

from ..scoring import Band, Scale, band_for, position_label, position_words
from .appetite import HIGHEST_SCORE, AppetiteLevel, AppetiteTheme, RegisterAppetite
from .delegation import delegated_to
from .frozen import both_or_neither, scale_check
from .registers import Pillar, Post, Register


class RiskQuerySet(models.QuerySet):
    def visible_to(self, user) -> "RiskQuerySet":
        """The risks of the registers the person may read, and those shared with them."""
        from .sharing import RiskShare  # it imports this module

        registers = Register.objects.visible_to(user).values("pk")
        return self.filter(
            Q(register__in=registers)
            | Q(pk__in=RiskShare.objects.filter(register__in=registers).values("risk"))
        )

    def owned_or_led_by(self, user) -> "RiskQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(
            Q(owner__holders=user) | Q(leads__holders=user) | delegated_to(user)
        ).distinct()

    def active(self) -> "RiskQuerySet":
        return self.filter(is_active=True)


class Horizon(models.TextChoices):
    SHORT = "short", "Short-term"
    LONG = "long", "Long-term"


class Risk(models.Model):
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="risks")
    ref = models.PositiveSmallIntegerField(help_text="Unique within the register")
    title = models.CharField(max_length=200, help_text='For example "VIOLENT CRIME"')
    description = models.TextField(blank=True)
    description_agreed = models.BooleanField(default=True)
    horizon = models.CharField(max_length=5, choices=Horizon.choices)
    owner = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="owned_risks")
    leads = models.ManyToManyField(
        Post, through="RiskLead", related_name="led_risks", blank=True
    )
    target_likelihood = models.PositiveSmallIntegerField(
        choices=Scale.choices, null=True, blank=True
    )
    target_impact = models.PositiveSmallIntegerField(choices=Scale.choices, null=True, blank=True)
    appetite = models.TextField(blank=True)
    # Its own level, where the team set one; otherwise its theme's (appetite_level_shown).
    appetite_level = models.ForeignKey(
        AppetiteLevel, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appetite_theme = models.ForeignKey(
        AppetiteTheme, null=True, blank=True, on_delete=models.PROTECT, related_name="risks"
    )
    tolerance = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The highest current score that is acceptable (1 to 16)."
    )
    pillars = models.ManyToManyField(Pillar, related_name="risks", blank=True)
    is_active = models.BooleanField(default=True)
    # A shared or partnership risk's partners (issue 17): who else holds part of it.
    partners = models.TextField("partner organisations", blank=True)
    contracts = models.TextField(blank=True)
    dependencies = models.TextField(blank=True)

    objects = RiskQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[pillars])

    class Meta:
        ordering = ["register", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["register", "ref"], name="risk_ref_unique_in_register"),
            models.CheckConstraint(condition=Q(ref__gte=1), name="risk_ref_positive"),
            scale_check("risk", "target_likelihood", nullable=True),
            scale_check("risk", "target_impact", nullable=True),
            both_or_neither("risk", "target_likelihood", "target_impact"),
            models.CheckConstraint(
                condition=Q(tolerance__isnull=True)
                | Q(tolerance__gte=1, tolerance__lte=HIGHEST_SCORE),
                name="risk_tolerance_on_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ref} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("risks:risk", args=[self.pk])

    @property
    def target_score(self) -> int | None:
        if self.target_likelihood is None:
            return None
        return self.target_likelihood * self.target_impact

    @property
    def target_position(self) -> str:
        return position_label(self.target_likelihood, self.target_impact)

    @property
    def target_band(self) -> Band | None:
        return band_for(self.target_score)

    @property
    def target_words(self) -> str:
        return position_words(self.target_likelihood, self.target_impact)

    @property
    def appetite_level_shown(self) -> AppetiteLevel | None:
        """Its own appetite level, or else its register's level for its theme (the register's
        thematic appetite), or else the organisation's level for its theme."""
        if self.appetite_level_id is not None:
            return self.appetite_level
        if self.appetite_theme_id is None:
            return None
        return self.register_theme_level or self.appetite_theme.level

    @property
    def register_theme_level(self) -> AppetiteLevel | None:
        """The register's own level for the risk's theme, if it set one (prefetched by
        risks_with_definitions; otherwise one query)."""
        if self.appetite_theme_id is None:
            return None
        return next((row.level for row in self.register.theme_appetites.all()
                     if row.theme_id == self.appetite_theme_id), None)

    def ordered_leads(self) -> list[Post]:
        """Leads in the register's order; uses prefetched riskleads when present."""
        return [link.post for link in self.risklead_set.all()]


class RiskLead(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE)
    post = models.ForeignKey(Post, on_delete=models.PROTECT)
    order = models.PositiveSmallIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["risk", "post"], name="risk_lead_once"),
        ]

    def __str__(self) -> str:
        return f"{self.post} leads {self.risk}"


def short_term_first(field: str = "horizon") -> models.Case:
    """An ordering key: short-term risks before long-term ones, as Appendix A lists them."""
    return models.Case(
        models.When(**{field: Horizon.SHORT}, then=models.Value(0)),
        default=models.Value(1),
        output_field=models.IntegerField(),
    )


# Separators inside leads_packed: ASCII unit and record separators never occur in a post name.
_FIELD, _RECORD = "\x1f", "\x1e"


def lead_names_subquery(risk=None) -> models.Subquery:
    """Each risk's working leads packed into one string, order and id kept with each name, so
    that a page of rows carries its leads without a second query (see lead_names()).

    The rows' risk is their risk_id column, or `risk` when given (one risk's leads beside any
    rows: an uncorrelated subquery, evaluated once). The order travels with each name
    because SQLite before 3.44 cannot order an aggregate.
    """
    packed = (
        RiskLead.objects.filter(risk=models.OuterRef("risk_id") if risk is None else risk)
        .order_by()
        .values("risk")
        .annotate(
            packed=models.StringAgg(
                Concat(
                    Cast("order", models.CharField()), models.Value(_FIELD),
                    Cast("pk", models.CharField()), models.Value(_FIELD), "post__name",
                    output_field=models.CharField(),
                ),
                models.Value(_RECORD),
            )
        )
        .values("packed")
    )
    return models.Subquery(packed, output_field=models.CharField())


def pillar_names_subquery(risk) -> models.Subquery:
    """The risk's pillars packed into one string, their order kept with each name, so that a
    page carries them beside other rows without a query of its own (see pillar_names())."""
    packed = (
        Pillar.objects.filter(risks=risk)
        .order_by()
        .values("risks")
        .annotate(
            packed=models.StringAgg(
                Concat(Cast("order", models.CharField()), models.Value(_FIELD), "name",
                       output_field=models.CharField()),
                models.Value(_RECORD),
            )
        )
        .values("packed")
    )
    return models.Subquery(packed, output_field=models.CharField())


def pillar_names(packed: str | None) -> list[str]:
    """The names packed by pillar_names_subquery(), in the pillars' order."""
    if not packed:
        return []
    pillars = [record.split(_FIELD, 1) for record in packed.split(_RECORD)]
    return [name for _, name in sorted(pillars, key=lambda x: (int(x[0]), x[1]))]


def lead_names(packed: str | None) -> list[str]:
    """The names packed by lead_names_subquery(), in the register's order (Risk.ordered_leads)."""
    if not packed:
        return []
    leads = [record.split(_FIELD, 2) for record in packed.split(_RECORD)]
    return [name for _, _, name in sorted(leads, key=lambda x: (int(x[0]), int(x[1])))]


def risks_with_definitions(risks):
    """Risks with what Assessment.copy_definition reads: owner, leads in order, pillars."""
    return risks.select_related(
        "owner", "appetite_level", "appetite_theme__level", "register"
    ).prefetch_related(
        models.Prefetch("risklead_set", queryset=RiskLead.objects.select_related("post")), "pillars",
        models.Prefetch("register__theme_appetites",
                        queryset=RegisterAppetite.objects.select_related("level")),
    )
