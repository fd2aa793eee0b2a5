from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from risks.models import Register, ReportingPeriod, Risk


def home(request: HttpRequest) -> HttpResponse:
    registers = Register.objects.visible_to(request.user).select_related("parent")
    period = ReportingPeriod.objects.current()
    my_risks = (
        Risk.objects.owned_or_led_by(request.user).active().select_related("register", "owner")
        .order_by("register__name", "ref")
    )
    return render(
        request,
        "riskreg/home.html",
        {"registers": registers, "period": period, "my_risks": my_risks},
    )
