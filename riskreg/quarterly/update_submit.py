"""The end of an owner's quarterly update: check the answers and submit them for review, and
recall a submission (back to a draft) while the team has not reviewed it yet."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from controls.quarter import control_rows
from risks.access import get_open_update_for_user
from risks.indicators import entries
from risks.locking import StaleVersion
from risks.models import Assessment, PeriodClosed
from risks.services import (
    IncompleteUpdate,
    InvalidTransition,
    NotEditable,
    last_approved,
    recall_assessment,
)

from .forms import ActionForm
from .services import missing_for_submission, submit_update
from .update import changed_by, commentary_flag

# Where the check page sends the person to answer what is missing.
SECTION_OF_FIELD = {
    "likelihood": "quarterly:update-score",
    "not_rated_reason": "quarterly:update-score",
    "score_change_source": "quarterly:update-score",
    "score_checked": "quarterly:update-score",
    "progress_checked": "quarterly:update-progress",
    "trend": "quarterly:update-progress",
    "progress": "quarterly:update-progress",
    "reasons": "quarterly:update-progress",
    "commentary": "quarterly:update-progress",
    "controls": "quarterly:update-controls",
    "indicators": "quarterly:update-indicators",
}


@require_http_methods(["GET", "POST"])
def update_check(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_open_update_for_user(request, pk)
    if update.assessment is None:
        return redirect("quarterly:update", pk=pk)
    a = update.assessment
    problems: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        form = ActionForm(request.POST)
        if not form.is_valid():
            problems = [(e, "#main-content") for e in form.errors["version"]]
            status = 400
        else:
            try:
                submit_update(assessment=a, version=form.cleaned_data["version"], by=request.user)
            except StaleVersion as stale:
                a = stale.current
                problems = [(
                    f"{changed_by(a, request.user)} after you opened this page, so it was not "
                    "submitted. Check the answers below, then submit again.",
                    "#main-content",
                )]
                status = 409
            except IncompleteUpdate as incomplete:
                problems = [
                    (message, reverse(SECTION_OF_FIELD[field], args=[pk]))
                    for field, message in incomplete.missing.items()
                ]
            except (InvalidTransition, NotEditable, PeriodClosed) as refused:
                problems = [(refused.messages[0], "#main-content")]
            else:
                messages.success(
                    request,
                    f"Your {update.period} update of risk {update.risk.ref} is submitted to the "
                    "Planning & Risk Team for review.",
                )
                return redirect("risks:my-risks")
    previous = last_approved(update.risk, update.period)
    editable = a.state in Assessment.EDITABLE_STATES
    # What is still to answer or to check, listed before the person tries to submit; while
    # anything is, there is no Submit button to press.
    missing = missing_for_submission(a) if editable else {}
    to_do = [] if problems else [
        (message, reverse(SECTION_OF_FIELD[field], args=[pk])) for field, message in missing.items()
    ]
    rows = control_rows(update.risk, update.period)
    return render(
        request,
        "riskreg/quarterly/update_check.html",
        {
            "risk": update.risk,
            "period": update.period,
            "assessment": a,
            "previous": previous,
            "rows": rows,
            "editable": editable,
            "can_submit": a.can_become(Assessment.State.SUBMITTED) and not missing,
            "can_recall": can_recall(a, request.user),
            "problems": problems,
            "to_do": to_do,
            "moves_away": a.moves_away_from_target(previous),
            "commentary_flag": commentary_flag(a, previous),
            "kri": entries(update.risk, update.period),
        },
        status=status,
    )



def can_recall(a: Assessment, user) -> bool:
    """Offer "Recall" to whoever submitted the update, while the team has not reviewed it."""
    return (
        a.state == Assessment.State.SUBMITTED and a.submitted_by_id == user.pk
        and a.period.is_open
    )


@require_POST
def update_recall(request: HttpRequest, pk: int) -> HttpResponse:
    """Take a submitted update back to a draft to change it: only its submitter, only before
    the team reviews it, and only at the version the person saw."""
    update = get_open_update_for_user(request, pk)
    if update.assessment is None:
        return redirect("quarterly:update", pk=pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["version"][0])
        return redirect("quarterly:update", pk=pk)
    try:
        recall_assessment(
            assessment=update.assessment, version=form.cleaned_data["version"], by=request.user
        )
    except StaleVersion as stale:
        messages.error(
            request,
            f"{changed_by(stale.current, request.user)} after you opened the page, so it was "
            "not recalled. It is shown below as it is now.",
        )
    except (InvalidTransition, PeriodClosed) as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(
            request,
            f"Your {update.period} update of risk {update.risk.ref} is recalled: it is a draft "
            "again. Change what you need, then submit it again.",
        )
    return redirect("quarterly:update", pk=pk)
