"""The team's review of opportunities' updates: their table in the review queue, one update
beside the last approved one, approve, return with a comment. The writes are the risks' own
(risks.services.approve_assessment and return_assessment take either kind of update)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from risks.access import get_opportunity_update_for_review
from risks.locking import StaleVersion
from risks.models import (
    OpportunityActionUpdate,
    OpportunityAssessment,
    PeriodClosed,
    ReportingPeriod,
)
from risks.opportunity_services import last_approved
from risks.services import InvalidTransition, approve_assessment, return_assessment

from .forms import ActionForm, ReturnForm

# The queue shows the opportunities waiting first; they are few beside the risks.
OPPORTUNITY_PREVIEW = 50
_WAITING_FIRST = Case(
    When(state="submitted", then=Value(0)), When(state="returned", then=Value(1)),
    When(state="draft", then=Value(2)), default=Value(3), output_field=IntegerField(),
)


def opportunity_queue(period: ReportingPeriod, counts: dict[str, int]) -> dict:
    """The period's opportunity updates for the queue: `counts` by state come with the
    risks' counts (review.queue_counts, no query of their own); the rows cost one query, and
    none where the quarter has no opportunity."""
    total = sum(counts.values())
    rows = list(
        OpportunityAssessment.objects.filter(period=period)
        .select_related("submitted_by", "reviewed_by")
        .order_by(_WAITING_FIRST, "ref", "pk")[:OPPORTUNITY_PREVIEW]
    ) if total else []
    return {"opportunity_rows": rows, "opportunity_counts": counts, "opportunity_total": total}


def _name(a: OpportunityAssessment) -> str:
    return f"Opportunity {a.ref} {a.title}"


def review_opportunity(request: HttpRequest, pk: int) -> HttpResponse:
    """/review/opportunities/<pk>/: the update beside the last approved one, its actions."""
    a = get_opportunity_update_for_review(request, pk)
    return render(request, "riskreg/quarterly/review_opportunity.html", {
        "a": a, "period": a.period, "register": a.opportunity.register,
        "previous": last_approved(a.opportunity, a.period),
        "actions": list(OpportunityActionUpdate.objects.filter(
            period=a.period, action__opportunity=a.opportunity).order_by("due", "action_id")),
        "approve_form": ActionForm(initial={"version": a.version}),
        "return_form": ReturnForm(initial={"version": a.version}),
    })


@require_POST
def review_opportunity_approve(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_opportunity_update_for_review(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{_name(a)}: {form.errors['version'][0]}")
        return redirect("quarterly:review-opportunity", pk=pk)
    try:
        approve_assessment(assessment=a, version=form.cleaned_data["version"], by=request.user)
    except StaleVersion:
        messages.error(request, f"{_name(a)}: the update changed after you opened it: nothing "
                                "was approved. Look at it again.")
        return redirect("quarterly:review-opportunity", pk=pk)
    except (InvalidTransition, PeriodClosed) as refused:
        messages.error(request, f"{_name(a)}: {refused.messages[0]}")
        return redirect("quarterly:review-opportunity", pk=pk)
    messages.success(request, f"{_name(a)}: update approved.")
    return redirect("quarterly:review")


@require_http_methods(["GET", "POST"])
def review_opportunity_return(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_opportunity_update_for_review(request, pk)
    status = 200
    if request.method == "POST":
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                return_assessment(assessment=a, version=form.cleaned_data["version"],
                                  by=request.user, comment=form.cleaned_data["comment"])
            except StaleVersion as stale:
                form.add_error(None, "The update changed after you opened it, so it was not "
                                     "returned. Your comment is still below: check the update "
                                     "and send it again.")
                form.data = form.data.copy()
                form.data["version"] = stale.current.version
                status = 409
            except (InvalidTransition, PeriodClosed, ValidationError) as refused:
                form.add_error(None, refused.messages[0])
                status = 400
            else:
                messages.success(request, f"{_name(a)}: returned to its owner with your comment.")
                return redirect("quarterly:review")
        else:
            status = 400
    else:
        form = ReturnForm(initial={"version": a.version})
    return render(request, "riskreg/quarterly/review_opportunity_return.html",
                  {"a": a, "form": form, "period": a.period}, status=status)
