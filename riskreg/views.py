from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from risks.models import Assessment, Register, ReportingPeriod, Risk, is_planner
from risks.scoring import band_css, band_css_version

from .middleware import holds_no_register_data
from .quarterly.review import queue_counts

A_YEAR = 365 * 24 * 60 * 60


def home(request: HttpRequest) -> HttpResponse:
    registers = Register.objects.visible_to(request.user).select_related("parent")
    period = ReportingPeriod.objects.current()
    my_risks = (
        Risk.objects.owned_or_led_by(request.user).active().select_related("register", "owner")
        .order_by("register__name", "ref")
    )
    past_periods = ReportingPeriod.objects.closed().order_by("-start")[:4]
    context = {"registers": registers, "period": period, "my_risks": my_risks,
               "past_periods": past_periods}
    if period is not None and period.is_open:
        # The owner's (or lead's) updates sent back with a comment, to act on first.
        context["returned"] = list(
            Assessment.objects.filter(
                period=period, state=Assessment.State.RETURNED, risk__in=my_risks.values("pk")
            ).select_related("reviewed_by").order_by("ref")
        )
        if is_planner(request.user):
            context["counts"] = queue_counts(period)
    return render(request, "riskreg/home.html", context)


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers; also the benchmark's floor (a trivial view in the same process)."""
    return HttpResponse("ok", content_type="text/plain")


@login_not_required
@holds_no_register_data
@require_GET
def bands_css(request: HttpRequest, version: str) -> HttpResponse:
    """The score bands' colours as CSS, made from settings.RISK_BANDS: a stylesheet, because the
    CSP allows no inline styles. Its address names its version, so the browser may keep it for a
    year (private: the response may carry the session cookie, which no shared cache may keep);
    an old address leads to the current one, uncached."""
    current = band_css_version()
    if version != current:
        response = redirect("bands-css", current)
        patch_cache_control(response, no_store=True)
        return response
    response = HttpResponse(band_css(), content_type="text/css; charset=utf-8")
    patch_cache_control(response, private=True, max_age=A_YEAR, immutable=True)
    return response
