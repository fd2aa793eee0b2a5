"""Opportunities (issue 18, item 4): an opportunity's page, its quarterly update, and the
signed-in person's own opportunities. Readers see approved positions only; drafts belong to
the opportunity's owner, its leads and the Planning & Risk Team."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ..access import can_edit_opportunity, get_opportunity_for_user
from ..locking import StaleVersion
from ..models import (
    Opportunity,
    OpportunityActionUpdate,
    OpportunityAssessment,
    OpportunityLead,
    ReportingPeriod,
)
from ..opportunity_forms import OpportunityUpdateForm
from ..opportunity_services import (
    save_opportunity_update,
    start_opportunity_update,
    submit_opportunity_update,
)
from ..services import IncompleteUpdate, InvalidTransition, NotEditable


def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = get_opportunity_for_user(request, pk)
    editor = can_edit_opportunity(request.user, opportunity)
    quarters = OpportunityAssessment.objects.filter(opportunity=opportunity).select_related(
        "period"
    ).order_by("-period__start")
    if not editor:
        quarters = quarters.filter(state=OpportunityAssessment.State.APPROVED)
    quarters = list(quarters)
    shown = quarters[0] if quarters else None
    actions = list(
        OpportunityActionUpdate.objects.filter(
            period_id=shown.period_id, action__opportunity=opportunity
        ).order_by("due", "action_id")
    ) if shown else []
    leads = [link.post.name for link in
             OpportunityLead.objects.filter(opportunity=opportunity).select_related("post")]
    open_period = next((a.period for a in quarters if a.period.is_open), None)
    return render(request, "risks/opportunity_detail.html", {
        "opportunity": opportunity, "register": opportunity.register, "quarters": quarters,
        "shown": shown, "actions": actions, "leads": leads, "editor": editor,
        "open_period": open_period,
    })


def _update_context(opportunity, period, assessment, form, **extra) -> dict:
    return {"opportunity": opportunity, "register": opportunity.register, "period": period,
            "assessment": assessment, "form": form, **extra}


@require_http_methods(["GET", "POST"])
def opportunity_update(request: HttpRequest, pk: int) -> HttpResponse:
    """/opportunities/<pk>/update/: the open quarter's update, one page: the scores, trend,
    progress and commentary, each action's status; save as a draft, or save and submit."""
    opportunity = get_opportunity_for_user(request, pk, edit=True)
    period = ReportingPeriod.objects.open().first()
    if period is None:
        raise Http404("No reporting period is open, so there is nothing to update.")
    if not opportunity.is_active:
        raise Http404("This opportunity is retired: it has no update this quarter.")
    assessment = OpportunityAssessment.objects.filter(opportunity=opportunity, period=period).first()
    if assessment is None:
        assessment = start_opportunity_update(opportunity=opportunity, period=period, by=request.user)
    actions = list(OpportunityActionUpdate.objects.filter(
        period=period, action__opportunity=opportunity).order_by("due", "action_id"))
    status = 200
    if request.method == "POST" and assessment.is_editable:
        form = OpportunityUpdateForm(request.POST, actions=actions)
        if form.is_valid():
            version = form.cleaned_data["version"]
            write = submit_opportunity_update if "submit" in request.POST else save_opportunity_update
            try:
                write(assessment=assessment, version=version, by=request.user,
                      changes=form.changes(), statuses=form.statuses())
                if "submit" in request.POST:
                    messages.success(request, f"Opportunity {opportunity.ref}'s {period} update "
                                              "is submitted for review.")
                    return redirect(opportunity.get_absolute_url())
            except StaleVersion as stale:
                form.add_error(None, "Someone saved this update after you opened it, so yours was "
                                     f"not saved (it is now version {stale.current.version}). "
                                     "What you typed is below: reload the page to see theirs, "
                                     "then save again")
                status = 409
            except IncompleteUpdate as incomplete:
                # Nothing was written; what is missing is said on the page, field by field.
                for name, message in incomplete.missing.items():
                    form.add_error(name, message)
                status = 400
            except (NotEditable, InvalidTransition, ValidationError) as refused:
                form.add_error(None, refused.messages[0])
                status = 400
            else:
                messages.success(request, "Your draft is saved.")
                return redirect("risks:opportunity-update", pk=opportunity.pk)
        else:
            status = 400
    elif request.method == "POST":
        form = OpportunityUpdateForm(actions=actions, initial=_initial(assessment))
        form.add_error(None, f"This update is {assessment.get_state_display().lower()}: it can "
                             "no longer be changed.")
        status = 400
    else:
        form = OpportunityUpdateForm(actions=actions, initial=_initial(assessment))
    return render(request, "risks/opportunity_update.html",
                  _update_context(opportunity, period, assessment, form), status=status)


def _initial(a: OpportunityAssessment) -> dict:
    return {"likelihood": a.likelihood, "benefit": a.benefit, "trend": a.trend,
            "progress": a.progress, "commentary": a.commentary, "version": a.version}


def my_opportunities(request: HttpRequest) -> HttpResponse:
    """The open quarter's updates of the opportunities the person owns or leads."""
    period = ReportingPeriod.objects.open().first()
    mine = Opportunity.objects.owned_or_led_by(request.user).active()
    rows = list(
        OpportunityAssessment.objects.filter(period=period, opportunity__in=mine.values("pk"))
        .select_related("opportunity__register", "updated_by")
        .order_by("opportunity__register__name", "ref")
    ) if period else []
    waiting = sum(a.state in OpportunityAssessment.EDITABLE_STATES for a in rows)
    return render(request, "risks/my_opportunities.html", {
        "period": period, "rows": rows, "waiting": waiting,
        "overdue": period is not None and timezone.localdate() > period.deadline,
    })
