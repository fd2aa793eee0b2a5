"""Every table page as a download (.csv or .xlsx): the page's own querysets, filters and access
rules, every row rather than a page of them.

Each view reads the query string its page reads (period, filters, sort, show, year), so the
link "the current address plus format" downloads what the page shows. What a person may see
is decided exactly as on the page: AssessmentQuerySet.shown for a quarter's updates,
reads_everything for control notes (Appendix B's OFFICIAL-SENSITIVE content), the risk page's
editor rule for drafts and history.
"""

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from maturity.access import get_plan_for_user
from maturity.models import TARGET_LEVEL, assessment_year_for
from maturity.plan import FILTERS, appendix_c, filtered
from maturity.selfassessment import results_for, years_with_results
from riskreg.quarterly import review as review_page
from riskreg.quarterly.changes import changes_since_previous
from risks import timeline
from risks.access import can_edit_risk, get_register_for_user, get_risk_for_user, require_planner
from risks.changes import compare_rows, moves_of
from risks.dashboard import dashboard_counts
from risks.filters import (
    STATE_LABELS,
    RegisterFilterForm,
    owner_choices,
    record_note,
    register_rows,
)
from risks.models import (
    Assessment,
    AssessmentPillar,
    Pillar,
    Register,
    ReportingPeriod,
    reads_everything,
)
from risks.pages import choose_period, previous_period
from risks.scoring import position_label
from risks.views.risks import _quarters

from .columns import level_word
from .tables import Table, chosen_format, download

# The register's columns: those the import reads (columns.COLUMNS, by heading) and, beside
# them, what the page derives (columns.DERIVED), which the import passes over.
REGISTER_HEADINGS = [
    "Ref", "Title", "Horizon", "Owner", "Leads", "Likelihood", "Impact", "Score", "Band",
    "Trend", "Progress", "RAG", "Target likelihood", "Target impact", "Target score", "Pillars",
    "Description", "Description agreed", "Appetite", "Commentary", "Reasons",
    "Not rated because", "Status",
]


def register_table(register: Register, period: ReportingPeriod, user, query, periods) -> Table:
    """The register of `period` as `user` may see it, with the page's filters and sort
    (`periods`: every period, for the notes of rows last approved in an earlier one)."""
    rows = Assessment.objects.of_register(register).shown(period, user)
    form = RegisterFilterForm(query, owners=owner_choices(rows), pillars=list(Pillar.objects.all()))
    found = list(
        register_rows(rows, form.filters(), form.sort_key).defer(None).prefetch_related(
            Prefetch("pillar_links", queryset=AssessmentPillar.objects.select_related("pillar")
                     .order_by("pillar__order", "pillar__name"))
        )
    )
    names = {p.pk: p.name for p in periods}
    table = Table(f"{register.name} {period.name}", REGISTER_HEADINGS)
    for a in found:
        band = a.band
        note, _ = record_note(a, period, names)
        table.rows.append([
            a.ref, a.title, a.get_horizon_display(), a.owner_name, "; ".join(a.lead_names),
            level_word(a.likelihood), level_word(a.impact), a.score, band.label if band else "",
            a.get_trend_display(), a.get_progress_display(), a.rag_label,
            level_word(a.target_likelihood), level_word(a.target_impact), a.target_score,
            "; ".join(link.pillar.name for link in a.pillar_links.all()),
            a.description, a.description_agreed, a.appetite, a.commentary, a.reasons,
            a.not_rated_reason if a.not_rated else "", note or "Approved",
        ])
    return table


def _period(request: HttpRequest, periods=None, name="period"):
    periods = periods if periods is not None else list(ReportingPeriod.objects.all())
    return choose_period(periods, request.GET.get(name), request.user), periods


def register_export(request: HttpRequest, slug: str) -> HttpResponse:
    register = get_register_for_user(request, slug)
    fmt = chosen_format(request)
    period, periods = _period(request)
    if period is None:
        return download([Table(register.name, REGISTER_HEADINGS)], fmt, register.slug)
    table = register_table(register, period, request.user, request.GET, periods)
    return download([table], fmt, f"{register.slug}-{period.slug}")


def compare_export(request: HttpRequest, slug: str) -> HttpResponse:
    register = get_register_for_user(request, slug)
    fmt = chosen_format(request)
    periods = list(ReportingPeriod.objects.all())
    after = choose_period(periods, request.GET.get("to"), request.user)
    before = choose_period(periods, request.GET.get("from")) if request.GET.get("from") else (
        previous_period(periods, after) if after else None
    )
    headings = ["Ref", "Title", "Before", "Score before", "After", "Score after", "Movement"]
    if not (before and after):
        return download([Table(register.name, headings)], fmt, f"{register.slug}-compare")
    if before.start > after.start:
        before, after = after, before
    rows = Assessment.objects.of_register(register)
    moves = moves_of(compare_rows(rows.shown(before, request.user), rows.shown(after, request.user)))
    table = Table(f"{before.name} to {after.name}", [
        "Ref", "Title", before.name, f"Score {before.name}", after.name, f"Score {after.name}",
        "Movement",
    ])
    for move in moves:
        b, a = move.before, move.after
        table.rows.append([
            move.risk.ref, move.risk.title, b.position if b else "", b.score if b else None,
            a.position if a else "", a.score if a else None, move.words,
        ])
    return download([table], fmt, f"{register.slug}-{before.slug}-to-{after.slug}")


def changes_export(request: HttpRequest, slug: str) -> HttpResponse:
    register = get_register_for_user(request, slug)
    fmt = chosen_format(request)
    period, periods = _period(request)
    risks = Table("Risks", ["Ref", "Title", "What changed", "Before", "After"])
    controls = Table("Controls", ["Risk ref", "Risk", "Control", "Status before", "Status now",
                                  "Note"])
    arrivals = Table("Came and went", ["Ref", "Title", "Change"])
    name = f"{register.slug}-changes"
    if period is not None:
        notes = reads_everything(request.user)
        changes = changes_since_previous(
            register, period, user=request.user, previous=previous_period(periods, period),
            control_notes=notes,
        )
        for change in changes.risks:
            for answer in change.changes:
                risks.rows.append([change.after.ref, change.after.title, answer.label,
                                   answer.before, answer.after])
        for c in changes.controls:
            controls.rows.append([c.risk_ref, c.risk_title, c.control, c.before, c.after,
                                  c.note if notes else ""])
        for label, group in changes.arrival_groups:
            arrivals.rows.extend([a.ref, a.title, label] for a in group)
        arrivals.rows.extend([a.ref, a.title, "Not approved"] for a in changes.not_approved)
        name = f"{register.slug}-changes-{period.slug}"
    return download([risks, controls, arrivals], fmt, name)


def dashboard_export(request: HttpRequest) -> HttpResponse:
    fmt = chosen_format(request)
    registers = list(Register.objects.visible_to(request.user))
    period, _ = _period(request)
    tables = []
    if period and registers:
        for count in dashboard_counts(registers, period, request.user):
            table = Table(count.caption, ["Register", *count.columns, "Total"])
            for row in count.rows:
                table.rows.append([row.register.name, *(t.count for t in row.tallies), row.total])
            tables.append(table)
    return download(tables or [Table("Counts", ["Register"])], fmt,
                    f"dashboard-{period.slug}" if period else "dashboard")


def review_export(request: HttpRequest) -> HttpResponse:
    """The review queue's tables in full (the page shows each one's first rows)."""
    require_planner(request)
    fmt = chosen_format(request)
    period, _ = _period(request)
    headings = ["Register", "Ref", "Title", "Owner", "State", "Submitted", "Submitted by",
                "Reviewed", "Reviewed by", "What changed"]
    tables = []
    if period is not None:
        show = request.GET.get("show")
        for name, state in review_page.QUEUE_LISTS.items():
            if show in review_page.QUEUE_LISTS and show != name:
                continue
            if state is None:
                tables.append(_not_submitted_table(period))
                continue
            table = Table(STATE_LABELS[state], headings)
            rows = (
                Assessment.objects.filter(period=period, state=state)
                .select_related("risk__register", "submitted_by", "reviewed_by")
                .order_by(*review_page._QUEUE_ORDER)
            )
            for a in review_page._with_previous(list(rows)):
                table.rows.append([
                    a.risk.register.name, a.ref, a.title, a.owner_name, a.get_state_display(),
                    _local(a.submitted_at), _name(a.submitted_by), _local(a.reviewed_at),
                    _name(a.reviewed_by), "; ".join(
                        f"{c.name}: {c.brief_before or c.before} → {c.brief_after or c.after}"
                        if not c.long else c.name for c in a.changes
                    ),
                ])
            tables.append(table)
    return download(tables or [Table("Review", headings)], fmt,
                    f"review-{period.slug}" if period else "review")


def _not_submitted_table(period: ReportingPeriod) -> Table:
    table = Table("Not submitted", ["Register", "Ref", "Title", "Owner", "Draft saved",
                                    "Saved by"])
    for risk in review_page._with_saver_names(list(review_page._not_submitted(period))):
        table.rows.append([
            risk.register.name, risk.ref, risk.title, risk.owner.name,
            _local(risk.saved_at) if risk.draft_id else "Not started", risk.saved_by_name,
        ])
    return table


def _local(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def plan_export(request: HttpRequest) -> HttpResponse:
    plan = get_plan_for_user(request)
    fmt = chosen_format(request)
    show = request.GET.get("show", "all")
    if show not in FILTERS:
        show = "all"
    today = timezone.localdate()
    table = Table("Action plan", ["Theme", "Item", "Issue", "Sources", "Owners",
                                  "Success measure", "Update", "Action", "Milestone", "Status",
                                  "Overdue"])
    for theme in filtered(appendix_c(plan, today=today), show):
        for item in theme.items:
            i = item.item
            common = [theme.theme.title, i.ref, i.issue, "; ".join(s.name for s in item.sources),
                      i.owners, i.success_measure, i.update]
            for row in item.actions or [None]:
                a = row.action if row else None
                table.rows.append([
                    *common, a.text if a else "", a.milestone if a else "",
                    a.get_status_display() if a else "", row.overdue if row else False,
                ])
    return download([table], fmt, f"action-plan-{show}" if show != "all" else "action-plan")


def results_export(request: HttpRequest) -> HttpResponse:
    from maturity.views import _year_from_query

    fmt = chosen_format(request)
    current = assessment_year_for(timezone.localdate())
    years = years_with_results()
    year = _year_from_query(request, years[0] if years else current)
    results = results_for(year)
    dims = [d.name for d in results.dimensions]
    table = Table(f"Self-assessment {results.year_label}",
                  ["Business group", "Unit", *dims, "Mean", "Previous mean", "Change",
                   f"At target ({TARGET_LEVEL})"])
    for group in results.groups:
        for unit in group.units:
            table.rows.append([group.name, unit.unit.name, *unit.levels, unit.mean,
                               unit.previous_mean, unit.change_words if unit.completed else
                               "Not assessed", unit.at_target])
        table.rows.append([group.name, "All units of the group", *group.dimension_means,
                           group.mean, group.previous_mean, group.change_words, group.at_target])
    o = results.overall
    table.rows.append(["All units", "", *o.dimension_means, o.mean, o.previous_mean,
                       o.change_words, o.at_target])
    return download([table], fmt, f"self-assessment-{year}")


def risk_history_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A risk's quarters (approved ones only for readers, as its page) and, for those who may
    edit it, its history of changes."""
    risk = get_risk_for_user(request, pk)
    fmt = chosen_format(request)
    editor = can_edit_risk(request.user, risk)
    quarters = _quarters(risk, approved_only=not editor)
    table = Table(f"Risk {risk.ref} quarters", [
        "Quarter", "Position", "Score", "Trend", "Progress", "Commentary", "Reasons", "State",
        "Target",
    ])
    for a in quarters.assessments:
        table.rows.append([
            a.period.name, a.position, a.score, a.get_trend_display(), a.get_progress_display(),
            a.commentary, a.reasons, a.get_state_display(),
            position_label(a.target_likelihood, a.target_impact),
        ])
    tables = [table]
    if editor:
        history = Table("History", ["When", "Who", "What", "Why", "Changes"])
        for entry in timeline.for_risk(risk):
            history.rows.append([_local(entry.when), entry.who, entry.title, entry.reason,
                                 "\n".join(str(c) for c in entry.changes)])
        tables.append(history)
    return download(tables, fmt, f"risk-{risk.register.slug}-{risk.ref}-history")

