"""Writes of the quarterly update that span a risk's assessment and its controls."""

from django.db import transaction

from controls import services as controls
from riskreg.notify.services import period_opened, update_approved, update_returned
from risks.indicators import missing_values
from risks.models import Assessment, ReportingPeriod
from risks.services import (
    IncompleteUpdate,
    approve_assessment,
    check_transition,
    check_version,
    close_period,
    current_assessment,
    last_approved,
    lock_open_period,
    open_period,
    return_assessment,
    submit_assessment,
)


def missing_for_submission(assessment: Assessment) -> dict[str, str]:
    """Everything the update still lacks, key to message: its answers, the sections carried
    forward and not yet saved or confirmed unchanged this quarter, then the controls, then the
    key risk indicators' values."""
    previous = last_approved(assessment.risk, assessment.period)
    return (
        assessment.missing_for_submission(previous)
        | assessment.unchecked_sections(previous)
        | controls.missing_for_submission(
            assessment.risk, assessment.period,
            checked=assessment.controls_checked_at is not None,
        )
        | missing_values(assessment.risk, assessment.period)
    )


@transaction.atomic
def submit_update(*, assessment: Assessment, version: int, by) -> Assessment:
    """Submit the update for review: its answers and a status for every active control,
    each section saved or confirmed unchanged this quarter.

    Refused, in this order, when it is stale, cannot be submitted from its state, or lacks
    anything (every gap is reported at once).
    """
    lock_open_period(assessment.period_id)
    current = current_assessment(assessment.pk)
    check_version(current, version)
    check_transition(current, Assessment.State.SUBMITTED, "submitted")
    missing = missing_for_submission(current)
    if missing:
        raise IncompleteUpdate(missing)
    return submit_assessment(assessment=current, version=version, by=by)


@transaction.atomic
def close_quarter(*, period: ReportingPeriod, by, incomplete: bool = False) -> ReportingPeriod:
    """Close the quarter, its record complete: every risk and every control as it stands now
    (controls.services.record_period, then risks.services.close_period, which refuses unless
    every update is approved or the team says to close with what is there)."""
    lock_open_period(period.pk)
    controls.record_period(period=period)
    return close_period(period=period, by=by, incomplete=incomplete)


# The workflow's steps that tell people (riskreg/notify): the notification is written in the
# step's own transaction, and emailed after it commits.


@transaction.atomic
def open_quarter(*, by=None, **values) -> ReportingPeriod:
    """Open a quarter and tell the owners and leads of every active risk."""
    period = open_period(**values, by=by)
    period_opened(period)
    return period


@transaction.atomic
def approve_update(*, assessment: Assessment, version: int, by) -> Assessment:
    done = approve_assessment(assessment=assessment, version=version, by=by)
    update_approved(done, by=by)
    return done


@transaction.atomic
def return_update(*, assessment: Assessment, version: int, by, comment: str) -> Assessment:
    done = return_assessment(assessment=assessment, version=version, by=by, comment=comment)
    update_returned(done, by=by)
    return done
