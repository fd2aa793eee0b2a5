"""Reading registers: the register page, heat maps, the comparison of two quarters and the
dashboard."""

from django.db.models import F, OuterRef, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django_htmx.http import push_url

from .. import escalations
from ..access import branch_scope, get_register_for_user, get_register_page_for_user
from ..alignment import maps_and_alignment
from ..changes import compare_rows, moves_of
from ..dashboard import dashboard_counts, last_charted, score_histories
from ..filters import RegisterFilterForm, group_by_horizon, owner_choices, register_rows
from ..heatmaps import heat_maps
from ..models import (
    Assessment,
    OpportunityAssessment,
    Pillar,
    Register,
    ReportingPeriod,
    RiskShare,
    SharedCommentary,
)
from ..opportunity_heatmap import opportunity_heat_map
from ..pagecache import cached_page, compared_quarters, named_quarter, periods_for
from ..pages import choose_period, is_partial, pagination, previous_period
from ..pagination import get_page

REGISTER_PAGE_SIZE = 50
CHARTS_PAGE_SIZE = 12
COMPARE_PAGE_SIZE = 50


def _choose_register(registers: list[Register], slug: str | None) -> Register | None:
    if slug:
        for register in registers:
            if register.slug == slug:
                return register
        raise Http404("There is no register with that name that you can see.")
    return registers[0] if registers else None


def _clean_url(request: HttpRequest) -> str:
    query = [
        (name, value)
        for name in request.GET
        for value in request.GET.getlist(name)
        if value and not (name == "sort" and value == "ref")
    ]
    return request.path + ("?" + urlencode(query) if query else "")


@cached_page(named_quarter)
def register_detail(request: HttpRequest, slug: str) -> HttpResponse:
    register = get_register_page_for_user(request, slug)
    branch = branch_scope(request) and register.has_children
    periods = periods_for(request)
    period = choose_period(periods, request.GET.get("period"), request.user)
    pillars = list(Pillar.objects.all())
    # The quarter as this person may see it: the one rule (AssessmentQuerySet.shown).
    rows = (
        Assessment.objects.of_register(register, branch=branch).shown(period, request.user)
        if period else Assessment.objects.none()
    )
    form = RegisterFilterForm(request.GET, owners=owner_choices(rows), pillars=pillars)
    link = register.get_absolute_url() + ("?scope=branch" if branch else "")
    context = {
        "register": register,
        "branch": branch,
        "link": link,
        # The registers the branch rolls up (one query, only for the branch).
        "branch_registers": (
            list(Register.objects.branch_of(register).exclude(pk=register.pk)
                 .select_related("parent").order_by("kind", "name"))
            if branch else []
        ),
        "period": period,
        "periods": periods,
        "form": form,
        "filters": form.filters(),
        # Changing the period keeps the filters: the period form carries them along.
        "kept_filters": [
            (name, value)
            for name in request.GET
            if name not in ("period", "page")
            for value in request.GET.getlist(name)
        ],
    }
    if period is None:
        return render(request, "risks/register_detail.html", context)

    listed = register_rows(rows, context["filters"], form.sort_key)
    if branch:
        listed = listed.annotate(register_name=F("risk__register__name"))
    page = get_page(listed, request.GET.get("page"), REGISTER_PAGE_SIZE)
    context.update(
        page=page,
        pages=pagination(request, page),
        groups=group_by_horizon(page.object_list, period, periods),
    )
    if is_partial(request):
        response = render(request, "risks/register_detail.html#results", context)
        # The form sends every field, empty ones too; share the address without them.
        return push_url(response, _clean_url(request))
    maps, aligned = maps_and_alignment(register, period, pillars, rows=rows, link=link)
    context.update(heatmaps=maps, alignment=aligned, **register_opportunities(register, period, request.user))
    if register.has_shared:
        # Risks other registers own and share with this one: their owners' positions (as
        # the person may see them) and this register's commentary of the quarter.
        commentary = SharedCommentary.objects.filter(
            share__risk=OuterRef("risk"), share__register=register, period=period
        ).values("text")[:1]
        context["shared"] = list(
            Assessment.objects.filter(
                risk__in=RiskShare.objects.filter(register=register).values("risk")
            ).shown(period, request.user).select_related("risk__register")
            .annotate(shared_commentary=Subquery(commentary)).order_by("risk__register__name", "ref")
        )
    if register.has_criteria:
        context["flagged"] = list(
            escalations.flagged(rows, register, period).only("risk_id", "ref", "title")
            .order_by("ref")
        )
    return render(request, "risks/register_detail.html", context)


def register_opportunities(register: Register, period: ReportingPeriod, user) -> dict:
    """The register's opportunities as `user` may see them in `period`, and their own heat map
    (one query, none for a register without opportunities): a section of their own, never
    counted with the risks."""
    if not getattr(register, "has_opportunities", True):
        return {"opportunities": []}
    rows = list(
        OpportunityAssessment.objects.filter(opportunity__register=register)
        .shown(period, user).in_register_order()
    )
    return {"opportunities": rows, "opportunity_map": opportunity_heat_map(rows, period)}


@cached_page(named_quarter)
def heatmaps(request: HttpRequest) -> HttpResponse:
    registers = list(Register.objects.visible_to(request.user))
    register = _choose_register(registers, request.GET.get("register"))
    periods = periods_for(request)
    period = choose_period(periods, request.GET.get("period"), request.user)
    context = {"registers": registers, "register": register, "periods": periods, "period": period}
    if register and period:
        maps, aligned = maps_and_alignment(
            register, period, list(Pillar.objects.all()),
            rows=Assessment.objects.of_register(register).shown(period, request.user),
            link=register.get_absolute_url(),
        )
        context.update(heatmaps=maps, alignment=aligned, previous=previous_period(periods, period))
    return render(request, "risks/heatmaps.html", context)


@cached_page(compared_quarters)
def register_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Two periods side by side: how each risk moved from one to the other."""
    register = get_register_for_user(request, slug)
    periods = periods_for(request)
    after = choose_period(periods, request.GET.get("to"), request.user)
    before = choose_period(periods, request.GET.get("from")) if request.GET.get("from") else (
        previous_period(periods, after) if after else None
    )
    context = {"register": register, "periods": periods, "before": before, "after": after}
    if before and after:
        if before.start > after.start:
            before, after = after, before
            context.update(before=before, after=after)
        link = register.get_absolute_url()
        rows = Assessment.objects.of_register(register)
        before_rows, after_rows = rows.shown(before, request.user), rows.shown(after, request.user)
        page = get_page(
            compare_rows(before_rows, after_rows), request.GET.get("page"), COMPARE_PAGE_SIZE
        )
        context.update(
            page=page,
            pages=pagination(request, page),
            moves=moves_of(page.object_list),
            before_maps=heat_maps(register, before, rows=before_rows, link=link),
            after_maps=heat_maps(register, after, rows=after_rows, link=link),
        )
        context["map_pairs"] = list(
            zip(context["before_maps"], context["after_maps"], strict=True)
        )
    return render(request, "risks/register_compare.html", context)


def _branch_of(registers: list[Register], root: Register) -> list[Register]:
    """Of an already-fetched list, `root` and those beneath it (walked in Python: no query)."""
    found, grew = {root.pk}, True
    while grew:
        grew = False
        for r in registers:
            if r.parent_id in found and r.pk not in found:
                found.add(r.pk)
                grew = True
    return [r for r in registers if r.pk in found]


@cached_page(named_quarter)
def dashboard(request: HttpRequest) -> HttpResponse:
    registers = list(Register.objects.visible_to(request.user))
    periods = periods_for(request)
    period = choose_period(periods, request.GET.get("period"), request.user)
    register = _choose_register(registers, request.GET.get("register"))
    # ?scope=branch: the counts of the register and those beneath it, and their charts.
    branch = register is not None and branch_scope(request)
    counted = _branch_of(registers, register) if branch else registers
    context = {"registers": registers, "register": register, "periods": periods,
               "period": period, "branch": branch}
    if period and registers:
        context["count_tables"] = dashboard_counts(counted, period, request.user)
        context["breach_rows"] = [r for r in context["count_tables"][0].rows if r.breaches]
        context["indicator_rows"] = [
            r for r in context["count_tables"][0].rows if r.indicators_out
        ]
    if period and register:
        # The quarter's records of its risks: each chart is named as the quarter named it.
        shown = (
            Assessment.objects.of_register(register, branch=branch)
            .shown(period, request.user).counted()
            .only("risk_id", "period_id", "ref", "title", "target_likelihood", "target_impact")
            .in_register_order()
        )
        page = get_page(shown, request.GET.get("page"), CHARTS_PAGE_SIZE)
        charts = score_histories(list(page.object_list), period)
        context.update(
            page=page, pages=pagination(request, page), charts=charts,
            charted_up_to=last_charted(charts),
        )
    return render(request, "risks/dashboard.html", context)
