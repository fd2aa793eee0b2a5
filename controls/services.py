"""Writes of a quarterly update that touch controls, each under one transaction.

Control updates are versioned like assessments: version 0 in a form means "there was no update
for this period when I opened it". Every write takes the period's row lock first (see
risks.services.lock_open_period), and is refused unless the risk's update can still be edited.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone

from risks.locking import StaleVersion, update_if_version
from risks.models import Assessment, ReportingPeriod, Risk
from risks.services import CONFIRMED, SECTION_NAMES, NotEditable, lock_open_period

from .models import Control, ControlUpdate
from .quarter import previous_updates

TITLE_CONSTRAINT = "control_title_unique_per_risk_ignoring_case"


class DuplicateControl(ValidationError):
    """The risk already has a control of that title (ignoring case)."""

    def __init__(self):
        super().__init__("This risk already has a control with that name", code="unique")


def _editable_assessment(risk: Risk, period: ReportingPeriod) -> Assessment:
    assessment = Assessment.objects.filter(risk=risk, period=period).first()
    if assessment is None or assessment.state not in Assessment.EDITABLE_STATES:
        state = assessment.get_state_display().lower() if assessment else "not started"
        raise NotEditable(f"This update is {state}: its controls can no longer be changed.")
    return assessment


def _controls_checked(assessment: Assessment, now) -> None:
    """The controls section was saved or confirmed now (Assessment.controls_checked_at).

    Not a write of the owner's answers: the version stays, so that a page of the update
    opened in another tab is not made stale by saving a control.
    """
    Assessment.objects.filter(pk=assessment.pk).update(controls_checked_at=now)


@transaction.atomic
def save_control_update(
    *, control: Control, period: ReportingPeriod, by, status: str, note: str, version: int
) -> ControlUpdate:
    lock_open_period(period.pk)
    assessment = _editable_assessment(control.risk, period)
    now = timezone.now()
    # Written by the owner now, even if it says what the previous record said (then flagged).
    carried_from = ControlUpdate.note_origin(note, previous_updates([control], period).get(control.pk))
    _controls_checked(assessment, now)
    if version == 0:
        existing = ControlUpdate.objects.filter(control=control, period=period).first()
        if existing is not None:
            raise StaleVersion(existing)
        update = ControlUpdate(
            control=control, period=period, status=status, note=note, updated_by=by,
            note_carried_from_id=carried_from,
        )
        update.copy_definition(control)
        update._history_user = by
        update.save()
        return update
    rows = update_if_version(
        ControlUpdate.objects.filter(control=control, period=period), version=version,
        status=status, note=note, updated_at=now, updated_by=by, confirmed_unchanged=False,
        note_carried_from_id=carried_from,
    )
    if rows == 0:
        raise StaleVersion(
            ControlUpdate.objects.select_related("updated_by")
            .filter(control=control, period=period)
            .first()
        )
    update = ControlUpdate.objects.get(control=control, period=period)
    ControlUpdate.history.bulk_history_create(
        [update], update=True, default_user=by, default_date=now
    )
    return update


@transaction.atomic
def add_control(
    *, risk: Risk, period: ReportingPeriod, by, title: str, description: str, milestone: str,
    status: str, note: str,
) -> Control:
    lock_open_period(period.pk)
    assessment = _editable_assessment(risk, period)
    _controls_checked(assessment, timezone.now())
    last = Control.objects.filter(risk=risk).aggregate(last=Max("order"))["last"] or 0
    control = Control(
        risk=risk, title=title, description=description, milestone=milestone,
        added_in=period, order=last + 1,
    )
    control._history_user = by
    try:
        with transaction.atomic():
            control.save()
    except IntegrityError as error:
        # The form found no control of that name, but someone added one since: the database's
        # constraint (unique per risk, ignoring case) is the check that cannot race.
        if TITLE_CONSTRAINT in str(error) or Control.objects.filter(
            risk=risk, title__iexact=title
        ).exists():
            raise DuplicateControl() from error
        raise
    update = ControlUpdate(control=control, period=period, status=status, note=note, updated_by=by)
    update.copy_definition(control)
    update._history_user = by
    update.save()
    return control


@transaction.atomic
def carry_forward_controls(*, risk: Risk, period: ReportingPeriod, by) -> int:
    """"No change this quarter": confirm last quarter's status and note for every control not
    yet updated this quarter. Each record says so (confirmed_unchanged), and its note is not
    one written this quarter (note_carried_from). With no control at all, it confirms that
    there is none to report. The controls section is checked; returns how many controls."""
    lock_open_period(period.pk)
    assessment = _editable_assessment(risk, period)
    waiting = list(
        Control.objects.filter(risk=risk, is_active=True).exclude(updates__period=period)
    )
    previous = previous_updates(waiting, period)
    created = []
    for control in waiting:
        before = previous.get(control.pk)
        if before is None:
            continue
        update = ControlUpdate(
            control=control, period=period, status=before.status, note=before.note,
            updated_by=by, confirmed_unchanged=True,
            note_carried_from_id=ControlUpdate.note_origin(before.note, before),
        )
        update.copy_definition(control)
        update._history_user = by
        update._change_reason = "Unchanged since last quarter"
        update.save()
        created.append(update)
    now = timezone.now()
    _controls_checked(assessment, now)
    assessment.refresh_from_db()
    Assessment.history.bulk_history_create(
        [assessment], update=True, default_user=by, default_date=now,
        default_change_reason=f"{CONFIRMED}: {SECTION_NAMES['controls']}",
    )
    return len(created)


@transaction.atomic
def set_key_control(*, control: Control, period: ReportingPeriod, is_key: bool, by) -> Control:
    """The Planning & Risk Team marks a control as key (shown in Appendix B) or not, from the
    open quarter onward: the control, and the open quarter's record of it if there is one.
    Refused (PeriodClosed) for a closed quarter, whose records keep what they showed. The
    wanted value is explicit, so a page opened before someone else's change cannot undo it
    by toggling."""
    lock_open_period(period.pk)
    control = Control.objects.select_for_update().get(pk=control.pk)
    if control.is_key == is_key:
        return control
    control.is_key = is_key
    control._history_user = by
    control._change_reason = "Marked as a key control" if is_key else "No longer a key control"
    control.save(update_fields=["is_key"])
    ControlUpdate.objects.filter(control=control, period=period).update(is_key=is_key)
    return control


def controls_waiting(risk: Risk, period: ReportingPeriod) -> list[Control]:
    """The risk's active controls with no status yet this period, in the risk's order."""
    return list(
        Control.objects.filter(risk=risk, is_active=True)
        .exclude(updates__period=period)
        .order_by("order", "pk")
    )


def missing_for_submission(
    risk: Risk, period: ReportingPeriod, *, checked: bool = True
) -> dict[str, str]:
    """What the controls still lack before the risk's update can be submitted: a record this
    quarter (saved, or confirmed unchanged) for every control, and for a risk with none, the
    owner's confirmation (`checked`: Assessment.controls_checked_at is set)."""
    waiting = controls_waiting(risk, period)
    if not waiting:
        if checked or Control.objects.filter(risk=risk, is_active=True).exists():
            return {}
        return {
            "controls": "Check the controls: add one, or confirm there is no change this quarter"
        }
    names = ", ".join(c.title for c in waiting[:3]) + (" …" if len(waiting) > 3 else "")
    return {
        "controls": f"Give this quarter's status of {len(waiting)} "
        f"control{'s' if len(waiting) != 1 else ''} (or confirm no change): {names}"
    }


@transaction.atomic
def record_period(*, period: ReportingPeriod) -> int:
    """Before the period closes: every control of its risks gets its record for the quarter,
    with the control's definition as it stands (a control nobody updated gets a record with
    no status), so the closed quarter shows its controls as they were. Returns how many
    records there are."""
    lock_open_period(period.pk)
    assessed = Assessment.objects.filter(period=period).values("risk_id")
    records = {
        r.control_id: r
        for r in ControlUpdate.objects.filter(period=period).only(
            "pk", "control_id", "period_id", *ControlUpdate.DEFINITION_FIELDS
        )
    }
    controls = (
        Control.objects.filter(risk__in=assessed)
        .filter(Q(is_active=True) | Q(pk__in=list(records)))
        .select_related("owner")
    )
    new = []
    for control in controls:
        record = records.get(control.pk)
        if record is None:
            record = ControlUpdate(control=control, period=period, status="")
            new.append(record)
        record.copy_definition(control)
    ControlUpdate.objects.bulk_update(
        list(records.values()), ControlUpdate.DEFINITION_FIELDS, batch_size=500
    )
    ControlUpdate.objects.bulk_create(new, batch_size=500)
    return len(records) + len(new)
