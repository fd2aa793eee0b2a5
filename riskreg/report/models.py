"""The Audit Panel report as stored: front matter, the team's prose, the risks it discusses."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import capfirst
from simple_history.models import HistoricalRecords

from risks.models import Register, ReportingPeriod, Risk, is_panel, is_planner
from risks.text import TEXT_HELP

PROSE_HELP = TEXT_HELP
NUMBERED_HELP = "Each paragraph is numbered in section 1. " + PROSE_HELP
# Far beyond any section the seed holds (the longest is under 1,000 characters), and small
# enough that filling in a section's figures never holds a worker.
PROSE_MAX_LENGTH = 20_000
PROSE_FIELDS = [
    "summary_purpose", "summary_notes", "key_considerations", "interdependencies",
    "recommendations", "introduction", "position_notes", "further_notes", "maturity",
    "equality", "financial", "legal", "risk_implications",
]


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
    is rendered (riskreg/report/data.py).
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
        "overall summary of the purpose of the report", blank=True, max_length=PROSE_MAX_LENGTH,
        help_text=PROSE_HELP,
    )
    summary_notes = models.TextField(
        "after the figures", blank=True, max_length=PROSE_MAX_LENGTH,
        help_text="Completes the paragraph that gives how many risks are green, amber and red.",
    )
    key_considerations = models.TextField(
        "key considerations for the panel", blank=True, max_length=PROSE_MAX_LENGTH,
        help_text=PROSE_HELP,
    )
    interdependencies = models.TextField(
        "interdependencies / cross cutting issues", blank=True, max_length=PROSE_MAX_LENGTH,
        help_text=PROSE_HELP,
    )
    recommendations = models.TextField(
        blank=True, max_length=PROSE_MAX_LENGTH, help_text=PROSE_HELP
    )

    # 1. Corporate risk update
    introduction = models.TextField(
        "introduction (1.1, 1.2 …)", blank=True, max_length=PROSE_MAX_LENGTH,
        help_text=NUMBERED_HELP,
    )
    position_notes = models.TextField(
        "risk position update, after the figures", blank=True, max_length=PROSE_MAX_LENGTH,
        help_text="Completes the numbered paragraph that gives the figures.",
    )
    further_notes = models.TextField(
        "further notes after the risks to note", blank=True, max_length=PROSE_MAX_LENGTH,
        help_text=NUMBERED_HELP,
    )
    maturity = models.TextField(
        "risk maturity action plan", blank=True, max_length=PROSE_MAX_LENGTH,
        help_text=NUMBERED_HELP,
    )

    # 2–5
    equality = models.TextField(
        "equality and diversity impact", blank=True, max_length=PROSE_MAX_LENGTH,
        help_text=PROSE_HELP,
    )
    financial = models.TextField(
        "financial implications", blank=True, max_length=PROSE_MAX_LENGTH, help_text=PROSE_HELP
    )
    legal = models.TextField(
        "legal implications", blank=True, max_length=PROSE_MAX_LENGTH, help_text=PROSE_HELP
    )
    risk_implications = models.TextField(
        blank=True, max_length=PROSE_MAX_LENGTH, help_text=PROSE_HELP
    )

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
    # Section 1 prints "No update since <quarter>" for a commentary carried unchanged from an
    # earlier quarter, unless the team chooses to print it again for this report.
    reprinted_risks = models.ManyToManyField(
        Risk, related_name="reprinted_in_reports", blank=True,
        verbose_name="unchanged commentaries to print again",
    )

    # Copied means "to check": the report this one started from, and the prose sections
    # copied from it that nobody has yet edited or confirmed (publishing waits for them).
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        editable=False,
    )
    sections_to_check = models.JSONField(default=list, blank=True, editable=False)

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
    # What a published report renders from, frozen once (document.py): the register's
    # risks, controls and plan may change later, the published report may not.
    snapshot = models.JSONField(null=True, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()
    history = HistoricalRecords(
        m2m_fields=[noted_risks, appendix_b_risks, reprinted_risks],
        excluded_fields=["snapshot"],
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
            *(
                models.CheckConstraint(
                    condition=LessThanOrEqual(Length(name), PROSE_MAX_LENGTH),
                    name=f"report_{name}_max_length",
                )
                for name in PROSE_FIELDS
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – {date_format(self.meeting_date)}"

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

    def unchecked_sections(self) -> list[str]:
        """The prose sections copied from the last report that nobody has edited or
        confirmed yet, in the report's order: publishing is refused while there are any."""
        waiting = set(self.sections_to_check or ())
        return [name for name in PROSE_FIELDS if name in waiting]

    def section_label(self, name: str) -> str:
        return capfirst(self._meta.get_field(name).verbose_name)

    @property
    def copied_label(self) -> str:
        """ "Copied from Met Risk Management Report – 4 October 2021: check it" """
        source = str(self.copied_from) if self.copied_from_id else "the last report"
        return f"Copied from {source}: check it"

    def filename(self, *, public: bool = False) -> str:
        slug = self.title.lower().replace(" ", "-")
        safe = "".join(c for c in slug if c.isalnum() or c == "-") or "report"
        return f"{safe}-{self.meeting_date:%Y-%m}{'-public' if public else ''}.pdf"
