"""The parts of the quarterly update that join a risk's assessment and its controls: the task
list, the controls section (edited in place with htmx), check and submit, and the review page.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from risks.access import (
    OpenUpdate,
    get_assessment_for_review,
    get_open_update_for_user,
)
from risks.forms import ActionForm, ReturnForm
from risks.models import Assessment, PeriodClosed, ReportingPeriod, Risk
from risks.services import (
    IncompleteUpdate,
    InvalidTransition,
    NotEditable,
    StaleVersion,
    last_approved,
    start_assessment,
)

from .forms import ControlUpdateForm, NewControlForm
from .models import Control, ControlStatus, ControlUpdate
from .services import (
    DuplicateControl,
    add_control,
    carry_forward_controls,
    previous_updates,
    save_control_update,
    submit_update,
)


@dataclass
class ControlRow:
    control: Control
    this: ControlUpdate | None  # this period's update, if given yet
    previous: ControlUpdate | None  # the latest update before this period

    @property
    def is_new(self) -> bool:
        return self.previous is None

    @property
    def changed(self) -> bool:
        if self.this is None or self.previous is None:
            return False
        return (self.this.status, self.this.note.strip()) != (
            self.previous.status, self.previous.note.strip(),
        )


def control_rows(risk: Risk, period: ReportingPeriod) -> list[ControlRow]:
    """Every active control of the risk with this period's and the previous update: 3 queries."""
    controls = list(
        Control.objects.filter(risk=risk, is_active=True).select_related("added_in")
        .order_by("order", "pk")
    )
    this = {
        u.control_id: u
        for u in ControlUpdate.objects.filter(control__in=controls, period=period)
        .select_related("updated_by")
    }
    previous = previous_updates(controls, period)
    return [ControlRow(c, this.get(c.pk), previous.get(c.pk)) for c in controls]


@dataclass
class Task:
    name: str
    url: str | None
    status: str  # Completed, Incomplete, Cannot start yet, or a state
    hint: str = ""
    slug: str = ""

    @property
    def done(self) -> bool:
        return self.status == "Completed"


def _tasks(update: OpenUpdate, rows: list[ControlRow], previous: Assessment | None) -> list[Task]:
    a, risk = update.assessment, update.risk
    editable = a.state in Assessment.EDITABLE_STATES
    missing = a.missing_for_submission(previous)
    waiting = sum(1 for r in rows if r.this is None)

    def url(name):
        return reverse(name, args=[risk.pk]) if editable else None

    score_missing = {"likelihood", "score_change_source"} & missing.keys()
    progress_missing = {"trend", "progress", "reasons", "commentary"} & missing.keys()
    tasks = [
        Task(
            "Current score", url("risks:update-score"),
            "Incomplete" if score_missing else "Completed",
            f"{a.position} ({a.band.label})" if a.band else "Not scored", "score",
        ),
        Task(
            "Trend, progress and commentary", url("risks:update-progress"),
            "Incomplete" if progress_missing else "Completed",
            " · ".join(x for x in [a.get_trend_display(), a.get_progress_display()] if x),
            "progress",
        ),
        Task(
            "Controls", url("controls:update-controls"),
            "Incomplete" if waiting else "Completed",
            f"{len(rows) - waiting} of {len(rows)} updated this quarter" if rows else "No controls yet",
            "controls",
        ),
    ]
    if not editable:
        status = a.get_state_display()
    elif missing or waiting:
        status = "Cannot start yet"
    else:
        status = "Not started"
    tasks.append(
        Task(
            "Check and submit",
            reverse("controls:update-check", args=[risk.pk]) if status != "Cannot start yet" else None,
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
            return redirect("controls:update", pk=pk)
        return render(request, "controls/update_start.html", {"risk": update.risk, "period": update.period})
    previous = last_approved(update.risk, update.period)
    rows = control_rows(update.risk, update.period)
    a = update.assessment
    return render(
        request,
        "controls/update_tasklist.html",
        {
            "risk": update.risk,
            "period": update.period,
            "assessment": a,
            "previous": previous,
            "tasks": _tasks(update, rows, previous),
            "moves_away": a.moves_away_from_target(previous),
        },
    )


def _editable(request: HttpRequest, pk: int) -> OpenUpdate | HttpResponse:
    update = get_open_update_for_user(request, pk)
    if update.assessment is None or update.assessment.state not in Assessment.EDITABLE_STATES:
        if update.assessment is not None and request.method == "POST":
            messages.error(
                request,
                f"This update is {update.assessment.get_state_display().lower()}: "
                "its controls can no longer be changed, and nothing was saved.",
            )
        return redirect("controls:update", pk=pk)
    return update


def update_controls(request: HttpRequest, pk: int) -> HttpResponse:
    update = _editable(request, pk)
    if isinstance(update, HttpResponse):
        return update
    rows = control_rows(update.risk, update.period)
    return render(
        request,
        "controls/controlupdate_list.html",
        {
            "risk": update.risk,
            "period": update.period,
            "rows": rows,
            "waiting": [r for r in rows if r.this is None],
            "carry_forward": sum(1 for r in rows if r.this is None and r.previous),
            "add_form": NewControlForm(risk=update.risk),
        },
    )


def _row(update: OpenUpdate, control_pk: int) -> ControlRow:
    control = get_object_or_404(
        Control.objects.select_related("added_in"), pk=control_pk, risk=update.risk, is_active=True
    )
    control.risk = update.risk
    this = (
        ControlUpdate.objects.select_related("updated_by")
        .filter(control=control, period=update.period).first()
    )
    previous = previous_updates([control], update.period).get(control.pk)
    return ControlRow(control, this, previous)


def _initial(row: ControlRow) -> dict:
    source = row.this or row.previous
    return {
        "status": source.status if source else ControlStatus.NOT_STARTED,
        "note": source.note if source else "",
        "version": row.this.version if row.this else 0,
    }


@require_http_methods(["GET", "POST"])
def control_update(request: HttpRequest, pk: int, control_pk: int) -> HttpResponse:
    """One control's status and note this quarter. With htmx it is edited in place."""
    update = _editable(request, pk)
    if isinstance(update, HttpResponse):
        return update
    row = _row(update, control_pk)
    context = {"risk": update.risk, "period": update.period, "row": row}
    if request.method == "GET":
        if request.htmx and "cancel" in request.GET:
            return render(request, "controls/controlupdate_list.html#card", context)
        context["form"] = ControlUpdateForm(initial=_initial(row))
        if request.htmx:
            return render(request, "controls/controlupdate_list.html#edit", context)
        return render(request, "controls/controlupdate_form.html", context)

    form = ControlUpdateForm(request.POST)
    context["form"] = form
    if form.is_valid():
        try:
            saved = save_control_update(
                control=row.control, period=update.period, by=request.user,
                status=form.cleaned_data["status"], note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except StaleVersion as stale:
            context.update(current=stale.current, yours=form.cleaned_data,
                           yours_status=ControlStatus(form.cleaned_data["status"]).label)
            if request.htmx:
                return render(request, "controls/controlupdate_list.html#conflict", context)
            return render(request, "controls/controlupdate_conflict.html", context, status=409)
        except (NotEditable, PeriodClosed) as refused:
            messages.error(request, refused.messages[0])
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = reverse("controls:update", args=[pk])
                return response
            return redirect("controls:update", pk=pk)
        if request.htmx:
            row.this = saved
            context["just_saved"] = True
            return render(request, "controls/controlupdate_list.html#card", context)
        messages.success(request, f"“{row.control.title}”: status saved for {update.period}.")
        return redirect(reverse("controls:update-controls", args=[pk]) + f"#control-{row.control.pk}")
    if request.htmx:
        return render(request, "controls/controlupdate_list.html#edit", context)
    return render(request, "controls/controlupdate_form.html", context)


@require_http_methods(["GET", "POST"])
def control_add(request: HttpRequest, pk: int) -> HttpResponse:
    update = _editable(request, pk)
    if isinstance(update, HttpResponse):
        return update
    if request.method == "POST":
        form = NewControlForm(request.POST, risk=update.risk)
        if form.is_valid():
            try:
                control = add_control(risk=update.risk, period=update.period, by=request.user,
                                      **form.cleaned_data)
            except DuplicateControl as clash:  # added by someone else since the form's check
                form.add_error("title", clash)
            except (NotEditable, PeriodClosed) as refused:
                messages.error(request, refused.messages[0])
                return redirect("controls:update", pk=pk)
            else:
                messages.success(request, f"“{control.title}” added to the risk's controls.")
                return redirect("controls:update-controls", pk=pk)
    else:
        form = NewControlForm(risk=update.risk)
    return render(
        request, "controls/control_form.html",
        {"risk": update.risk, "period": update.period, "form": form},
    )


@require_POST
def controls_carry_forward(request: HttpRequest, pk: int) -> HttpResponse:
    update = _editable(request, pk)
    if isinstance(update, HttpResponse):
        return update
    try:
        n = carry_forward_controls(risk=update.risk, period=update.period, by=request.user)
    except (NotEditable, PeriodClosed) as refused:
        messages.error(request, refused.messages[0])
        return redirect("controls:update", pk=pk)
    messages.success(
        request,
        f"{n} control{'s' if n != 1 else ''} marked unchanged since last quarter." if n
        else "No control had a status from last quarter to keep.",
    )
    return redirect("controls:update-controls", pk=pk)


# Check and submit -----------------------------------------------------------------------------

SECTION_OF_FIELD = {
    "likelihood": "risks:update-score",
    "score_change_source": "risks:update-score",
    "trend": "risks:update-progress",
    "progress": "risks:update-progress",
    "reasons": "risks:update-progress",
    "commentary": "risks:update-progress",
    "controls": "controls:update-controls",
}


@require_http_methods(["GET", "POST"])
def update_check(request: HttpRequest, pk: int) -> HttpResponse:
    update = get_open_update_for_user(request, pk)
    if update.assessment is None:
        return redirect("controls:update", pk=pk)
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
                    f"{_who(a)} changed this update after you opened this page, so it was not "
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
    return render(
        request,
        "controls/update_check.html",
        {
            "risk": update.risk,
            "period": update.period,
            "assessment": a,
            "previous": previous,
            "rows": control_rows(update.risk, update.period),
            "editable": a.state in Assessment.EDITABLE_STATES,
            "can_submit": a.can_become(Assessment.State.SUBMITTED),
            "problems": problems,
            "moves_away": a.moves_away_from_target(previous),
        },
        status=status,
    )


def _who(a: Assessment) -> str:
    if a.updated_by is None:
        return "Someone else"
    return a.updated_by.get_full_name() or a.updated_by.get_username()


# Review -----------------------------------------------------------------------------------------


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/review/<pk>/: one update beside the last approved one, controls included."""
    a = get_assessment_for_review(request, pk)
    previous = last_approved(a.risk, a.period)
    return render(
        request,
        "controls/review_detail.html",
        {
            "a": a,
            "risk": a.risk,
            "period": a.period,
            "previous": previous,
            "changes": a.changes_since(previous),
            "rows": control_rows(a.risk, a.period),
            "approve_form": ActionForm(initial={"version": a.version}),
            "return_form": ReturnForm(initial={"version": a.version}),
        },
    )
