"""Writes that span several models or need the workflow's rules, each under one transaction.

Every write to an assessment is optimistic: the caller passes the version it read, the UPDATE
matches on it, and zero rows matched means someone else saved first (StaleVersion). Each write
also takes the period's row lock first, so that closing a period and saving into it serialise
(PostgreSQL); SQLite's IMMEDIATE transactions serialise every writer already.
"""

import datetime
import hashlib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from .history import keep_baseline
from .locking import StaleVersion, update_if_version
from .models import (
    Assessment,
    PeriodClosed,
    ReportingPeriod,
    Risk,
    link_pillars,
    risks_with_definitions,
)


class NotEditable(ValidationError):
    pass


class InvalidTransition(ValidationError):
    pass


class IncompleteUpdate(ValidationError):
    """What is still missing before submission: `missing` maps a field name to a message."""

    def __init__(self, missing: dict[str, str]):
        super().__init__(list(missing.values()))
        self.missing = missing


def lock_open_period(period_id: int) -> ReportingPeriod:
    """Take the period's row lock for this transaction; refuse if it is closed.

    Costs one short per-period lock per save. Saves are milliseconds, so the owners of one
    quarter queue behind each other only briefly, and close_period() can never interleave.
    """
    period = ReportingPeriod.objects.select_for_update().get(pk=period_id)
    if not period.is_open:
        raise PeriodClosed(period)
    return period


def last_approved(risk: Risk, before: ReportingPeriod) -> Assessment | None:
    return (
        Assessment.objects.filter(
            risk=risk, state=Assessment.State.APPROVED, period__start__lt=before.start
        )
        .select_related("period")
        .order_by("-period__start")
        .first()
    )


def _write(
    assessment: Assessment, *, version: int, by, reason: str, states=None, **changes
) -> Assessment:
    """UPDATE ... WHERE pk = %s AND version = %s [AND state IN states].

    No row matched: a stale version (StaleVersion) or, at the same version, a state that
    allows no such write (NotEditable).
    """
    # Any quarterly update of the workflow: a risk's Assessment or an OpportunityAssessment.
    model = type(assessment)
    now = timezone.now()
    matching = model.objects.filter(pk=assessment.pk)
    if states is not None:
        matching = matching.filter(state__in=states)
    rows = update_if_version(matching, version=version, updated_at=now, updated_by=by, **changes)
    if rows == 0:
        current = current_assessment(assessment.pk, model)
        if current.version != version:
            raise StaleVersion(current)
        raise NotEditable(
            f"This update is {current.get_state_display().lower()}: it can no longer be changed."
        )
    assessment.refresh_from_db()
    # A queryset update sends no signal, so the history row is written here, with who and why.
    model.history.bulk_history_create(
        [assessment], update=True, default_user=by, default_change_reason=reason, default_date=now
    )
    return assessment


def current_assessment(pk: int, model=Assessment):
    """The update as stored now: a risk's (Assessment) or another model of the same workflow,
    which names what to read with it in CURRENT_RELATED (OpportunityAssessment)."""
    related = getattr(model, "CURRENT_RELATED", ("risk", "period", "updated_by"))
    return model.objects.select_related(*related).get(pk=pk)


def check_version(current: Assessment, version: int) -> None:
    if current.version != version:
        raise StaleVersion(current)


@transaction.atomic
def save_assessment(
    *, assessment: Assessment, version: int, by, changes: dict, sections=None
) -> Assessment:
    """Save an owner's draft answers. Only Assessment.OWNER_FIELDS can be written this way.

    Saving checks the sections saved (`sections`, by default those whose fields are among
    the changes): they are no longer "to check" this quarter. Saved commentary is compared
    with the last approved update's (Assessment.commentary_carried_from).
    """
    unknown = set(changes) - set(Assessment.OWNER_FIELDS)
    if unknown:
        raise ValueError(f"Not an owner's field: {', '.join(sorted(unknown))}")
    if sections is None:
        sections = [name for name, fields in Assessment.SECTIONS.items() if set(fields) & set(changes)]
    lock_open_period(assessment.period_id)
    now = timezone.now()
    checks = {f"{section}_checked_at": now for section in sections}
    if "commentary" in changes:
        previous = last_approved(assessment.risk, assessment.period)
        checks["commentary_carried_from_id"] = Assessment.commentary_origin(
            changes["commentary"], previous
        )
    return _write(
        assessment, version=version, by=by, reason="Saved draft",
        states=Assessment.EDITABLE_STATES, **changes, **checks,
    )


SECTION_NAMES = {
    "score": "current score",
    "progress": "trend, progress and commentary",
    "controls": "controls",
}
CONFIRMED = "Confirmed no change"  # the history's reason, then ": " and the section's name


@transaction.atomic
def confirm_unchanged(*, assessment: Assessment, version: int, by, section: str) -> Assessment:
    """The owner confirms a carried-forward section ("score" or "progress") as "No change this
    quarter": its answers stay as they are, and the section is checked. Refused, with nothing
    written, when the version is stale, the update cannot be edited, or the section's answers
    are incomplete (there is nothing whole to confirm: they must be answered and saved)."""
    if section not in Assessment.SECTIONS:
        raise ValueError(f"Not a section of the update: {section}")
    lock_open_period(assessment.period_id)
    current = current_assessment(assessment.pk)
    check_version(current, version)
    previous = last_approved(current.risk, current.period)
    missing = current.missing_in(section, previous)
    if missing and current.state in Assessment.EDITABLE_STATES:
        raise IncompleteUpdate(missing)
    changes = {f"{section}_checked_at": timezone.now()}
    if section == "progress":
        changes["commentary_carried_from_id"] = Assessment.commentary_origin(
            current.commentary, previous
        )
    return _write(
        current, version=version, by=by, reason=f"{CONFIRMED}: {SECTION_NAMES[section]}",
        states=Assessment.EDITABLE_STATES, **changes,
    )


@transaction.atomic
def submit_assessment(*, assessment: Assessment, version: int, by) -> Assessment:
    """Submit the assessment for review once its own answers are complete.

    The quarterly update as a whole (the assessment and its controls) is submitted by
    riskreg.quarterly.services.submit_update, which checks the controls first.
    """
    lock_open_period(assessment.period_id)
    current = current_assessment(assessment.pk)
    check_version(current, version)
    check_transition(current, Assessment.State.SUBMITTED, "submitted")
    missing = current.missing_for_submission(last_approved(current.risk, current.period))
    if missing:
        raise IncompleteUpdate(missing)
    return _write(
        current, version=version, by=by, reason="Submitted",
        state=Assessment.State.SUBMITTED, submitted_at=timezone.now(), submitted_by=by,
    )


@transaction.atomic
def recall_assessment(*, assessment: Assessment, version: int, by) -> Assessment:
    """Whoever submitted the update takes it back to a draft, before the team reviews it (the
    history keeps the submission and the recall). Refused once reviewed or the period closed."""
    lock_open_period(assessment.period_id)
    current = current_assessment(assessment.pk, type(assessment))
    check_version(current, version)
    check_transition(current, Assessment.State.DRAFT, "recalled")
    if by is None or current.submitted_by_id != by.pk:
        raise InvalidTransition("Only the person who submitted this update can recall it.")
    return _write(
        current, version=version, by=by, reason="Recalled", states=[Assessment.State.SUBMITTED],
        state=Assessment.State.DRAFT, submitted_at=None, submitted_by=None,
    )


@transaction.atomic
def approve_assessment(*, assessment: Assessment, version: int, by) -> Assessment:
    lock_open_period(assessment.period_id)
    current = current_assessment(assessment.pk, type(assessment))
    check_version(current, version)
    check_transition(current, Assessment.State.APPROVED, "approved")
    if by is not None and by.pk in _authors(current):
        # Nobody checks their own work: whoever wrote or submitted it cannot approve it.
        raise InvalidTransition(
            "You wrote or submitted this update, so another member of the Planning & Risk "
            "Team must approve it."
        )
    # The comment of an earlier return stays in the history; an approved update carries none.
    return _write(
        current, version=version, by=by, reason="Approved",
        state=Assessment.State.APPROVED, reviewed_at=timezone.now(), reviewed_by=by,
        review_comment="",
    )


@transaction.atomic
def return_assessment(*, assessment: Assessment, version: int, by, comment: str) -> Assessment:
    comment = comment.strip()
    if not comment:
        raise ValidationError("Enter a comment that tells the owner what to change")
    lock_open_period(assessment.period_id)
    current = current_assessment(assessment.pk, type(assessment))
    check_version(current, version)
    check_transition(current, Assessment.State.RETURNED, "returned")
    return _write(
        current, version=version, by=by, reason="Returned",
        state=Assessment.State.RETURNED, reviewed_at=timezone.now(), reviewed_by=by,
        review_comment=comment,
    )


def _authors(assessment: Assessment) -> set[int]:
    """Whoever saved or submitted the update, as its history records them."""
    # Confirming a section unchanged vouches for its words as much as writing them.
    written = type(assessment).history.filter(
        Q(history_change_reason__in=["Saved draft", "Submitted"])
        | Q(history_change_reason__startswith=CONFIRMED),
        id=assessment.pk,
    ).values_list("history_user_id", flat=True)
    return {assessment.submitted_by_id, assessment.updated_by_id, *written} - {None}


def check_transition(current: Assessment, to: str, verb: str) -> None:
    if not current.can_become(to):
        raise InvalidTransition(
            f"This update is {current.get_state_display().lower()}, so it cannot be {verb}."
        )


def _carried_forward(risk: Risk, period: ReportingPeriod, prev: Assessment | None) -> Assessment:
    draft = Assessment(
        risk=risk,
        period=period,
        likelihood=prev.likelihood if prev else None,
        impact=prev.impact if prev else None,
        trend=prev.trend if prev else "",
        progress=prev.progress if prev else "",
        commentary=prev.commentary if prev else "",
        reasons=prev.reasons if prev else "",
        not_rated=prev.not_rated if prev else False,
        not_rated_reason=prev.not_rated_reason if prev else "",
        commentary_carried_from_id=Assessment.commentary_origin(prev.commentary, prev)
        if prev else None,
        # No updated_by: "last saved by" means an owner's save. The history records the opener.
        # No section is checked: carried forward means "to check".
    )
    draft.copy_definition(risk)
    return draft


@transaction.atomic
def open_period(
    *, name: str, slug: str, start: datetime.date, end: datetime.date,
    deadline: datetime.date, by=None,
) -> ReportingPeriod:
    """Open a quarter: every active risk is carried forward as a draft of its last approved update."""
    still_open = ReportingPeriod.objects.select_for_update().open().first()
    if still_open:
        raise ValidationError(f"{still_open} is still open: close it before opening another period.")
    problems = ReportingPeriod.timeline_problems(start, end, deadline)
    if problems:
        raise ValidationError(list(problems.values()))
    period = ReportingPeriod(name=name, slug=slug, start=start, end=end, deadline=deadline)
    period._history_user = by
    period.save()
    last: dict[int, Assessment] = {}
    # One pass over the approved history, newest first per risk; fine once a quarter.
    for a in (
        Assessment.objects.filter(state=Assessment.State.APPROVED, period__start__lt=start)
        .order_by("risk_id", "-period__start")
        .only(
            "risk_id", "period_id", "likelihood", "impact", "trend", "progress", "commentary",
            "reasons", "not_rated", "not_rated_reason", "commentary_carried_from_id",
        )
    ):
        last.setdefault(a.risk_id, a)
    risks = {risk.pk: risk for risk in risks_with_definitions(Risk.objects.active())}
    drafts = [_carried_forward(risk, period, last.get(risk.pk)) for risk in risks.values()]
    drafts = bulk_create_with_history(
        drafts, Assessment, default_user=by, default_change_reason="Carried forward"
    )
    link_pillars(drafts, risks)
    # Opportunities run through the same quarter, each carried forward the same way.
    from .opportunity_services import carry_forward_opportunities

    carry_forward_opportunities(period=period, by=by)
    return period


@transaction.atomic
def start_assessment(*, risk: Risk, period: ReportingPeriod, by) -> Assessment:
    """A risk added after its period opened gets its draft on first use."""
    lock_open_period(period.pk)
    existing = Assessment.objects.filter(risk=risk, period=period).first()
    if existing:
        return existing
    risk = risks_with_definitions(Risk.objects.filter(pk=risk.pk)).get()
    draft = _carried_forward(risk, period, last_approved(risk, period))
    draft._history_user = by
    draft._change_reason = "Carried forward"
    draft.save()
    link_pillars([draft], {risk.pk: risk})
    return draft


@transaction.atomic
def record_definitions(*, period: ReportingPeriod, risks=None) -> int:
    """Bring the open period's record of each risk (all, or those in `risks`) into step with
    the risk as it stands: title, target, owner, leads, pillars and the rest. Editing a risk
    changes the open quarter onward; a closed quarter keeps what it recorded.

    Returns how many updates were brought into step.
    """
    period = lock_open_period(period.pk)
    rows = Assessment.objects.filter(period=period)
    if risks is not None:
        rows = rows.filter(risk__in=risks)
    return rows.record_definitions()


_KEEP = object()


@transaction.atomic
def set_appetite(*, risk: Risk, appetite: str, was: str, by, appetite_level=_KEEP,
                 appetite_theme=_KEEP, tolerance=_KEEP) -> Risk:
    """The Planning & Risk Team sets a risk's appetite (statement, own level, theme) and
    tolerance: the risk, and through record_definitions the open quarter's record of it (a
    closed quarter keeps its own). What is not given stays as it is.

    `was` is risk_appetite_digest() of what the person started from: if any of it changed
    since, nothing is written and StaleVersion carries the risk as it is now.
    """
    period = ReportingPeriod.objects.open().first()
    if period is not None:
        lock_open_period(period.pk)
    current = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk_appetite_digest(current) != was:
        raise StaleVersion(current)
    wanted = {"appetite": appetite, "appetite_level": appetite_level,
              "appetite_theme": appetite_theme, "tolerance": tolerance}
    wanted = {name: value for name, value in wanted.items() if value is not _KEEP}
    if all(getattr(current, name) == value for name, value in wanted.items()):
        return current
    if tolerance is not _KEEP and tolerance is not None and not 1 <= tolerance <= 16:
        raise ValidationError("The tolerance must be a score from 1 to 16")
    keep_baseline(current)  # a seed risk has no history yet: its first change shows as a change
    for name, value in wanted.items():
        setattr(current, name, value)
    current._history_user = by
    current._change_reason = "Appetite changed"
    current.save(update_fields=list(wanted))
    if period is not None:
        record_definitions(period=period, risks=[current.pk])
    return current


def appetite_digest(appetite: str, level: int | None = None, theme: int | None = None,
                    tolerance: int | None = None) -> str:
    """A short fingerprint of a risk's appetite (text, level and theme ids, tolerance), for a
    form to say which it started from. Only the text counts while the rest is empty."""
    text = appetite if (level, theme, tolerance) == (None, None, None) else \
        f"{appetite}\x1f{level}\x1f{theme}\x1f{tolerance}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def risk_appetite_digest(risk: Risk) -> str:
    return appetite_digest(risk.appetite, risk.appetite_level_id, risk.appetite_theme_id,
                           risk.tolerance)


@transaction.atomic
def retire_risk(*, risk: Risk, by) -> Risk:
    """Retire a risk from the open quarter onward: its record this quarter says so, and the
    next quarter carries it no further. Closed quarters keep it as they showed it."""
    return _set_active(risk, active=False, by=by, reason="Retired")


@transaction.atomic
def reinstate_risk(*, risk: Risk, by) -> Risk:
    """Bring a retired risk back into the open quarter (with a draft to update)."""
    return _set_active(risk, active=True, by=by, reason="Reinstated")


def _set_active(risk: Risk, *, active: bool, by, reason: str) -> Risk:
    period = ReportingPeriod.objects.open().first()
    if period is None:
        raise ValidationError("No reporting period is open: open one to retire or reinstate a risk.")
    lock_open_period(period.pk)
    risk = Risk.objects.select_for_update().get(pk=risk.pk)
    if risk.is_active == active:
        raise ValidationError(f"Risk {risk.ref} is already {'active' if active else 'retired'}.")
    risk.is_active = active
    risk._history_user = by
    risk._change_reason = reason
    risk.save()
    start_assessment(risk=risk, period=period, by=by)
    record_definitions(period=period, risks=[risk.pk])
    return risk


@transaction.atomic
def close_period(*, period: ReportingPeriod, by, incomplete: bool = False) -> ReportingPeriod:
    """Close the quarter. Unless every update is approved, the team must say so (incomplete)."""
    period = lock_open_period(period.pk)
    # Whatever changed the risks meanwhile (the admin, a script), the quarter keeps the risks
    # as they stand now that it closes.
    record_definitions(period=period)
    from .opportunity_services import record_opportunity_definitions

    # Opportunities close with the quarter like risks: each must be approved too.
    record_opportunity_definitions(period=period)
    waiting = period.assessments.exclude(state=Assessment.State.APPROVED).count()
    waiting += period.opportunity_assessments.exclude(state=Assessment.State.APPROVED).count()
    if waiting and not incomplete:
        raise ValidationError(
            f"{waiting} update{'s are' if waiting != 1 else ' is'} not approved yet. "
            "Approve them, or choose to close the period with what is there."
        )
    period.state = ReportingPeriod.State.CLOSED
    period.closed_at = timezone.now()
    period.closed_by = by
    period.closed_incomplete = bool(waiting)
    period._history_user = by
    period.save()
    return period
