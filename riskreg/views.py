from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from risks.models import Register, ReportingPeriod, Risk


def home(request: HttpRequest) -> HttpResponse:
    registers = Register.objects.visible_to(request.user).select_related("parent")
    period = ReportingPeriod.objects.current()
    my_risks = (
        Risk.objects.owned_or_led_by(request.user).active().select_related("register", "owner")
        .order_by("register__name", "ref")
    )
    past_periods = ReportingPeriod.objects.closed().order_by("-start")[:4]
    return render(
        request,
        "riskreg/home.html",
        {"registers": registers, "period": period, "my_risks": my_risks,
         "past_periods": past_periods},
    )


@login_not_required
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers; also the benchmark's floor (a trivial view in the same process)."""
    return HttpResponse("ok", content_type="text/plain")
