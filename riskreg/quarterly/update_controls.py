"""The controls section of the quarterly update: each control's status and note this quarter
(edited in place with htmx, and without JavaScript as plain pages), adding a control, and
"No change this quarter" (keeping last quarter's statuses and notes, recorded as such)."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from controls.models import ControlStatus
from controls.quarter import ControlRow, control_row, control_rows
from controls.services import (
    DuplicateControl,
    add_control,
    carry_forward_controls,
    save_control_update,
)
from risks.locking import StaleVersion
from risks.models import PeriodClosed
from risks.services import NotEditable

from .forms import ControlUpdateForm, ControlUpdateInPlaceForm, NewControlForm
from .update import editable_update

WHAT = "its controls"


def update_controls(request: HttpRequest, pk: int) -> HttpResponse:
    update = editable_update(request, pk, WHAT)
    if isinstance(update, HttpResponse):
        return update
    rows = control_rows(update.risk, update.period)
    return render(
        request,
        "riskreg/quarterly/controlupdate_list.html",
        {
            "risk": update.risk,
            "period": update.period,
            "assessment": update.assessment,
            "rows": rows,
            "waiting": [r for r in rows if r.this is None],
            "carry_forward": sum(1 for r in rows if r.this is None and r.previous),
            "add_form": NewControlForm(risk=update.risk),
        },
    )


def _initial(row: ControlRow) -> dict:
    source = row.this or row.previous
    return {
        "status": source.status if source else ControlStatus.NOT_STARTED,
        "note": source.note if source else "",
        "version": row.this.version if row.this else 0,
    }


def _back_to_task_list(request: HttpRequest, pk: int) -> HttpResponse:
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("quarterly:update", args=[pk])
        return response
    return redirect("quarterly:update", pk=pk)


@require_http_methods(["GET", "POST"])
def control_update(request: HttpRequest, pk: int, control_pk: int) -> HttpResponse:
    """One control's status and note this quarter. With htmx it is edited in place."""
    update = editable_update(request, pk, WHAT)
    if isinstance(update, HttpResponse):
        return update
    row = control_row(update.risk, update.period, control_pk)
    context = {"risk": update.risk, "period": update.period, "row": row}
    page = "riskreg/quarterly/controlupdate_list.html"
    if request.method == "GET":
        if request.htmx and "cancel" in request.GET:
            return render(request, f"{page}#card", context)
        form_class = ControlUpdateInPlaceForm if request.htmx else ControlUpdateForm
        context["form"] = form_class(initial=_initial(row))
        if request.htmx:
            return render(request, f"{page}#edit", context)
        return render(request, "riskreg/quarterly/controlupdate_form.html", context)

    form = (ControlUpdateInPlaceForm if request.htmx else ControlUpdateForm)(request.POST)
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
                return render(request, f"{page}#conflict", context)
            return render(
                request, "riskreg/quarterly/controlupdate_conflict.html", context, status=409
            )
        except (NotEditable, PeriodClosed) as refused:
            messages.error(request, refused.messages[0])
            return _back_to_task_list(request, pk)
        if request.htmx:
            row.this = saved
            context["just_saved"] = True
            return render(request, f"{page}#card", context)
        messages.success(request, f"“{row.control.title}”: status saved for {update.period}.")
        return redirect(
            reverse("quarterly:update-controls", args=[pk]) + f"#control-{row.control.pk}"
        )
    if request.htmx:
        return render(request, f"{page}#edit", context)
    return render(request, "riskreg/quarterly/controlupdate_form.html", context)


@require_http_methods(["GET", "POST"])
def control_add(request: HttpRequest, pk: int) -> HttpResponse:
    update = editable_update(request, pk, WHAT)
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
                return redirect("quarterly:update", pk=pk)
            else:
                messages.success(request, f"“{control.title}” added to the risk's controls.")
                return redirect("quarterly:update-controls", pk=pk)
    else:
        form = NewControlForm(risk=update.risk)
    return render(
        request, "riskreg/quarterly/control_form.html",
        {"risk": update.risk, "period": update.period, "form": form},
    )


@require_POST
def controls_carry_forward(request: HttpRequest, pk: int) -> HttpResponse:
    update = editable_update(request, pk, WHAT)
    if isinstance(update, HttpResponse):
        return update
    try:
        n = carry_forward_controls(risk=update.risk, period=update.period, by=request.user)
    except (NotEditable, PeriodClosed) as refused:
        messages.error(request, refused.messages[0])
        return redirect("quarterly:update", pk=pk)
    if n:
        text = (f"No change this quarter: {n} control{'s' if n != 1 else ''} marked unchanged "
                "since last quarter.")
    elif update.assessment and not control_rows(update.risk, update.period):
        text = "No change this quarter: the risk has no controls to report."
    else:
        text = "No control had a status from last quarter to keep."
    messages.success(request, text)
    return redirect("quarterly:update-controls", pk=pk)
