from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from risks.models import Register, ReportingPeriod, Risk, is_panel, is_planner

PROSE_HELP = (
    "Separate paragraphs with a blank line. Start lines with “- ” for a bulleted list."
)
NUMBERED_HELP = "Each paragraph is numbered in section 1. " + PROSE_HELP


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportQuerySet":
        """The team sees every report, drafts included; the Audit Panel sees published ones."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if is_planner(user):
            return self
        if is_panel(user):
            return self.published()
        return self.none()

    def published(self) -> "ReportQuerySet":
        return self.filter(published_at__isnull=False)

    def drafts(self) -> "ReportQuerySet":
        return self.filter(published_at__isnull=True)


class Report(models.Model):
    """One Audit Panel risk management report: front matter, the team's prose, and choices.

    Figures (how many risks are green, amber, red; how many are in Appendix B) are never
    stored here: they are computed from the period's approved assessments when the report
    is rendered (riskreg/report_data.py).
    """

    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="reports")

    # Front matter
    organisation = models.CharField(max_length=50, default="MOPAC")
    organisation_full = models.CharField(
        max_length=200, default="MAYOR OF LONDON OFFICE FOR POLICING AND CRIME"
    )
    panel = models.CharField(max_length=200, default="MPS-MOPAC JOINT AUDIT PANEL")
    meeting_date = models.DateField()
    title = models.CharField(max_length=200, default="Met Risk Management Report")
    author = models.CharField("report by", max_length=200, default="Chief of Corporate Services")
    protective_marking = models.CharField(
        max_length=100, default="Non restricted paper",
        help_text="Shown on the front page and at the top of every page but Appendix B.",
    )
    contact_name = models.CharField("report author", max_length=200, blank=True)
    contact_unit = models.CharField("author's unit", max_length=200, blank=True)
    contact_email = models.EmailField("author's email", blank=True)

    # Report Summary
    summary_purpose = models.TextField(
        "overall summary of the purpose of the report", blank=True, help_text=PROSE_HELP
    )
    summary_notes = models.TextField(
        "after the figures", blank=True,
        help_text="Completes the paragraph that gives how many risks are green, amber and red.",
    )
    key_considerations = models.TextField(
        "key considerations for the panel", blank=True, help_text=PROSE_HELP
    )
    interdependencies = models.TextField(
        "interdependencies / cross cutting issues", blank=True, help_text=PROSE_HELP
    )
    recommendations = models.TextField(blank=True, help_text=PROSE_HELP)

    # 1. Corporate risk update
    introduction = models.TextField("introduction (1.1, 1.2 …)", blank=True, help_text=NUMBERED_HELP)
    position_notes = models.TextField(
        "risk position update, after the figures", blank=True,
        help_text="Completes the numbered paragraph that gives the figures.",
    )
    further_notes = models.TextField(
        "further notes after the risks to note", blank=True, help_text=NUMBERED_HELP
    )
    maturity = models.TextField("risk maturity action plan", blank=True, help_text=NUMBERED_HELP)

    # 2–5
    equality = models.TextField("equality and diversity impact", blank=True, help_text=PROSE_HELP)
    financial = models.TextField("financial implications", blank=True, help_text=PROSE_HELP)
    legal = models.TextField("legal implications", blank=True, help_text=PROSE_HELP)
    risk_implications = models.TextField(blank=True, help_text=PROSE_HELP)

    # Choices: which on-track risks section 1 discusses (risks that are not on track are always
    # discussed), and which risks Appendix B sets out.
    noted_risks = models.ManyToManyField(
        Risk, related_name="noted_in_reports", blank=True,
        verbose_name="on-track risks to note",
    )
    appendix_b_risks = models.ManyToManyField(
        Risk, related_name="appendix_b_reports", blank=True,
        verbose_name="risks in Appendix B",
    )

    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    # What a published report renders from, frozen once (report_data.py): the register's
    # risks, controls and plan may change later, the published report may not.
    snapshot = models.JSONField(null=True, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[noted_risks, appendix_b_risks], excluded_fields=["snapshot"]
    )

    class Meta:
        ordering = ["-meeting_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["register", "period"], name="one_report_per_register_and_period"
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
            models.CheckConstraint(
                condition=Q(snapshot__isnull=True) | Q(published_at__isnull=False),
                name="only_published_report_is_frozen",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {self.meeting_date:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    def get_pdf_url(self) -> str:
        return reverse("reports:pdf", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def status_label(self) -> str:
        return "Published" if self.is_published else "Draft"

    def filename(self, *, public: bool = False) -> str:
        slug = self.title.lower().replace(" ", "-")
        safe = "".join(c for c in slug if c.isalnum() or c == "-") or "report"
        return f"{safe}-{self.meeting_date:%Y-%m}{'-public' if public else ''}.pdf"


class SignInCount(models.Model):
    """Sign-in attempts in one fixed window, from one client address or for one username.

    riskreg/signin.py counts them before any password is hashed, and refuses an attempt over
    the limit; rows of past windows are deleted as new windows begin.
    """

    class Kind(models.TextChoices):
        ADDRESS = "address", "Client address"
        USERNAME = "username", "Username"

    kind = models.CharField(max_length=8, choices=Kind.choices)
    value = models.CharField(max_length=150)
    window_start = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "value", "window_start"], name="one_count_per_window"
            ),
        ]
        indexes = [models.Index(fields=["window_start"], name="signin_count_window")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.value}: {self.attempts} from {self.window_start}"
