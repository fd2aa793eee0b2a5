from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from risks.models import FrozenPeriodModel, FrozenPeriodQuerySet, Post, ReportingPeriod, Risk


class Control(models.Model):
    """A control (mitigation) of one risk."""

    risk = models.ForeignKey(Risk, on_delete=models.PROTECT, related_name="controls")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="controls"
    )
    category = models.CharField(
        max_length=100, blank=True, help_text="For example Inform, Involve or Influence"
    )
    is_key = models.BooleanField(
        "key control", default=False, help_text="Key controls are shown in Appendix B."
    )
    milestone = models.CharField(max_length=200, blank=True, help_text='For example "end of November"')
    milestone_date = models.DateField(null=True, blank=True)
    added_in = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="new_controls"
    )
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "order", "pk"]
        constraints = [
            # "Patrols" and "patrols" are one control to a reader: the form refuses the second,
            # and this refuses it when two people add it at the same moment.
            models.UniqueConstraint(
                Lower("title"), "risk", name="control_title_unique_per_risk_ignoring_case",
                violation_error_message="This risk already has a control with that name",
            ),
            models.CheckConstraint(condition=~Q(title=""), name="control_has_title"),
        ]

    def __str__(self) -> str:
        return self.title


class ControlStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    DELAYED = "delayed", "Delayed"


STATUS_TAG_COLOURS = {
    ControlStatus.NOT_STARTED: "grey",
    ControlStatus.IN_PROGRESS: "blue",
    ControlStatus.COMPLETE: "green",
    ControlStatus.DELAYED: "red",
}


class ControlUpdate(FrozenPeriodModel):
    """A control's record for one reporting period: its status and note, and the control as
    the quarter shows it.

    An owner's update writes the status. When the quarter closes, every control of its risks
    gets a record (with no status if nobody updated it), and the definition is fixed with it:
    renaming or re-owning a control later never rewrites a past quarter.

    Carried-forward notes are never new: `confirmed_unchanged` says the owner kept last
    quarter's status and note with "No change this quarter" rather than writing them, and
    `note_carried_from` is the quarter that wrote the note when it is the same text (after
    stripping) as the control's previous record's (None when written this quarter, or empty).
    `note_written_this_quarter` is what Appendix B's "Update this quarter" may print.
    """

    control = models.ForeignKey(Control, on_delete=models.PROTECT, related_name="updates")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="control_updates")
    # Blank: nobody gave the control a status this quarter (recorded when the quarter closed).
    status = models.CharField(max_length=12, choices=ControlStatus.choices, blank=True)
    note = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_unchanged = models.BooleanField(
        "no change this quarter", default=False,
        help_text="The owner kept last quarter's status and note, confirming no change.",
    )
    note_carried_from = models.ForeignKey(
        ReportingPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="The quarter that wrote this note, when it is the same text as the previous "
        "record's; empty when it was written this quarter.",
    )

    # The control as this quarter shows it (copy_definition): the risk it belonged to too.
    risk = models.ForeignKey(
        Risk, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(max_length=300, blank=True)
    owner = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    owner_name = models.CharField(max_length=200, blank=True)
    category = models.CharField(max_length=100, blank=True)
    is_key = models.BooleanField("key control", default=False)
    milestone = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    retired = models.BooleanField(default=False)

    objects = FrozenPeriodQuerySet.as_manager()
    history = HistoricalRecords()

    DEFINITION_FIELDS = (
        "risk", "title", "owner", "owner_name", "category", "is_key", "milestone", "order", "retired",
    )

    class Meta:
        ordering = ["period", "control"]
        constraints = [
            models.UniqueConstraint(fields=["control", "period"], name="one_update_per_control_per_period"),
            models.CheckConstraint(
                condition=Q(status__in=["", *ControlStatus.values]),
                name="control_update_status_known",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="control_update_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.control} — {self.period}: {self.get_status_display()}"

    def save(self, *args, **kwargs):
        # Whatever creates a record (the services, the admin, a script), it records its
        # control as it stands; fixtures load raw and keep what they hold.
        if self._state.adding and not self.title:
            self.copy_definition(self.control)
        super().save(*args, **kwargs)

    @property
    def status_tag_colour(self) -> str:
        return STATUS_TAG_COLOURS.get(self.status, "grey")

    @property
    def note_carried(self) -> bool:
        return self.note_carried_from_id is not None

    @property
    def note_written_this_quarter(self) -> bool:
        """A note there is, written this quarter: not kept from the previous record."""
        return bool(self.status and self.note.strip()) and not self.note_carried

    @staticmethod
    def note_origin(note: str, previous: "ControlUpdate | None") -> int | None:
        """What note_carried_from should hold for `note` beside the control's previous record:
        the id of the quarter that wrote the text, or None."""
        text = note.strip()
        if previous is None or not text or text != previous.note.strip():
            return None
        return previous.note_carried_from_id or previous.period_id

    @property
    def status_label(self) -> str:
        return self.get_status_display() if self.status else "No update this quarter"

    def copy_definition(self, control: Control) -> None:
        """Take the control's definition as it stands (its owner read through control.owner)."""
        self.risk_id = control.risk_id
        self.title = control.title
        self.owner_id = control.owner_id
        self.owner_name = control.owner.name if control.owner_id else ""
        self.category = control.category
        self.is_key = control.is_key
        self.milestone = control.milestone
        self.order = control.order
        self.retired = not control.is_active
