"""An owner's quarterly update of a risk, as a GOV.UK task list: the score, the trend,
progress and commentary, the controls (update_controls.py), the key risk indicators' values
where the risk has any (update_indicators.py), then check and submit."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from controls.quarter import ControlRow, control_rows
from risks.access import OpenUpdate, get_open_update_for_user
from risks.indicators import Entry, entries
from risks.locking import StaleVersion
from risks.models import Assessment, PeriodClosed, Progress, ScoreChangeSource, Trend
from risks.scoring import Scale
from risks.services import (
    IncompleteUpdate,
    NotEditable,
    confirm_unchanged,
    last_approved,
    save_assessment,
    start_assessment,
)

from .forms import ActionForm, ProgressForm, ScoreForm


@dataclass
class Task:
    name: str
    url: str | None
    status: str  # Not started, Incomplete, Completed, Cannot start yet, or a state
    hint: str = ""
    slug: str = ""
    # Text carried forward unchanged: a short tag, and what to check.
    flag: str = ""
    flag_text: str = ""

    @property
    def done(self) -> bool:
        return self.status == "Completed"


def _section_status(checked: bool, missing: bool) -> str:
    """Carried forward means "to check": a section not saved or confirmed this quarter is
    not started, whatever it holds."""
    if not checked:
        return "Not started"
    return "Incomplete" if missing else "Completed"


def controls_status(a: Assessment, rows: list[ControlRow]) -> str:
    """The controls section: each control needs its record this quarter (saved or confirmed
    unchanged); a risk with no control needs the owner's confirmation."""
    given = sum(1 for r in rows if r.this is not None)
    if not rows:
        return "Completed" if a.controls_checked_at else "Not started"
    if given == len(rows):
        return "Completed"
    return "Incomplete" if given else "Not started"


def commentary_flag(a: Assessment, previous: Assessment | None) -> str:
    """What to say when the commentary is the last approved update's, unchanged."""
    if a.commentary_carried and previous is not None:
        return f"The commentary is the same as {previous.period.name}'s"
    return ""


def notes_flag(n: int) -> str:
    if n == 1:
        return "1 control note is the same as last quarter's: check it still holds"
    return f"{n} control notes are the same as last quarter's: check they still hold" if n else ""


def carried_notes(rows: list[ControlRow]) -> list[ControlRow]:
    """The controls whose note this quarter is the previous record's, unchanged."""
    return [r for r in rows if r.this is not None and r.this.note_carried]


def indicators_status(kri: list[Entry]) -> str:
    """Each active indicator needs its value this quarter: values are new every quarter."""
    given = sum(1 for e in kri if e.this is not None)
    if given == len(kri):
        return "Completed"
    return "Incomplete" if given else "Not started"


def indicators_hint(kri: list[Entry]) -> str:
    given = sum(1 for e in kri if e.this is not None)
    out = sum(1 for e in kri if e.this is not None and e.this.out_of_threshold)
    hint = f"{given} of {len(kri)} entered this quarter"
    return hint + (f" ({out} out of threshold)" if out else "")


def _tasks(
    update: OpenUpdate, rows: list[ControlRow], previous: Assessment | None, kri: list[Entry]
) -> list[Task]:
    a, risk = update.assessment, update.risk
    editable = a.state in Assessment.EDITABLE_STATES
    missing = a.missing_for_submission(previous)
    waiting = sum(1 for r in rows if r.this is None)

    def url(name):
        return reverse(name, args=[risk.pk]) if editable else None

    score_missing = set(Assessment.SECTIONS["score"]) & missing.keys()
    progress_missing = set(Assessment.SECTIONS["progress"]) & missing.keys()
    kept = sum(1 for r in rows if r.this is not None and r.this.confirmed_unchanged)
    same_notes = len(carried_notes(rows))
    controls_hint = "No controls yet"
    if rows:
        controls_hint = f"{len(rows) - waiting} of {len(rows)} checked this quarter"
        if kept:
            controls_hint += f" ({kept} with no change)"
    tasks = [
        Task(
            "Current score", url("quarterly:update-score"),
            _section_status(a.checked("score"), bool(score_missing)),
            "Not rated this quarter" if a.not_rated
            else f"{a.position} ({a.band.label})" if a.band else "Not scored", "score",
        ),
        Task(
            "Commentary" if a.not_rated else "Trend, progress and commentary",
            url("quarterly:update-progress"),
            _section_status(a.checked("progress"), bool(progress_missing)),
            " · ".join(x for x in [a.get_trend_display(), a.get_progress_display()] if x),
            "progress", flag="Unchanged" if a.commentary_carried else "",
            flag_text=f"{commentary_flag(a, previous)}: check it still holds",
        ),
        Task(
            "Controls", url("quarterly:update-controls"), controls_status(a, rows),
            controls_hint, "controls", flag="Unchanged" if same_notes else "",
            flag_text=notes_flag(same_notes),
        ),
    ]
    if kri:
        tasks.append(Task(
            "Key risk indicators", url("quarterly:update-indicators"), indicators_status(kri),
            indicators_hint(kri), "indicators",
        ))
    if not editable:
        status = a.get_state_display()
    elif missing or any(not t.done for t in tasks):
        status = "Cannot start yet"
    else:
        status = "Not started"
    tasks.append(
        Task(
            "Check and submit",
            reverse("quarterly:update-check", args=[risk.pk])
            if status != "Cannot start yet" else None,
            status, "", "check",
        )
    )
    return tasks


@require_http_methods(["GET", "POST"])
def update_tasklist(request: HttpRequest, pk: int) -> HttpResponse:
    """/risks/<pk>/update/: the quarterly update of the open period, as a task list."""
    update = get_open_update_for_user(request, pk)
    if update.assessment is None:
        if request.method == "POST":
            start_assessment(risk=update.risk, period=update.period, by=request.user)
            messages.success(request, f"The {update.period} update is started.")
            return redirect("quarterly:update", pk=pk)
        return render(
            request, "riskreg/quarterly/update_start.html",
            {"risk": update.risk, "period": update.period},
        )
    previous = last_approved(update.risk, update.period)
    rows = control_rows(update.risk, update.period)
    a = update.assessment
    return render(
        request,
        "riskreg/quarterly/update_tasklist.html",
        {
            "risk": update.risk,
            "period": update.period,
            "assessment": a,
            "previous": previous,
            "tasks": _tasks(update, rows, previous, entries(update.risk, update.period)),
            "moves_away": a.moves_away_from_target(previous),
            "can_recall": a.state == Assessment.State.SUBMITTED
            and a.submitted_by_id == request.user.pk,
        },
    )


def editable_update(request: HttpRequest, pk: int, what: str = "it") -> OpenUpdate | HttpResponse:
    """The open update if it can be edited now; otherwise where to send the person (the task
    list), saying why when they tried to save. `what` names what could not change."""
    update = get_open_update_for_user(request, pk)
    if update.assessment is None or update.assessment.state not in Assessment.EDITABLE_STATES:
        if update.assessment is not None and request.method == "POST":
            messages.error(
                request,
                f"This update is {update.assessment.get_state_display().lower()}: "
                f"{what} can no longer be changed, and nothing was saved.",
            )
        return redirect("quarterly:update", pk=pk)
    return update


def _saved(request: HttpRequest, update: OpenUpdate, assessment: Assessment, what: str) -> None:
    text = f"{what} saved as a draft for {update.period}."
    previous = last_approved(update.risk, update.period)
    if assessment.moves_away_from_target(previous):
        text += " The new score is further from the target than last quarter's."
    messages.success(request, text)


_LABELS = {
    "likelihood": "Likelihood", "impact": "Impact",
    "not_rated": "Not rated this quarter", "not_rated_reason": "Why it is not rated",
    "score_change_source": "Why the score changed", "trend": "Trend",
    "progress": "Progress towards the target", "reasons": "Reasons",
    "commentary": "Commentary",
}
_CHOICES = {
    "likelihood": dict(Scale.choices), "impact": dict(Scale.choices),
    "score_change_source": dict(ScoreChangeSource.choices), "trend": dict(Trend.choices),
    "progress": dict(Progress.choices),
}


def _shown(name: str, value) -> str:
    if value in (None, "", False):
        return "—"
    if value is True:
        return "Yes"
    return str(_CHOICES.get(name, {}).get(value, value))


def _conflict(
    request: HttpRequest, *, update: OpenUpdate, form, fields: list[str], current: Assessment
) -> HttpResponse:
    """The person's answers beside what is stored now, with a way to keep either. Nothing lost."""
    rows = []
    for name in fields:
        yours = form.cleaned_data.get(name) if name in form.cleaned_data else form.data.get(name)
        stored = getattr(current, name)
        if name in _CHOICES and yours not in (None, ""):
            yours = int(yours) if name in ("likelihood", "impact") else yours
        rows.append(
            {
                "label": _LABELS[name],
                "yours": _shown(name, yours),
                "stored": _shown(name, stored),
                "differs": _shown(name, yours) != _shown(name, stored),
            }
        )
    keep = [(name, form.data.get(name, "")) for name in fields]
    return render(
        request,
        "riskreg/quarterly/assessment_conflict.html",
        {
            "risk": update.risk,
            "period": update.period,
            "current": current,
            "rows": rows,
            "keep": keep,
            "action": request.path,
        },
        status=409,
    )


def _save_section(
    request: HttpRequest, update: OpenUpdate, form, *, fields: list[str], what: str,
    next_url: str, section: str,
) -> HttpResponse:
    """Save one section of the update (checking it): on to the next, or the conflict page
    if it was stale."""
    try:
        saved = save_assessment(
            assessment=update.assessment, version=form.cleaned_data["version"],
            by=request.user, changes=form.changes(), sections=[section],
        )
    except StaleVersion as stale:
        return _conflict(request, update=update, form=form, current=stale.current, fields=fields)
    except (NotEditable, PeriodClosed) as refused:
        messages.error(request, refused.messages[0])
        return redirect("quarterly:update", pk=update.risk.pk)
    _saved(request, update, saved, what)
    return redirect(next_url)


def _confirm(
    request: HttpRequest, update: OpenUpdate, section: str, *, what: str, next_url: str
) -> HttpResponse:
    """ "No change this quarter": the section's answers stay as they are, and it is checked.
    Whatever stops it, nothing is written and the person is told why."""
    here = request.path
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["version"][0])
        return redirect(here)
    try:
        confirm_unchanged(
            assessment=update.assessment, version=form.cleaned_data["version"],
            by=request.user, section=section,
        )
    except StaleVersion as stale:
        messages.error(
            request,
            f"{changed_by(stale.current, request.user)} after you opened the page, so nothing "
            "was confirmed. Check the answers below, then confirm or change them.",
        )
        return redirect(here)
    except IncompleteUpdate as incomplete:
        messages.error(
            request, f"{what} cannot be confirmed as it is: {incomplete.messages[0].lower()}."
        )
        return redirect(here)
    except (NotEditable, PeriodClosed) as refused:
        messages.error(request, refused.messages[0])
        return redirect("quarterly:update", pk=update.risk.pk)
    messages.success(request, f"{what}: no change this quarter, confirmed for {update.period}.")
    return redirect(next_url)


def _confirmable(a: Assessment, section: str, previous: Assessment | None) -> bool:
    """Offer "No change this quarter" for a section not yet checked whose answers are whole."""
    return not a.checked(section) and not a.missing_in(section, previous)


def _score_context(
    update: OpenUpdate, form: ScoreForm, previous: Assessment | None, *, answered: bool = False
) -> dict:
    preview = form.preview()
    return {
        "risk": update.risk,
        "period": update.period,
        "assessment": update.assessment,
        "previous": previous,
        "form": form,
        "preview": preview,
        "moves_away": preview is not None and preview.moves_away_from_target(previous),
        "scale": Scale.choices,
        "confirmable": _confirmable(update.assessment, "score", previous),
        "answered": answered or form.is_bound,
    }


@require_http_methods(["GET", "POST"])
def update_score(request: HttpRequest, pk: int) -> HttpResponse:
    update = editable_update(request, pk)
    if isinstance(update, HttpResponse):
        return update
    assessment = update.assessment
    previous = last_approved(update.risk, update.period)
    template = "riskreg/quarterly/assessment_score_form.html"
    if request.method == "POST" and "unchanged" in request.POST:
        return _confirm(
            request, update, "score", what="The current score",
            next_url=reverse("quarterly:update-progress", args=[pk]),
        )
    if request.method == "POST":
        if "preview" in request.POST:
            # The band and the warning for these answers, saving nothing and judging nothing:
            # the answers come back as the form's starting values, so no error is shown.
            form = ScoreForm(
                initial={name: request.POST.get(name) for name in ScoreForm.base_fields},
                assessment=assessment, previous=previous, answers=request.POST,
            )
            context = _score_context(update, form, previous, answered=True)
            return render(request, f"{template}#band" if request.htmx else template, context)
        form = ScoreForm(request.POST, assessment=assessment, previous=previous)
        if form.is_valid():
            return _save_section(
                request, update, form,
                fields=["likelihood", "impact", "score_change_source", "not_rated",
                        "not_rated_reason"],
                what="The score was", next_url=reverse("quarterly:update-progress", args=[pk]),
                section="score",
            )
    else:
        form = ScoreForm(
            initial={
                "likelihood": assessment.likelihood,
                "impact": assessment.impact,
                "score_change_source": assessment.score_change_source,
                "not_rated": assessment.not_rated,
                "not_rated_reason": assessment.not_rated_reason,
                "version": assessment.version,
            },
            assessment=assessment,
            previous=previous,
        )
    return render(request, template, _score_context(update, form, previous))


@require_http_methods(["GET", "POST"])
def update_progress(request: HttpRequest, pk: int) -> HttpResponse:
    update = editable_update(request, pk)
    if isinstance(update, HttpResponse):
        return update
    assessment = update.assessment
    previous = last_approved(update.risk, update.period)
    if request.method == "POST" and "unchanged" in request.POST:
        return _confirm(
            request, update, "progress",
            what="The commentary" if assessment.not_rated
            else "The trend, progress and commentary",
            next_url=reverse("quarterly:update-controls", args=[pk]),
        )
    if request.method == "POST":
        form = ProgressForm(request.POST, not_rated=assessment.not_rated)
        if form.is_valid():
            return _save_section(
                request, update, form, fields=[n for n in form.fields if n != "version"],
                what="The trend, progress and commentary were",
                next_url=reverse("quarterly:update-controls", args=[pk]),
                section="progress",
            )
    else:
        form = ProgressForm(
            initial={
                "trend": assessment.trend,
                "progress": assessment.progress,
                "reasons": assessment.reasons,
                "commentary": assessment.commentary,
                "version": assessment.version,
            },
            not_rated=assessment.not_rated,
        )
    return render(
        request,
        "riskreg/quarterly/assessment_progress_form.html",
        {
            "risk": update.risk,
            "period": update.period,
            "assessment": assessment,
            "previous": previous,
            "form": form,
            "confirmable": _confirmable(assessment, "progress", previous),
            "flag": commentary_flag(assessment, previous),
        },
    )


def changed_by(a: Assessment, user) -> str:
    """Who changed the update since the person opened the page, as the start of a sentence:
    the person themself when it was their save in another tab or window."""
    if a.updated_by is None:
        return "Someone else changed this update"
    if a.updated_by_id == user.pk:
        return "You changed this update in another tab or window"
    return f"{a.updated_by.get_full_name() or a.updated_by.get_username()} changed this update"
