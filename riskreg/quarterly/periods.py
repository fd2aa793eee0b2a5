"""Reporting periods: the list, opening the next quarter, and closing the open one (which
records its risks and their controls as they stand: riskreg.quarterly.services.close_quarter)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from risks.access import require_planner
from risks.forms import ClosePeriodForm
from risks.models import Assessment, PeriodClosed, ReportingPeriod

from .period_form import OpenPeriodForm, next_quarter
from .services import close_quarter, open_quarter


def period_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    periods = ReportingPeriod.objects.annotate(
        updates=Count("assessments"),
        approved=Count("assessments", filter=Q(assessments__state=Assessment.State.APPROVED)),
    ).select_related("closed_by").order_by("-start")
    return render(
        request,
        "riskreg/quarterly/reportingperiod_list.html",
        {"periods": periods, "open_period": next((p for p in periods if p.is_open), None)},
    )


@require_http_methods(["GET", "POST"])
def period_open(request: HttpRequest) -> HttpResponse:
    """Open the next quarter: offered only while no period is open (and refused if posted)."""
    require_planner(request)
    still_open = ReportingPeriod.objects.open().first()
    if still_open is not None and request.method == "GET":
        return render(
            request, "riskreg/quarterly/reportingperiod_form.html", {"still_open": still_open}
        )
    if request.method == "POST":
        form = OpenPeriodForm(request.POST)
        if form.is_valid():
            try:
                period = open_quarter(**form.period_values(), by=request.user)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                count = period.assessments.count()
                messages.success(
                    request,
                    f"{period} is open. {count} risk update{'s' if count != 1 else ''} "
                    "carried forward as drafts from the last approved quarter.",
                )
                return redirect("quarterly:review")
    else:
        form = OpenPeriodForm(initial=next_quarter())
    return render(
        request, "riskreg/quarterly/reportingperiod_form.html",
        {"form": form, "still_open": still_open},
    )


@require_http_methods(["GET", "POST"])
def period_close(request: HttpRequest, slug: str) -> HttpResponse:
    require_planner(request)
    period = get_object_or_404(ReportingPeriod, slug=slug)
    if not period.is_open:
        raise Http404("That period is already closed.")
    counts = {
        row["state"]: row["n"]
        for row in period.assessments.values("state").annotate(n=Count("pk")).order_by()
    }
    waiting = sum(n for state, n in counts.items() if state != Assessment.State.APPROVED)
    # Opportunities close with the quarter too, and must be approved like the risks.
    opportunities_waiting = period.opportunity_assessments.exclude(
        state=Assessment.State.APPROVED).count()
    waiting += opportunities_waiting
    if request.method == "POST":
        form = ClosePeriodForm(request.POST)
        if form.is_valid():
            try:
                close_quarter(period=period, by=request.user, incomplete=form.cleaned_data["incomplete"])
            except (ValidationError, PeriodClosed) as refused:
                form.add_error("incomplete", refused.messages[0])
            else:
                messages.success(
                    request,
                    f"{period} is closed"
                    + (f" with {waiting} update{'s' if waiting != 1 else ''} not approved."
                       if waiting else ": every update was approved.")
                    + " Its data can no longer change.",
                )
                return redirect("quarterly:periods")
    else:
        form = ClosePeriodForm()
    states = [
        (label, counts.get(value, 0), value) for value, label in Assessment.State.choices
    ]
    return render(
        request,
        "riskreg/quarterly/reportingperiod_confirm_close.html",
        {
            "period": period, "form": form, "states": states, "waiting": waiting,
            "opportunities_waiting": opportunities_waiting,
            "review_url": reverse("quarterly:review") + f"?period={period.slug}",
        },
    )
