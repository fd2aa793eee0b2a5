"""Reading registers: the register page, heat maps, comparisons, changes and the dashboard."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django_htmx.http import push_url

from .access import get_register_for_user
from .heatmaps import heat_maps
from .models import Pillar, Register, ReportingPeriod, Risk
from .pagination import get_list_page, get_page
from .registers import (
    RegisterFilterForm,
    changes_since_previous,
    compare_rows,
    dashboard_counts,
    group_by_horizon,
    maps_and_alignment,
    moves_of,
    owner_choices,
    register_rows,
    score_histories,
    short_term_first,
)

REGISTER_PAGE_SIZE = 50
CHARTS_PAGE_SIZE = 12
CHANGED_RISKS_PAGE_SIZE = 25  # a table each
CHANGED_CONTROLS_PAGE_SIZE = 50
COMPARE_PAGE_SIZE = 50


def _choose_period(
    periods: list[ReportingPeriod], slug: str | None
) -> ReportingPeriod | None:
    """The period named in the query string, else the open one, else the latest.

    Picks from an already-fetched list (newest first) so the page's period menu and its
    choice cost one query together.
    """
    if slug:
        for period in periods:
            if period.slug == slug:
                return period
        raise Http404("There is no reporting period with that name.")
    return next((p for p in periods if p.is_open), periods[0] if periods else None)


def _previous(periods: list[ReportingPeriod], period: ReportingPeriod) -> ReportingPeriod | None:
    older = [p for p in periods if p.start < period.start]
    return max(older, key=lambda p: p.start) if older else None


def _choose_register(registers: list[Register], slug: str | None) -> Register | None:
    if slug:
        for register in registers:
            if register.slug == slug:
                return register
        raise Http404("There is no register with that name that you can see.")
    return registers[0] if registers else None


def _partial_request(request: HttpRequest) -> bool:
    """An htmx swap wants the fragment; a history restore (cache off) wants the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


def _clean_url(request: HttpRequest) -> str:
    query = [
        (name, value)
        for name in request.GET
        for value in request.GET.getlist(name)
        if value and not (name == "sort" and value == "ref")
    ]
    return request.path + ("?" + urlencode(query) if query else "")


def register_detail(request: HttpRequest, slug: str) -> HttpResponse:
    register = get_register_for_user(request, slug)
    periods = list(ReportingPeriod.objects.all())
    period = _choose_period(periods, request.GET.get("period"))
    pillars = list(Pillar.objects.all())
    form = RegisterFilterForm(request.GET, owners=owner_choices(register), pillars=pillars)
    context = {
        "register": register,
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

    rows = register_rows(register, period, context["filters"], form.sort_key)
    page = get_page(rows, request.GET.get("page"), REGISTER_PAGE_SIZE)
    context.update(
        page=page,
        page_links=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        groups=group_by_horizon(page.object_list),
    )
    if _partial_request(request):
        response = render(request, "risks/register_detail.html#results", context)
        # The form sends every field, empty ones too; share the address without them.
        return push_url(response, _clean_url(request))
    maps, aligned = maps_and_alignment(register, period, pillars, link=register.get_absolute_url())
    context.update(heatmaps=maps, alignment=aligned)
    return render(request, "risks/register_detail.html", context)


def heatmaps(request: HttpRequest) -> HttpResponse:
    registers = list(Register.objects.visible_to(request.user))
    register = _choose_register(registers, request.GET.get("register"))
    periods = list(ReportingPeriod.objects.all())
    period = _choose_period(periods, request.GET.get("period"))
    context = {"registers": registers, "register": register, "periods": periods, "period": period}
    if register and period:
        maps, aligned = maps_and_alignment(
            register, period, list(Pillar.objects.all()), link=register.get_absolute_url()
        )
        context.update(heatmaps=maps, alignment=aligned, previous=_previous(periods, period))
    return render(request, "risks/heatmaps.html", context)


def register_compare(request: HttpRequest, slug: str) -> HttpResponse:
    """Two periods side by side: how each risk moved from one to the other."""
    register = get_register_for_user(request, slug)
    periods = list(ReportingPeriod.objects.all())
    after = _choose_period(periods, request.GET.get("to"))
    before = _choose_period(periods, request.GET.get("from")) if request.GET.get("from") else (
        _previous(periods, after) if after else None
    )
    context = {"register": register, "periods": periods, "before": before, "after": after}
    if before and after:
        if before.start > after.start:
            before, after = after, before
            context.update(before=before, after=after)
        link = register.get_absolute_url()
        page = get_list_page(
            compare_rows(register, before, after), request.GET.get("page"), COMPARE_PAGE_SIZE
        )
        context.update(
            page=page,
            page_links=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            moves=moves_of(page.object_list),
            before_maps=heat_maps(register, before, link=link),
            after_maps=heat_maps(register, after, link=link),
        )
        context["map_pairs"] = list(
            zip(context["before_maps"], context["after_maps"], strict=True)
        )
    return render(request, "risks/register_compare.html", context)


def register_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed in a period since the quarter before it."""
    register = get_register_for_user(request, slug)
    periods = list(ReportingPeriod.objects.all())
    period = _choose_period(periods, request.GET.get("period"))
    context = {"register": register, "periods": periods, "period": period}
    if period:
        context["changes"] = changes_since_previous(
            register, period, previous=_previous(periods, period),
            risks_page=request.GET.get("page"), risks_per_page=CHANGED_RISKS_PAGE_SIZE,
            controls_page=request.GET.get("controls_page"),
            controls_per_page=CHANGED_CONTROLS_PAGE_SIZE,
        )
        for name, page in [("risk_page_links", context["changes"].risk_page),
                           ("control_page_links", context["changes"].control_page)]:
            if page is not None:
                context[name] = page.paginator.get_elided_page_range(
                    page.number, on_each_side=2, on_ends=1
                )
    return render(request, "risks/register_changes.html", context)


def dashboard(request: HttpRequest) -> HttpResponse:
    registers = list(Register.objects.visible_to(request.user))
    periods = list(ReportingPeriod.objects.all())
    period = _choose_period(periods, request.GET.get("period"))
    register = _choose_register(registers, request.GET.get("register"))
    context = {"registers": registers, "register": register, "periods": periods, "period": period}
    if period and registers:
        context["count_tables"] = dashboard_counts(registers, period)
    if period and register:
        risks = (
            Risk.objects.filter(register=register, assessments__period=period)
            .order_by(short_term_first(), "ref")
        )
        page = get_page(risks, request.GET.get("page"), CHARTS_PAGE_SIZE)
        context.update(
            page=page,
            page_links=page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
            charts=score_histories(list(page.object_list), period),
        )
    return render(request, "risks/dashboard.html", context)
