"""A risk's page (its quarters and its history), its appetite (the team's to set), and the
signed-in person's own risks."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from .. import risk_page, timeline
from ..access import can_edit_risk, get_risk_for_user, require_planner
from ..forms import AppetiteForm
from ..indicator_charts import charts_of, indicator_values
from ..locking import StaleVersion
from ..models import (
    Assessment,
    Escalation,
    Pillar,
    ReportingPeriod,
    Risk,
    RiskLead,
    RiskShare,
    SharedCommentary,
)
from ..pagecache import cached_page, every_quarter
from ..pages import in_scope, scoped_registers
from ..services import risk_appetite_digest, set_appetite
from ..together import read_together


@dataclass
class Quarters:
    assessments: list[Assessment]  # newest first, each with its period
    open_period: ReportingPeriod | None
    lead_names: list[str]
    pillar_names: list[str]


def _quarter_reads(risk: Risk) -> list[QuerySet]:
    """What _quarters_of() needs, to read with the page's other rows (risks.together): the
    risk's updates with their periods, the open period, the risk's working leads and pillars."""
    return [
        Assessment.objects.filter(risk=risk).select_related("period"),
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.OPEN),
        RiskLead.objects.filter(risk=risk).select_related("post"),
        Pillar.objects.filter(risks=risk),
    ]


def _quarters_of(rows: list[list], *, approved_only: bool) -> Quarters:
    """The risk's updates newest first, each with its period, the open period, and the risk's
    working leads and pillars in their order, from _quarter_reads()' rows."""
    assessments, open_periods, leads, pillars = rows
    open_periods.sort(key=lambda p: p.start, reverse=True)
    assessments.sort(key=lambda a: a.period.start, reverse=True)
    return Quarters(
        assessments=[a for a in assessments
                     if not approved_only or a.state == Assessment.State.APPROVED],
        # The oldest open period, were there two.
        open_period=open_periods[-1] if open_periods else None,
        lead_names=[link.post.name for link in sorted(leads, key=lambda lk: (lk.order, lk.pk))],
        pillar_names=[p.name for p in sorted(pillars, key=lambda p: (p.order, p.name))],
    )


def _quarters(risk: Risk, *, approved_only: bool) -> Quarters:
    """The risk's updates, each with its period, the open period, and the risk's working
    leads and pillars, in one query."""
    return _quarters_of(read_together(_quarter_reads(risk)), approved_only=approved_only)


@cached_page(every_quarter)
def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request, pk, with_editable=True)
    editor = can_edit_risk(request.user, risk)
    # The history holds drafts and the team's return comments: it is the editors' alone.
    history = timeline.plan(risk) if editor else None
    # Readers (the Audit Panel, other owners) see what was approved, not work in progress:
    # their quarters, and the indicators' values of those quarters.
    seen = Assessment.objects.filter(risk=risk)
    if not editor:
        seen = seen.filter(state=Assessment.State.APPROVED)
    # Where it was escalated to, and where it came from: both risks show the record.
    escalations = Escalation.objects.filter(Q(risk=risk) | Q(result_risk=risk)).for_page()
    # Read in one statement: the quarters, the indicators' values, the escalations and the
    # history.
    reads = _quarter_reads(risk)
    rows = read_together([
        *reads, indicator_values(risk, seen.values("period")), escalations,
        *(history.querysets if history else []),
    ])
    quarters = _quarters_of(rows[:len(reads)], approved_only=not editor)
    values, escalated, *records = rows[len(reads):]
    shown = _shown(quarters.assessments, request.GET.get("period"))
    periods = {a.period_id: a.period for a in quarters.assessments}
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
            "timeline": history.entries(records) if history else [],
            "shows_history": editor,
            "pillar_names": quarters.pillar_names,
            "shown": shown,
            "shown_periods": [a.period for a in quarters.assessments],
            "sections": risk_page.sections(request, risk, shown),
            "shares": _shares(risk, shown),
            "escalations": sorted(escalated, key=lambda e: (e.proposed_at, e.pk)),
            "indicator_charts": charts_of(values, periods),
            "editor": editor,
        },
    )


def _shares(risk: Risk, shown: Assessment | None) -> list:
    """The registers the risk is shared with, each with its commentary of the quarter shown
    (one query, only for a shared risk)."""
    if not risk.is_shared:
        return []
    commentary = SharedCommentary.objects.filter(
        share=OuterRef("pk"), period=shown.period_id if shown else None
    ).values("text")[:1]
    return list(RiskShare.objects.filter(risk=risk).select_related("register")
                .annotate(text=Subquery(commentary)))


def _shown(assessments: list[Assessment], slug: str | None) -> Assessment | None:
    """The update whose quarter the page's sections (the controls) show: the newest the person
    may see (readers: approved only, as AssessmentQuerySet.shown), or the one of ?period=."""
    if not slug:
        return assessments[0] if assessments else None
    found = next((a for a in assessments if a.period.slug == slug), None)
    if found is None:
        raise Http404("This risk has no update you can see in that reporting period.")
    return found


def my_risks(request: HttpRequest) -> HttpResponse:
    period = ReportingPeriod.objects.open().first()
    registers, scope_register, branch = scoped_registers(request)
    mine = in_scope(Risk.objects.owned_or_led_by(request.user).active(), scope_register, branch)
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
            "registers": registers, "scope_register": scope_register, "branch": branch,
        },
    )


@require_http_methods(["GET", "POST"])
def risk_appetite(request: HttpRequest, pk: int) -> HttpResponse:
    """/risks/<pk>/appetite/: the Planning & Risk Team sets the risk's appetite, from the open
    quarter onward (its record of the risk follows; a closed quarter keeps its own)."""
    require_planner(request)
    risk = get_risk_for_user(request, pk)
    period = ReportingPeriod.objects.open().first()
    status, conflict = 200, False
    if request.method == "POST":
        form = AppetiteForm(request.POST)
        if form.is_valid():
            chosen = {name: form.cleaned_data[name]
                      for name in ("appetite", "appetite_level", "appetite_theme", "tolerance")}
            try:
                set_appetite(risk=risk, was=form.cleaned_data["was"], by=request.user, **chosen)
            except StaleVersion as stale:
                # Someone else saved first: keep what was typed, show what is stored now.
                risk = stale.current
                data = request.POST.copy()
                data["was"] = risk_appetite_digest(risk)
                form = AppetiteForm(data)
                form.is_valid()
                form.add_error(
                    "appetite",
                    "Someone changed the appetite after you opened this page, so yours was not "
                    "saved. What it says now is shown beside it: check, then save again",
                )
                status, conflict = 409, True
            else:
                messages.success(
                    request,
                    f"Risk {risk.ref} {risk.title}: appetite saved"
                    + (f" for {period} onward." if period else "."),
                )
                return redirect("risks:risk", pk=pk)
        else:
            status = 400
    else:
        form = AppetiteForm(initial={
            "appetite": risk.appetite, "appetite_level": risk.appetite_level_id,
            "appetite_theme": risk.appetite_theme_id, "tolerance": risk.tolerance,
            "was": risk_appetite_digest(risk),
        })
    return render(
        request, "risks/risk_appetite_form.html",
        {"risk": risk, "form": form, "period": period, "conflict": conflict}, status=status,
    )
