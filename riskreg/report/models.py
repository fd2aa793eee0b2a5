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
# The Government Security Classifications a report's file may carry, lowest first.
class Marking(models.TextChoices):
    OFFICIAL = "OFFICIAL", "OFFICIAL"
    OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE", "OFFICIAL-SENSITIVE"


# Appendix B sets out controls and their weaknesses: whatever the rest of the report is
# marked, a file that holds it is OFFICIAL-SENSITIVE.
APPENDIX_B_MARKING = Marking.OFFICIAL_SENSITIVE
# The seed's own words under an OFFICIAL marking: the paper may be published.
NON_RESTRICTED = "Non restricted paper"
REASON_MAX_LENGTH = 2_000


def highest(*markings: str) -> str:
    order = list(Marking.values)
    return max(markings, key=order.index)


PROSE_FIELDS = [
    "summary_purpose", "summary_notes", "key_considerations", "interdependencies",
    "recommendations", "introduction", "position_notes", "further_notes", "maturity",
    "equality", "financial", "legal", "risk_implications",
]


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportQuerySet":
        """The team sees every report, drafts included; the Audit Panel sees the current published
        ones; owners and leads those of the registers their risks are in."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if is_planner(user):
            return self
        if is_panel(user):
            return self.published().current()
        # Owners and leads: the public version of their registers' current papers (access.py).
        registers = Register.objects.visible_to(user)
        return self.published().current().filter(register__in=registers)

    def published(self) -> "ReportQuerySet":
        return self.filter(published_at__isnull=False)

    def current(self) -> "ReportQuerySet":
        """Neither withdrawn nor superseded: what the Audit Panel may read."""
        return self.filter(withdrawn_at__isnull=True, superseded_at__isnull=True)

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
        max_length=20, choices=Marking.choices, default=Marking.OFFICIAL,
        help_text=(
            "The marking of the report without Appendix B (its public version). The full "
            "version, with Appendix B, is always OFFICIAL-SENSITIVE. Each file carries its "
            "marking on the front page and at the top and foot of every page."
        ),
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
    # Withdrawn: published, then taken back from the Audit Panel, with the team's reason.
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", editable=False,
    )
    withdrawn_reason = models.TextField(blank=True, editable=False, max_length=REASON_MAX_LENGTH)
    # A corrected version: a draft copied from a published report, with the reason for the
    # correction. Publishing it supersedes the report it corrects.
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrected_by",
        editable=False,
    )
    correction_reason = models.TextField(blank=True, editable=False, max_length=REASON_MAX_LENGTH)
    superseded_at = models.DateTimeField(null=True, blank=True, editable=False)
    superseded_reason = models.TextField(blank=True, editable=False, max_length=REASON_MAX_LENGTH)
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
            # One report per period, and per report at most one corrected version (the
            # OneToOneField); a withdrawn report leaves room for a new one.
            models.UniqueConstraint(
                fields=["register", "period"], name="one_report_per_register_and_period",
                condition=Q(supersedes__isnull=True, withdrawn_at__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(protective_marking__in=Marking.values),
                name="report_marking_from_the_list",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True)
                | (Q(published_at__isnull=False) & ~Q(withdrawn_reason="")),
                name="only_published_report_withdrawn_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(superseded_at__isnull=True)
                | (Q(published_at__isnull=False) & ~Q(superseded_reason="")),
                name="only_published_report_superseded_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(superseded_at__isnull=True),
                name="report_withdrawn_or_superseded_not_both",
            ),
            models.CheckConstraint(
                condition=Q(supersedes__isnull=True) | ~Q(correction_reason=""),
                name="correction_has_reason",
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
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @property
    def is_superseded(self) -> bool:
        return self.superseded_at is not None

    @property
    def is_current(self) -> bool:
        """Published and neither withdrawn nor superseded: the Audit Panel's paper."""
        return self.is_published and not self.is_withdrawn and not self.is_superseded

    @property
    def status_label(self) -> str:
        if self.is_withdrawn:
            return "Withdrawn"
        if self.is_superseded:
            return "Superseded"
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

    @property
    def status_note(self) -> str:
        """ "Superseded on 3 February 2022: <reason>" for a report the Panel no longer reads."""
        if self.is_withdrawn:
            return f"Withdrawn on {date_format(self.withdrawn_at)}: {self.withdrawn_reason}"
        if self.is_superseded:
            return f"Superseded on {date_format(self.superseded_at)}: {self.superseded_reason}"
        return ""

    def marking(self, *, public: bool = False) -> str:
        """The highest marking of what the file holds: the full version holds Appendix B."""
        if public:
            return self.protective_marking
        return highest(self.protective_marking, APPENDIX_B_MARKING)

    def handling(self, *, public: bool = False) -> str:
        """The seed's "Non restricted paper", said only of a file that is OFFICIAL."""
        return NON_RESTRICTED if self.marking(public=public) == Marking.OFFICIAL else ""

    def filename(self, *, public: bool = False) -> str:
        """Says what the file is at a glance: draft or not, which version, its marking."""
        slug = self.title.lower().replace(" ", "-")
        safe = "".join(c for c in slug if c.isalnum() or c == "-") or "report"
        draft = "" if self.is_published else "DRAFT-"
        corrected = "-corrected" if self.supersedes_id else ""
        variant = "public" if public else "full"
        return (
            f"{draft}{safe}-{self.meeting_date:%Y-%m}{corrected}-{variant}-"
            f"{self.marking(public=public)}.pdf"
        )


class ReportFile(models.Model):
    """A published report's PDF, kept as the bytes the Audit Panel received.

    Rendering again from the frozen HTML would follow later changes to the stylesheets or
    to WeasyPrint; a paper once published must stay the same file.
    """

    class Variant(models.TextChoices):
        FULL = "full", "Full version"
        PUBLIC = "public", "Public version"

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="files")
    variant = models.CharField(max_length=6, choices=Variant.choices)
    data = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "variant"], name="one_file_per_variant"),
        ]

    def __str__(self) -> str:
        return f"{self.report} ({self.get_variant_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("A published report's file is never rewritten.")
        super().save(*args, **kwargs)


class PdfRender(models.Model):
    """A report's PDF rendered in the background (riskreg/report/background.py): the 200-risk
    report takes five seconds or more, too long for a page. One per report, variant and
    version of the report, so that asking again while it renders, or after, renders nothing
    again. A published report's PDFs are its ReportFiles, kept when it was published."""

    class State(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Being prepared"
        DONE = "done", "Ready"
        FAILED = "failed", "Could not be prepared"

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="renders")
    public = models.BooleanField()
    report_version = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    data = models.BinaryField(null=True, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "public", "report_version"], name="one_render_per_version"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["queued", "running", "done", "failed"]),
                name="pdf_render_state_known",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(data__isnull=False), name="pdf_render_done_has_data"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} v{self.report_version} ({'public' if self.public else 'full'})"

    @property
    def is_pending(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)
