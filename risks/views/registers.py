"""Reading registers: the register page, heat maps, the comparison of two quarters and the
dashboard."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django_htmx.http import push_url

from ..access import get_register_for_user
from ..alignment import maps_and_alignment
from ..changes import compare_rows, moves_of
from ..dashboard import dashboard_counts, last_charted, score_histories
from ..filters import RegisterFilterForm, group_by_horizon, owner_choices, register_rows
from ..heatmaps import heat_maps
from ..models import Assessment, Pillar, Register
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
    register = get_register_for_user(request, slug)
    periods = periods_for(request)
    period = choose_period(periods, request.GET.get("period"), request.user)
    pillars = list(Pillar.objects.all())
    # The quarter as this person may see it: the one rule (AssessmentQuerySet.shown).
    rows = (
        Assessment.objects.of_register(register).shown(period, request.user)
        if period else Assessment.objects.none()
    )
    form = RegisterFilterForm(request.GET, owners=owner_choices(rows), pillars=pillars)
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

    page = get_page(
        register_rows(rows, context["filters"], form.sort_key), request.GET.get("page"),
        REGISTER_PAGE_SIZE,
    )
    context.update(
        page=page,
        pages=pagination(request, page),
        groups=group_by_horizon(page.object_list, period, periods),
    )
    if is_partial(request):
        response = render(request, "risks/register_detail.html#results", context)
        # The form sends every field, empty ones too; share the address without them.
        return push_url(response, _clean_url(request))
    maps, aligned = maps_and_alignment(
        register, period, pillars, rows=rows, link=register.get_absolute_url()
    )
    context.update(heatmaps=maps, alignment=aligned)
    return render(request, "risks/register_detail.html", context)


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


@cached_page(named_quarter)
def dashboard(request: HttpRequest) -> HttpResponse:
    registers = list(Register.objects.visible_to(request.user))
    periods = periods_for(request)
    period = choose_period(periods, request.GET.get("period"), request.user)
    register = _choose_register(registers, request.GET.get("register"))
    context = {"registers": registers, "register": register, "periods": periods, "period": period}
    if period and registers:
        context["count_tables"] = dashboard_counts(registers, period, request.user)
        context["breach_rows"] = [r for r in context["count_tables"][0].rows if r.breaches]
    if period and register:
        # The quarter's records of its risks: each chart is named as the quarter named it.
        shown = (
            Assessment.objects.of_register(register).shown(period, request.user).counted()
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
