"""The Planning & Risk Team's review: the queue of a period's updates, one update beside the
last approved one (its controls included), approve, return with a comment, and mark which of
its controls are key. Text carried forward unchanged is flagged on both pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, FilteredRelation, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from controls.models import Control, ControlUpdate
from controls.quarter import control_rows
from controls.services import set_key_control
from risks.access import get_assessment_for_review, require_planner
from risks.indicators import entries
from risks.locking import StaleVersion
from risks.models import (
    Assessment,
    IndicatorValue,
    OpportunityAssessment,
    PeriodClosed,
    ReportingPeriod,
    Risk,
    attach_previous,
)
from risks.pagecache import cached_page, named_quarter, periods_for
from risks.pages import choose_period, in_scope, pagination, scoped_registers, url_maker
from risks.pagination import CountOf, get_page
from risks.services import InvalidTransition, last_approved

from .forms import ActionForm, KeyControlForm, ReturnForm
from .review_opportunities import opportunity_queue
from .services import approve_update, return_update
from .update import commentary_flag

# Each table of the queue shows its first rows (the updates waiting for review most of them);
# "Show all" lists one table a page at a time.
QUEUE_PREVIEW = {"submitted": 25, "returned": 10, "approved": 10, "not_submitted": 10}
QUEUE_PAGE_SIZE = 50
QUEUE_LISTS = {
    "submitted": Assessment.State.SUBMITTED,
    "returned": Assessment.State.RETURNED,
    "approved": Assessment.State.APPROVED,
    "not_submitted": None,  # drafts, and active risks not started
}
# What a row shows: the risk and its owner as the quarter records them, and who submitted or
# reviewed it (whoever last saved a draft is only tested for, by id). The period is the page's.
_QUEUE_RELATED = ("submitted_by", "reviewed_by")
_QUEUE_ORDER = ("risk__register__name", "ref")
_PAGE = "riskreg/quarterly/review_queue.html"

# Announced to the queue page when a row's update is approved or returned in place: its counts
# (QUEUE_COUNTS) read themselves again (review_queue.html).
QUEUE_CHANGED = "rr-queue-changed"
QUEUE_COUNTS = "queue-counts"


def queue_counts(period: ReportingPeriod, scope=None) -> dict[str, int]:
    """How many updates are in each state, and how many active risks have none (one query).

    Active risks with no update are counted without looking each one up: the active risks,
    less the period's updates of active risks, which are its updates less those of the few
    inactive risks. (Testing every risk for an update took two thirds of the query.)
    """
    states = Assessment.State
    risks = Risk.objects.all() if scope is None else Risk.objects.filter(pk__in=scope)
    inactive = risks.filter(is_active=False).values("pk")
    within = Q() if scope is None else Q(assessments__risk__in=scope)
    counts = (
        ReportingPeriod.objects.filter(pk=period.pk)
        .annotate(
            **{
                state: Count("assessments", filter=Q(assessments__state=state) & within)
                for state in states.values
            },
            active_risks=CountOf(risks.active().values("pk")),
            inactive_updated=CountOf(
                Assessment.objects.filter(period=period, risk__in=inactive).values("pk")
            ),
            # Opportunities' updates, counted apart (never added to the risks' figures).
            **{
                f"opportunity_{state}": CountOf(
                    OpportunityAssessment.objects.filter(period=period, state=state).values("pk")
                )
                for state in states.values
            },
        )
        .values(*states.values, "active_risks", "inactive_updated",
                *(f"opportunity_{state}" for state in states.values))
        .get()
    )
    counts["opportunities"] = {
        state: counts.pop(f"opportunity_{state}") for state in states.values
    }
    updated = sum(counts[state] for state in states.values)
    counts["not_started"] = counts.pop("active_risks") - (updated - counts.pop("inactive_updated"))
    counts["not_submitted"] = counts[states.DRAFT] + counts["not_started"]
    counts["total"] = updated + counts["not_started"]
    return counts


def _with_carried_notes(rows):
    """Annotate carried_notes: how many of the update's control records this quarter keep the
    previous record's note unchanged (a subquery: no query of its own)."""
    carried = (
        ControlUpdate.objects.filter(
            period=OuterRef("period"), risk=OuterRef("risk"), note_carried_from__isnull=False
        )
        .order_by()
        .values("period")
        .annotate(n=Count("pk"))
        .values("n")
    )
    out = (
        IndicatorValue.objects.filter(
            period=OuterRef("period"), indicator__risk=OuterRef("risk")
        ).out_of_threshold()
        .order_by()
        .values("period")
        .annotate(n=Count("pk"))
        .values("n")
    )
    # And indicators_out: how many of its key risk indicators are out of threshold this quarter.
    return rows.annotate(carried_notes=Coalesce(Subquery(carried), 0),
                         indicators_out=Coalesce(Subquery(out), 0))


def _with_urls(assessments: list[Assessment]) -> list[Assessment]:
    """Each row's links, reversed once for the page rather than five times a row."""
    detail, approve, give_back = (
        url_maker(name)
        for name in ("quarterly:review-detail", "quarterly:review-approve", "quarterly:review-return")
    )
    for a in assessments:
        a.detail_url, a.approve_url, a.return_url = detail(a.pk), approve(a.pk), give_back(a.pk)
    return assessments


def _with_previous(assessments: list[Assessment]) -> list[Assessment]:
    """Set .previous (the risk's last approved update before) and .changes on each (one query)."""
    previous_ids = Assessment.objects.filter(pk__in=[a.pk for a in assessments]).with_previous_id()
    previous = {
        p.risk_id: p
        for p in Assessment.objects.filter(pk__in=previous_ids.values("previous_id"))
        .select_related("period")
    } if assessments else {}
    for a in assessments:
        a.previous = previous.get(a.risk_id)
        a.changes = a.changes_since(a.previous)
    return _with_urls(assessments)


def _not_submitted(period: ReportingPeriod, scope=None):
    """Who has not submitted: drafts, and active risks with no update at all, as risks in the
    register's order, each with its draft's id, when it was saved and by whom."""
    this = FilteredRelation("assessments", condition=Q(assessments__period=period))
    return (
        (Risk.objects if scope is None else Risk.objects.filter(pk__in=scope)).annotate(this=this)
        .filter(Q(this__state=Assessment.State.DRAFT) | Q(this__isnull=True, is_active=True))
        .select_related("register", "owner")
        .annotate(
            draft_id=F("this__id"),
            saved_at=F("this__updated_at"),
            saved_by_id=F("this__updated_by"),
            saved_by_first_name=F("this__updated_by__first_name"),
            saved_by_last_name=F("this__updated_by__last_name"),
            saved_by_username=F("this__updated_by__username"),
        )
        .order_by("register__name", "ref")
    )


def _with_saver_names(risks: list[Risk]) -> list[Risk]:
    """saved_by_name as User.get_full_name() gives it, from the annotated first and last name."""
    for risk in risks:
        risk.saved_by_name = f"{risk.saved_by_first_name or ''} {risk.saved_by_last_name or ''}"
        risk.saved_by_name = risk.saved_by_name.strip()
    return risks


@cached_page(named_quarter)
def review_queue(request: HttpRequest) -> HttpResponse:
    """Updates by state, and who has not submitted; each table shows its first rows and its
    count, and ?show=<table> lists one table a page at a time. A fixed number of queries
    whatever the number of risks (5,000 rendered in full took two seconds): the periods, the
    counts, the rows shown (one query for the three tables of updates), their previous
    updates, and who has not submitted."""
    require_planner(request)
    periods = periods_for(request)
    period = choose_period(periods, request.GET.get("period"))
    show = request.GET.get("show")
    if show not in QUEUE_LISTS:
        show = None
    registers, scope_register, branch = scoped_registers(request)
    context = {"period": period, "periods": periods, "show": show, "registers": registers,
               "scope_register": scope_register, "branch": branch}
    if period is None:
        return render(request, _PAGE, context)
    # ?register= (and ?scope=branch): the queue of one register, or of its branch.
    scope = (in_scope(Risk.objects.all(), scope_register, branch).values("pk")
             if scope_register else None)
    within = Q() if scope is None else Q(risk__in=scope)
    counts = queue_counts(period, scope)
    context.update(counts=counts, not_submitted=counts["not_submitted"], total=counts["total"])
    if request.htmx.target == QUEUE_COUNTS:
        # After a change in a row (QUEUE_CHANGED): the counts alone, not the tables' rows, and
        # the count of each table of updates the page shows.
        context["refreshed"] = [(name, counts[name]) for name, state in QUEUE_LISTS.items()
                                if state and show in (None, name)]
        return render(request, f"{_PAGE}#counts-refresh", context)
    tables: dict[str, list] = {name: [] for name in QUEUE_LISTS}
    page = None
    if show == "not_submitted":
        page = get_page(_not_submitted(period, scope), request.GET.get("page"), QUEUE_PAGE_SIZE)
        tables[show] = _with_saver_names(list(page))
    elif show:
        page = get_page(
            _with_carried_notes(Assessment.objects.filter(within, period=period,
                                                          state=QUEUE_LISTS[show]))
            .select_related(*_QUEUE_RELATED).order_by(*_QUEUE_ORDER),
            request.GET.get("page"), QUEUE_PAGE_SIZE,
        )
        tables[show] = _with_previous(list(page))
    else:
        # The first rows of each table of updates, in one query: the first of each state, each
        # found by its own LIMIT subquery.
        first = Q()
        for name, state in QUEUE_LISTS.items():
            if state:
                first |= Q(pk__in=Assessment.objects.filter(within, period=period, state=state)
                           .order_by(*_QUEUE_ORDER).values("pk")[:QUEUE_PREVIEW[name]])
        # The period as well, so that the database reads the period's updates rather than
        # every update of every quarter to test each against the three subqueries.
        first = (
            _with_carried_notes(Assessment.objects.filter(first, period=period))
            .select_related(*_QUEUE_RELATED).order_by(*_QUEUE_ORDER)
        )
        by_state = {state: name for name, state in QUEUE_LISTS.items()}
        for a in _with_previous(list(first)):
            tables[by_state[a.state]].append(a)
        tables["not_submitted"] = _with_saver_names(
            list(_not_submitted(period, scope)[:QUEUE_PREVIEW["not_submitted"]])
        )
    if page is not None:
        context["pages"] = pagination(request, page)
    context.update(
        submitted=tables["submitted"],
        returned=tables["returned"],
        approved=tables["approved"],
        not_submitted_rows=tables["not_submitted"],
        # Opportunities: a table of their own, never counted with the risks above.
        **(opportunity_queue(period, counts["opportunities"]) if not show else {}),
    )
    return render(request, _PAGE, context)


def submitter_role(a: Assessment) -> str:
    """Who a return goes back to: "lead" when a working lead (not the owner) submitted it."""
    by = a.submitted_by_id
    if by is None or a.risk.owner is not None and a.risk.owner.holders.filter(pk=by).exists():
        return "owner"
    return "lead" if a.risk.leads.filter(holders=by).exists() else "owner"


def return_history(a: Assessment) -> list:
    """Every time the update was returned, oldest first, with who returned it and the comment
    (the history keeps each; the update itself holds only the latest)."""
    return list(
        Assessment.history.filter(id=a.pk, history_change_reason="Returned")
        .select_related("history_user").order_by("history_date")
    )


def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """/review/<pk>/: one update beside the last approved one, controls included."""
    a = get_assessment_for_review(request, pk)
    previous = last_approved(a.risk, a.period)
    role = submitter_role(a)
    return_form = ReturnForm(initial={"version": a.version}, role=role)
    return_form.fields["comment"].help_text = f"Or return it to the {role}: tell them what to change."
    return render(
        request,
        "riskreg/quarterly/review_detail.html",
        {
            "a": a,
            "risk": a.risk,
            "period": a.period,
            "previous": previous,
            "changes": a.changes_since(previous),
            "rows": control_rows(a.risk, a.period),
            "approve_form": ActionForm(initial={"version": a.version}),
            "return_form": return_form,
            "commentary_flag": commentary_flag(a, previous),
            "role": role,
            "returns": return_history(a),
            "kri": entries(a.risk, a.period),
        },
    )


@require_POST
def review_key_control(request: HttpRequest, pk: int, control_pk: int) -> HttpResponse:
    """The team marks one of the update's controls as key (shown in Appendix B) or not, from
    the open quarter onward; a closed quarter's record keeps what it showed."""
    a = get_assessment_for_review(request, pk)
    control = get_object_or_404(Control, pk=control_pk, risk=a.risk_id, is_active=True)
    form = KeyControlForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose whether the control is a key control.")
        return redirect("quarterly:review-detail", pk=pk)
    try:
        set_key_control(control=control, period=a.period, is_key=form.cleaned_data["is_key"],
                        by=request.user)
    except PeriodClosed as refused:
        messages.error(request, f"“{control.title}”: {refused.messages[0]}")
        return redirect("quarterly:review-detail", pk=pk)
    messages.success(
        request,
        f"“{control.title}” is a key control: Appendix B shows it." if form.cleaned_data["is_key"]
        else f"“{control.title}” is no longer a key control.",
    )
    return redirect(reverse("quarterly:review-detail", args=[pk]) + "#controls")


def _queue_row(request: HttpRequest, assessment: Assessment, error: str = "") -> HttpResponse:
    assessment = attach_previous(
        _with_carried_notes(Assessment.objects.filter(pk=assessment.pk))
        .with_previous_id()
        .select_related("period", *_QUEUE_RELATED)
    )[0]
    assessment.changes = assessment.changes_since(assessment.previous)
    _with_urls([assessment])
    return render(
        request, f"{_PAGE}#row",
        {"a": assessment, "period": assessment.period, "error": error},
    )


def _changed_row(request: HttpRequest, assessment: Assessment) -> HttpResponse:
    return trigger_client_event(_queue_row(request, assessment), QUEUE_CHANGED)


def _refused(request: HttpRequest, assessment: Assessment, error: Exception) -> HttpResponse:
    """Nothing changed: say why, in the row (htmx) or in a banner on the queue."""
    text = error.messages[0] if isinstance(error, ValidationError) else str(error)
    if request.htmx:
        return _queue_row(request, assessment, error=text)
    messages.error(request, f"Risk {assessment.risk.ref} {assessment.risk.title}: {text}")
    return redirect("quarterly:review")


@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_review(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _refused(request, assessment, ValidationError(form.errors["version"][0]))
    try:
        approve_update(assessment=assessment, version=form.cleaned_data["version"], by=request.user)
    except StaleVersion:
        return _refused(
            request, assessment,
            ValidationError("The update changed after you opened the queue: nothing was approved. "
                            "Look at it again."),
        )
    except (InvalidTransition, PeriodClosed) as refused:
        return _refused(request, assessment, refused)
    if request.htmx:
        return _changed_row(request, assessment)
    messages.success(request, f"Risk {assessment.risk.ref} {assessment.risk.title}: update approved.")
    return redirect("quarterly:review")


@require_http_methods(["GET", "POST"])
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_review(request, pk)
    role = submitter_role(assessment)
    if request.method == "POST":
        form = ReturnForm(request.POST, role=role)
        if form.is_valid():
            try:
                return_update(
                    assessment=assessment, version=form.cleaned_data["version"],
                    by=request.user, comment=form.cleaned_data["comment"],
                )
            except StaleVersion as stale:
                form.add_error(
                    None,
                    "The update changed after you opened it, so it was not returned. "
                    "Your comment is still below: check the update and send it again.",
                )
                assessment = stale.current
                form.data = form.data.copy()
                form.data["version"] = stale.current.version
            except (InvalidTransition, PeriodClosed, ValidationError) as refused:
                form.add_error(None, refused.messages[0])
            else:
                if request.htmx:
                    return _changed_row(request, assessment)
                messages.success(
                    request,
                    f"Risk {assessment.risk.ref} {assessment.risk.title}: returned to the {role} "
                    "with your comment.",
                )
                return redirect("quarterly:review")
    else:
        form = ReturnForm(initial={"version": assessment.version}, role=role)
    context = {"a": assessment, "form": form, "period": assessment.period, "role": role}
    if request.htmx:
        return render(request, f"{_PAGE}#return-row", context)
    return render(request, "riskreg/quarterly/assessment_return_form.html", context)
