"""/manage/: where the Planning & Risk Team keeps the register in the service, composed from
the apps' own pages (risks: risks, posts, pillars, registers, appetite criteria, key risk indicators; maturity: units). The admin
stays for administrators."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_http_methods

from maturity import manage as maturity_manage
from maturity.models import Unit
from risks.access import require_planner
from risks.models import Opportunity, Pillar, Post, Register, Risk
from risks.views import appetite as risks_appetite
from risks.views import indicators as risks_indicators
from risks.views import manage as risks_manage
from risks.views import manage_opportunities


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    require_planner(request)
    counts = {
        "risks": Risk.objects.active().count(),
        "retired": Risk.objects.filter(is_active=False).count(),
        "posts": Post.objects.count(),
        "pillars": Pillar.objects.count(),
        "registers": Register.objects.count(),
        "units": Unit.objects.filter(is_active=True).count(),
        "opportunities": Opportunity.objects.active().count(),
    }
    return render(request, "riskreg/manage_index.html", {"counts": counts})


app_name = "manage"
urlpatterns = [
    path("", index, name="index"),
    *risks_manage.urlpatterns,
    *risks_appetite.urlpatterns,
    *manage_opportunities.urlpatterns,
    *risks_indicators.urlpatterns,
    *maturity_manage.urlpatterns,
]
