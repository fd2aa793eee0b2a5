"""Writes to Audit Panel reports that span several rows, each under one transaction."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from riskreg.notify.services import report_published
from risks.models import Assessment, Register, ReportingPeriod

from .document import freeze, keep_files
from .models import PROSE_FIELDS, REASON_MAX_LENGTH, Report
from .text import without_sentences_holding

# What a new report takes over from the last one: the front matter and every prose section.
# The figures are never copied; they are counted again from the new period.
CARRIED_FORWARD = [
    "organisation", "organisation_full", "panel", "title", "author", "protective_marking",
    "contact_name", "contact_unit", "contact_email",
    "summary_purpose", "summary_notes", "key_considerations", "interdependencies",
    "recommendations", "introduction", "position_notes", "further_notes", "maturity",
    "equality", "financial", "legal", "risk_implications",
]
# A typed explanation of the figures belongs to its report (issue 14): a copy leaves behind
# the sections that continue the computed figures' paragraphs, and every sentence that
# continued a name in the team's own words ("{score_changes} following the refresh rather
# than …"), rather than glue them onto the next quarter's figures.
CONTINUATIONS = {"summary_notes", "position_notes"}
CONTINUED_TOKENS = {"score_changes"}


class ReportConflict(Exception):
    """Someone saved the report after this form was opened."""

    def __init__(self, current: Report):
        self.current = current
        super().__init__("The report was changed by someone else after you opened it.")


class ReportPublished(ValidationError):
    def __init__(self):
        super().__init__("This report is published: it can no longer change.")


class ReportNotCurrent(ValidationError):
    def __init__(self, report: Report):
        super().__init__(
            f"This report is {report.status_label.lower()}: only the current published "
            "report can be withdrawn or corrected."
        )


def _reason(reason: str, what: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(f"Enter the reason for {what}.")
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError(f"The reason must be {REASON_MAX_LENGTH:,} characters or fewer.")
    return reason


def previous_report(register: Register, before: datetime.date) -> Report | None:
    return (
        Report.objects.filter(register=register, meeting_date__lt=before).current()
        .order_by("-meeting_date", "-pk")
        .first()
    )


@transaction.atomic
def create_report(
    *, register: Register, period: ReportingPeriod, meeting_date: datetime.date, by=None
) -> Report:
    """A new report for a period, starting from the text of the last report before it.

    The risks the last report chose (to note in section 1, and for Appendix B) stay chosen
    where they have an update in the new period.
    """
    if Report.objects.filter(register=register, period=period, withdrawn_at__isnull=True).exists():
        raise ValidationError(f"There is already a report for {register} in {period}.")
    previous = previous_report(register, meeting_date)
    report = Report(register=register, period=period, meeting_date=meeting_date,
                    created_by=by, updated_by=by)
    if previous:
        for name in CARRIED_FORWARD:
            value = getattr(previous, name)
            if name in CONTINUATIONS:
                value = ""
            elif name in PROSE_FIELDS:
                value = without_sentences_holding(value, CONTINUED_TOKENS)
            setattr(report, name, value)
        # Every copied section is "to check" until someone edits or confirms it.
        report.copied_from = previous
        report.sections_to_check = [
            name for name in PROSE_FIELDS if getattr(report, name).strip()
        ]
    report._history_user = by
    report.save()
    if previous:
        in_period = set(
            Assessment.objects.filter(period=period, risk__register=register)
            .values_list("risk_id", flat=True)
        )
        report.noted_risks.set(
            previous.noted_risks.filter(pk__in=in_period).values_list("pk", flat=True)
        )
        report.appendix_b_risks.set(
            previous.appendix_b_risks.filter(pk__in=in_period).values_list("pk", flat=True)
        )
    return report


@transaction.atomic
def update_report(
    *, report: Report, version: int, fields: dict, noted_risks=None, appendix_b_risks=None,
    reprinted_risks=None, confirmed=(), by=None,
) -> Report:
    """Save the team's edits, refusing a stale form (optimistic locking on `version`).

    A copied section is checked once its text is changed, or once it is in `confirmed`
    (the team read it and it holds for this report as it stands).
    """
    current = Report.objects.select_for_update().get(pk=report.pk)
    if current.is_published:
        raise ReportPublished()
    if current.version != version:
        raise ReportConflict(current)
    checked = set(confirmed) | {
        name for name, value in fields.items()
        if name in PROSE_FIELDS and value != getattr(current, name)
    }
    current.sections_to_check = [n for n in current.unchecked_sections() if n not in checked]
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    current.updated_by = by
    current._history_user = by
    current.save()
    if noted_risks is not None:
        current.noted_risks.set(noted_risks)
    if appendix_b_risks is not None:
        current.appendix_b_risks.set(appendix_b_risks)
    if reprinted_risks is not None:
        current.reprinted_risks.set(reprinted_risks)
    return current


def unchecked_message(report: Report) -> str:
    """Why a report with copied sections still to check cannot be published, or ""."""
    waiting = report.unchecked_sections()
    if not waiting:
        return ""
    names = "; ".join(report.section_label(name) for name in waiting)
    source = str(report.copied_from) if report.copied_from_id else "the last report"
    return (
        f"{len(waiting)} section{'s' if len(waiting) != 1 else ''} copied from {source} "
        f"{'is' if len(waiting) == 1 else 'are'} still to check: {names}. Edit each one, or "
        "confirm it on the edit page, before publishing."
    )


@transaction.atomic
def publish_report(*, report: Report, version: int | None = None, by=None) -> Report:
    """Publish a report to the Audit Panel, freeze what it says and keep its two PDFs.

    Only a report of a closed period can be published: its figures are then final. A
    corrected version, once published, supersedes the report it corrects, with its reason.
    """
    current = Report.objects.select_for_update().select_related("period", "register").get(
        pk=report.pk
    )
    if current.is_published:
        raise ReportPublished()
    if version is not None and current.version != version:
        raise ReportConflict(current)
    if current.period.is_open:
        raise ValidationError(
            f"{current.period} is still open: close it before publishing its report, so that "
            "the figures are final."
        )
    # Copied words are checked before the Panel reads them (issue 14).
    if message := unchecked_message(current):
        raise ValidationError(message)
    now = timezone.now()
    current.published_at = now
    current.published_by = by
    current.version += 1
    current._history_user = by
    current.save()
    freeze(current)
    keep_files(current)
    if current.supersedes_id:
        old = Report.objects.select_for_update().get(pk=current.supersedes_id)
        # A withdrawn report stays withdrawn: its reader already knows it is gone.
        if old.is_current:
            old.superseded_at = now
            old.superseded_reason = current.correction_reason
            old._history_user = by
            old.save(update_fields=["superseded_at", "superseded_reason", "updated_at"])
    report_published(current)
    return current


@transaction.atomic
def withdraw_report(*, report: Report, reason: str, by=None) -> Report:
    """Take a published report back from the Audit Panel; the team keeps it, marked."""
    reason = _reason(reason, "withdrawing the report")
    current = Report.objects.select_for_update().get(pk=report.pk)
    if not current.is_current:
        raise ReportNotCurrent(current)
    current.withdrawn_at = timezone.now()
    current.withdrawn_by = by
    current.withdrawn_reason = reason
    current._history_user = by
    current.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", "updated_at"])
    return current


@transaction.atomic
def start_correction(*, report: Report, reason: str, by=None) -> Report:
    """A draft copied from a published report, every word and choice of it, to correct; the
    original stays with the Audit Panel until the correction is published."""
    reason = _reason(reason, "correcting the report")
    original = Report.objects.select_for_update().get(pk=report.pk)
    if not original.is_current:
        raise ReportNotCurrent(original)
    if Report.objects.filter(supersedes=original).exists():
        raise ValidationError(
            "A corrected version of this report is already being drafted: open it from the "
            "list of reports."
        )
    correction = Report(
        register_id=original.register_id, period_id=original.period_id,
        meeting_date=original.meeting_date, supersedes=original, correction_reason=reason,
        created_by=by, updated_by=by,
    )
    for name in CARRIED_FORWARD:
        setattr(correction, name, getattr(original, name))
    correction._history_user = by
    correction.save()
    correction.noted_risks.set(original.noted_risks.all())
    correction.appendix_b_risks.set(original.appendix_b_risks.all())
    return correction
