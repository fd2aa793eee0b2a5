"""The quarterly cycle: the risk page, my risks, an update's score and progress, the review
queue, and opening and closing periods. The update's task list, controls and submission live
in controls.views, because they write controls as well."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, FilteredRelation, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from . import timeline
from .access import (
    OpenUpdate,
    can_edit_risk,
    get_assessment_for_review,
    get_open_update_for_user,
    get_risk_for_user,
    require_planner,
)
from .forms import ActionForm, ClosePeriodForm, OpenPeriodForm, ProgressForm, ReturnForm, ScoreForm
from .models import (
    Assessment,
    PeriodClosed,
    Progress,
    ReportingPeriod,
    Risk,
    RiskLead,
    ScoreChangeSource,
    Trend,
    attach_previous,
)
from .pagination import CountOf, get_page
from .registers import lead_names, lead_names_subquery, url_maker
from .scoring import Scale
from .services import (
    InvalidTransition,
    NotEditable,
    StaleVersion,
    approve_assessment,
    close_period,
    last_approved,
    open_period,
    return_assessment,
    save_assessment,
)


@dataclass
class Quarters:
    assessments: list[Assessment]  # newest first, each with its period
    open_period: ReportingPeriod | None
    lead_names: list[str]


def _quarters(risk: Risk, *, approved_only: bool) -> Quarters:
    """The risk's updates, each with its period, the open period, and the risk's working
    leads, in one query: the periods that are open or hold an update of the risk, with that
    update's columns beside them and the leads (an uncorrelated subquery) on every row."""
    names = [f.attname for f in Assessment._meta.concrete_fields]
    rows = list(
        ReportingPeriod.objects.annotate(
            mine=FilteredRelation("assessments", condition=Q(assessments__risk=risk))
        )
        .filter(Q(state=ReportingPeriod.State.OPEN) | Q(mine__isnull=False))
        .annotate(
            **{f"mine_{name}": F(f"mine__{name}") for name in names},
            risk_leads=lead_names_subquery(risk),
        )
        .order_by("-start")
    )
    # Never assessed and no period open (no rows): the leads on their own.
    leads = lead_names(rows[0].risk_leads) if rows else [
        link.post.name for link in RiskLead.objects.filter(risk=risk).select_related("post")
    ]
    quarters = Quarters(assessments=[], open_period=None, lead_names=leads)
    for period in rows:
        if period.is_open:
            quarters.open_period = period
        values = [getattr(period, f"mine_{name}") for name in names]
        if values[0] is None:  # the open period, with no update of this risk yet
            continue
        a = Assessment.from_db(Assessment.objects.db, names, values)
        if approved_only and a.state != Assessment.State.APPROVED:
            continue
        a.period = period
        quarters.assessments.append(a)
    return quarters


def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request, pk)
    editor = can_edit_risk(request.user, risk)
    # Readers (the Audit Panel, other owners) see what was approved, not work in progress.
    quarters = _quarters(risk, approved_only=not editor)
    entries = timeline.for_risk(risk)
    if not editor:
        entries = [e for e in entries if not e.in_open_period]
    return render(
        request,
        "risks/risk_detail.html",
        {
            "risk": risk,
            "lead_names": quarters.lead_names,
            "assessments": quarters.assessments,
            "latest_approved": next(
                (a for a in quarters.assessments if a.state == Assessment.State.APPROVED), None
            ),
            "open_period": quarters.open_period,
            "can_update": quarters.open_period is not None and editor,
            "timeline": entries,
        },
    )


def my_risks(request: HttpRequest) -> HttpResponse:
    period = ReportingPeriod.objects.open().first()
    mine = Risk.objects.owned_or_led_by(request.user).active()
    assessments: list[Assessment] = []
    not_started: list[Risk] = []
    if period is not None:
        assessments = list(
            Assessment.objects.filter(period=period, risk__in=mine.values("pk"))
            .select_related("risk__register", "risk__owner", "updated_by")
            .order_by("risk__register__name", "risk__ref")
        )
        not_started = list(
            mine.exclude(assessments__period=period)
            .select_related("register")
            .order_by("register__name", "ref")
        )
    post_ids = set(request.user.posts.values_list("pk", flat=True))
    for a in assessments:
        a.role = "Owner" if a.risk.owner_id in post_ids else "Working lead"
    waiting = sum(a.state in Assessment.EDITABLE_STATES for a in assessments) + len(not_started)
    return render(
        request,
        "risks/my_risks.html",
        {
            "period": period,
            "assessments": assessments,
            "not_started": not_started,
            "waiting": waiting,
            "overdue": period is not None and timezone.localdate() > period.deadline,
        },
    )


def _editable_update(request: HttpRequest, pk: int) -> OpenUpdate | HttpResponse:
    """The open update if it can be edited now; otherwise where to send the person."""
    update = get_open_update_for_user(request, pk)
    if update.assessment is None or update.assessment.state not in Assessment.EDITABLE_STATES:
        if update.assessment is not None and request.method == "POST":
            messages.error(
                request,
                f"This update is {update.assessment.get_state_display().lower()}: "
                "it can no longer be changed, and nothing was saved.",
            )
        return redirect("controls:update", pk=pk)
    return update


def _saved(request: HttpRequest, update: OpenUpdate, assessment: Assessment, what: str) -> None:
    text = f"{what} saved as a draft for {update.period}."
    previous = last_approved(update.risk, update.period)
    if assessment.moves_away_from_target(previous):
        text += " The new score is further from the target than last quarter's."
    messages.success(request, text)


def _conflict(
    request: HttpRequest, *, update: OpenUpdate, form, fields: list[str], current: Assessment
) -> HttpResponse:
    """The person's answers beside what is stored now, with a way to keep either. Nothing lost."""
    labels = {
        "likelihood": "Likelihood", "impact": "Impact",
        "score_change_source": "Why the score changed", "trend": "Trend",
        "progress": "Progress towards the target", "reasons": "Reasons",
        "commentary": "Commentary",
    }
    choices = {
        "likelihood": dict(Scale.choices), "impact": dict(Scale.choices),
        "score_change_source": dict(ScoreChangeSource.choices), "trend": dict(Trend.choices),
        "progress": dict(Progress.choices),
    }

    def shown(name, value):
        if value in (None, ""):
            return "—"
        return str(choices.get(name, {}).get(value, value))

    rows = []
    for name in fields:
        yours = form.cleaned_data.get(name) if name in form.cleaned_data else form.data.get(name)
        stored = getattr(current, name)
        if name in choices and yours not in (None, ""):
            yours = int(yours) if name in ("likelihood", "impact") else yours
        rows.append(
            {
                "label": labels[name],
                "yours": shown(name, yours),
                "stored": shown(name, stored),
                "differs": shown(name, yours) != shown(name, stored),
            }
        )
    keep = [(name, form.data.get(name, "")) for name in fields]
    return render(
        request,
        "risks/assessment_conflict.html",
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


@require_http_methods(["GET", "POST"])
def update_score(request: HttpRequest, pk: int) -> HttpResponse:
    update = _editable_update(request, pk)
    if isinstance(update, HttpResponse):
        return update
    assessment = update.assessment
    previous = last_approved(update.risk, update.period)
    if request.method == "POST":
        form = ScoreForm(request.POST, assessment=assessment, previous=previous)
        if "preview" in request.POST:
            # Show the band and the warning for these answers without saving anything.
            context = _score_context(update, form, previous)
            template = "risks/assessment_score_form.html"
            return render(request, f"{template}#band" if request.htmx else template, context)
        if form.is_valid():
            return _save_section(
                request, update, form, fields=["likelihood", "impact", "score_change_source"],
                what="The score was", next_url=reverse("risks:update-progress", args=[pk]),
            )
    else:
        form = ScoreForm(
            initial={
                "likelihood": assessment.likelihood,
                "impact": assessment.impact,
                "score_change_source": assessment.score_change_source,
                "version": assessment.version,
            },
            assessment=assessment,
            previous=previous,
        )
    return render(
        request, "risks/assessment_score_form.html", _score_context(update, form, previous)
    )


def _save_section(
    request: HttpRequest, update: OpenUpdate, form, *, fields: list[str], what: str, next_url: str
) -> HttpResponse:
    """Save one section of the update: on to the next, or the conflict page if it was stale."""
    try:
        saved = save_assessment(
            assessment=update.assessment, version=form.cleaned_data["version"],
            by=request.user, changes=form.changes(),
        )
    except StaleVersion as stale:
        return _conflict(request, update=update, form=form, current=stale.current, fields=fields)
    except (NotEditable, PeriodClosed) as refused:
        messages.error(request, refused.messages[0])
        return redirect("controls:update", pk=update.risk.pk)
    _saved(request, update, saved, what)
    return redirect(next_url)


def _score_context(update: OpenUpdate, form: ScoreForm, previous: Assessment | None) -> dict:
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
    }


@require_http_methods(["GET", "POST"])
def update_progress(request: HttpRequest, pk: int) -> HttpResponse:
    update = _editable_update(request, pk)
    if isinstance(update, HttpResponse):
        return update
    assessment = update.assessment
    if request.method == "POST":
        form = ProgressForm(request.POST)
        if form.is_valid():
            return _save_section(
                request, update, form, fields=["trend", "progress", "reasons", "commentary"],
                what="The trend, progress and commentary were",
                next_url=reverse("controls:update-controls", args=[pk]),
            )
    else:
        form = ProgressForm(
            initial={
                "trend": assessment.trend,
                "progress": assessment.progress,
                "reasons": assessment.reasons,
                "commentary": assessment.commentary,
                "version": assessment.version,
            }
        )
    return render(
        request,
        "risks/assessment_progress_form.html",
        {
            "risk": update.risk,
            "period": update.period,
            "assessment": assessment,
            "previous": last_approved(update.risk, update.period),
            "form": form,
        },
    )


# The Planning & Risk Team's review queue ------------------------------------------------------


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
# What a row shows: the risk and its owner, and who submitted or reviewed it (whoever last
# saved a draft is only tested for, by id). The period is the page's.
_QUEUE_RELATED = ("risk__owner", "submitted_by", "reviewed_by")
_QUEUE_ORDER = ("risk__register__name", "risk__ref")


def _queue_period(
    request: HttpRequest, periods: list[ReportingPeriod]
) -> ReportingPeriod | None:
    """The period asked for, else the open one, else the latest (ReportingPeriod.current)."""
    slug = request.GET.get("period")
    if slug:
        found = next((p for p in periods if p.slug == slug), None)
        if found is None:
            raise Http404("There is no reporting period with that name.")
        return found
    return next((p for p in periods if p.is_open), periods[0] if periods else None)


def _queue_counts(period: ReportingPeriod) -> dict[str, int]:
    """How many updates are in each state, and how many active risks have none (one query).

    Active risks with no update are counted without looking each one up: the active risks,
    less the period's updates of active risks, which are its updates less those of the few
    inactive risks. (Testing every risk for an update took two thirds of the query.)
    """
    states = Assessment.State
    inactive = Risk.objects.filter(is_active=False).values("pk")
    counts = (
        ReportingPeriod.objects.filter(pk=period.pk)
        .annotate(
            **{
                state: Count("assessments", filter=Q(assessments__state=state))
                for state in states.values
            },
            active_risks=CountOf(Risk.objects.active().values("pk")),
            inactive_updated=CountOf(
                Assessment.objects.filter(period=period, risk__in=inactive).values("pk")
            ),
        )
        .values(*states.values, "active_risks", "inactive_updated")
        .get()
    )
    updated = sum(counts[state] for state in states.values)
    counts["not_started"] = counts.pop("active_risks") - (updated - counts.pop("inactive_updated"))
    counts["not_submitted"] = counts[states.DRAFT] + counts["not_started"]
    counts["total"] = updated + counts["not_started"]
    return counts


def _with_urls(assessments: list[Assessment]) -> list[Assessment]:
    """Each row's links, reversed once for the page rather than five times a row."""
    detail, approve, give_back = (
        url_maker(name)
        for name in ("controls:review-detail", "risks:review-approve", "risks:review-return")
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


def _not_submitted(period: ReportingPeriod):
    """Who has not submitted: drafts, and active risks with no update at all, as risks in the
    register's order, each with its draft's id, when it was saved and by whom."""
    this = FilteredRelation("assessments", condition=Q(assessments__period=period))
    return (
        Risk.objects.annotate(this=this)
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


def review_queue(request: HttpRequest) -> HttpResponse:
    """Updates by state, and who has not submitted; each table shows its first rows and its
    count, and ?show=<table> lists one table a page at a time. A fixed number of queries
    whatever the number of risks (5,000 rendered in full took two seconds): the periods, the
    counts, the rows shown (one query for the three tables of updates), their previous
    updates, and who has not submitted."""
    require_planner(request)
    periods = list(ReportingPeriod.objects.all())
    period = _queue_period(request, periods)
    show = request.GET.get("show")
    if show not in QUEUE_LISTS:
        show = None
    context = {"period": period, "periods": periods, "show": show}
    if period is None:
        return render(request, "risks/review_queue.html", context)
    counts = _queue_counts(period)
    tables: dict[str, list] = {name: [] for name in QUEUE_LISTS}
    page = None
    if show == "not_submitted":
        page = get_page(_not_submitted(period), request.GET.get("page"), QUEUE_PAGE_SIZE)
        tables[show] = _with_saver_names(list(page))
    elif show:
        page = get_page(
            Assessment.objects.filter(period=period, state=QUEUE_LISTS[show])
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
                first |= Q(pk__in=Assessment.objects.filter(period=period, state=state)
                           .order_by(*_QUEUE_ORDER).values("pk")[:QUEUE_PREVIEW[name]])
        # The period as well, so that the database reads the period's updates rather than
        # every update of every quarter to test each against the three subqueries.
        first = (
            Assessment.objects.filter(first, period=period)
            .select_related(*_QUEUE_RELATED).order_by(*_QUEUE_ORDER)
        )
        by_state = {state: name for name, state in QUEUE_LISTS.items()}
        for a in _with_previous(list(first)):
            tables[by_state[a.state]].append(a)
        tables["not_submitted"] = _with_saver_names(
            list(_not_submitted(period)[:QUEUE_PREVIEW["not_submitted"]])
        )
    if page is not None:
        context.update(
            page=page,
            page_links=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        )
    context.update(
        counts=counts,
        submitted=tables["submitted"],
        returned=tables["returned"],
        approved=tables["approved"],
        not_submitted_rows=tables["not_submitted"],
        not_submitted=counts["not_submitted"],
        total=counts["total"],
    )
    return render(request, "risks/review_queue.html", context)


def _queue_row(request: HttpRequest, assessment: Assessment, error: str = "") -> HttpResponse:
    assessment = attach_previous(
        Assessment.objects.filter(pk=assessment.pk)
        .with_previous_id()
        .select_related("period", *_QUEUE_RELATED)
    )[0]
    assessment.changes = assessment.changes_since(assessment.previous)
    _with_urls([assessment])
    return render(
        request, "risks/review_queue.html#row",
        {"a": assessment, "period": assessment.period, "error": error},
    )


def _refused(request: HttpRequest, assessment: Assessment, error: Exception) -> HttpResponse:
    """Nothing changed: say why, in the row (htmx) or in a banner on the queue."""
    text = error.messages[0] if isinstance(error, ValidationError) else str(error)
    if request.htmx:
        return _queue_row(request, assessment, error=text)
    messages.error(request, f"Risk {assessment.risk.ref} {assessment.risk.title}: {text}")
    return redirect("risks:review")


@require_POST
def review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_review(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _refused(request, assessment, ValidationError(form.errors["version"][0]))
    try:
        approve_assessment(assessment=assessment, version=form.cleaned_data["version"], by=request.user)
    except StaleVersion:
        return _refused(
            request, assessment,
            ValidationError("The update changed after you opened the queue: nothing was approved. "
                            "Look at it again."),
        )
    except (InvalidTransition, PeriodClosed) as refused:
        return _refused(request, assessment, refused)
    if request.htmx:
        return _queue_row(request, assessment)
    messages.success(request, f"Risk {assessment.risk.ref} {assessment.risk.title}: update approved.")
    return redirect("risks:review")


@require_http_methods(["GET", "POST"])
def review_return(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_assessment_for_review(request, pk)
    if request.method == "POST":
        form = ReturnForm(request.POST)
        if form.is_valid():
            try:
                return_assessment(
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
                    return _queue_row(request, assessment)
                messages.success(
                    request,
                    f"Risk {assessment.risk.ref} {assessment.risk.title}: returned to the owner "
                    "with your comment.",
                )
                return redirect("risks:review")
    else:
        form = ReturnForm(initial={"version": assessment.version})
    context = {"a": assessment, "form": form, "period": assessment.period}
    if request.htmx:
        return render(request, "risks/review_queue.html#return-row", context)
    return render(request, "risks/assessment_return_form.html", context)


# Reporting periods -------------------------------------------------------------------------------


def period_list(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    periods = ReportingPeriod.objects.annotate(
        updates=Count("assessments"),
        approved=Count("assessments", filter=Q(assessments__state=Assessment.State.APPROVED)),
    ).select_related("closed_by")
    return render(
        request,
        "risks/reportingperiod_list.html",
        {"periods": periods, "open_period": next((p for p in periods if p.is_open), None)},
    )


@require_http_methods(["GET", "POST"])
def period_open(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    if request.method == "POST":
        form = OpenPeriodForm(request.POST)
        if form.is_valid():
            try:
                period = open_period(**form.cleaned_data, by=request.user)
            except ValidationError as refused:
                form.add_error(None, refused)
            else:
                count = period.assessments.count()
                messages.success(
                    request,
                    f"{period} is open. {count} risk update{'s' if count != 1 else ''} "
                    "carried forward as drafts from the last approved quarter.",
                )
                return redirect("risks:review")
    else:
        form = OpenPeriodForm(initial=_next_quarter())
    return render(request, "risks/reportingperiod_form.html", {"form": form})


def _next_quarter() -> dict:
    """Suggest the quarter after the latest one."""
    latest = ReportingPeriod.objects.order_by("-start").first()
    if latest is None or latest.end >= datetime.date(9999, 9, 30):  # no quarter after it fits
        return {}
    start = latest.end + datetime.timedelta(days=1)
    month = start.month + 3
    year = start.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    end = datetime.date(year, month, 1) - datetime.timedelta(days=1)
    return {"start": start, "end": end}


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
    if request.method == "POST":
        form = ClosePeriodForm(request.POST)
        if form.is_valid():
            try:
                close_period(period=period, by=request.user, incomplete=form.cleaned_data["incomplete"])
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
                return redirect("risks:periods")
    else:
        form = ClosePeriodForm()
    states = [
        (label, counts.get(value, 0), value) for value, label in Assessment.State.choices
    ]
    return render(
        request,
        "risks/reportingperiod_confirm_close.html",
        {
            "period": period, "form": form, "states": states, "waiting": waiting,
            "review_url": reverse("risks:review") + f"?period={period.slug}",
        },
    )
