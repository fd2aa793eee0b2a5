from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from .access import get_register_for_user
from .models import Assessment, Horizon, ReportingPeriod


def _period_from_query(request: HttpRequest) -> ReportingPeriod | None:
    slug = request.GET.get("period")
    if slug:
        return get_object_or_404(ReportingPeriod, slug=slug)
    return ReportingPeriod.objects.current()


def register_detail(request: HttpRequest, slug: str) -> HttpResponse:
    register = get_register_for_user(request, slug)
    period = _period_from_query(request)
    assessments = (
        Assessment.objects.filter(risk__register=register, period=period)
        .for_register_page()
        .order_by("risk__ref")
    )
    by_horizon = [
        (label, [a for a in assessments if a.risk.horizon == value])
        for value, label in Horizon.choices
    ]
    return render(
        request,
        "risks/register_detail.html",
        {
            "register": register,
            "period": period,
            "periods": ReportingPeriod.objects.all(),
            "by_horizon": by_horizon,
        },
    )

