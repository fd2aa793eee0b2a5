"""/manage/risks/<pk>/indicators/ and /manage/indicators/<pk>/: the Planning & Risk Team keeps
each risk's key risk indicators (added, changed, made inactive; never deleted, since quarters
hold their values); everyone else gets 403. The writes are risks.indicators'."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from ..access import require_planner
from ..indicator_forms import IndicatorForm
from ..indicators import indicator_digest, save_indicator
from ..models import Indicator, Risk
from ..models.indicators import number
from .manage import _edit


@require_http_methods(["GET"])
def indicator_list(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    risk = get_object_or_404(Risk.objects.select_related("register"), pk=pk)
    indicators = Indicator.objects.filter(risk=risk).select_related("owner").order_by(
        "-is_active", "order", "pk")
    return render(request, "risks/manage/indicator_list.html",
                  {"risk": risk, "indicators": indicators})


def _form(request: HttpRequest, risk: Risk, indicator: Indicator | None) -> HttpResponse:
    def save(form, obj, was):
        return save_indicator(indicator=obj, risk=risk, fields=form.values(), was=was,
                              by=request.user)

    initial = {"is_active": True, "direction": "higher_worse"}
    if indicator is not None:
        initial = {"name": indicator.name, "unit": indicator.unit,
                   "direction": indicator.direction,
                   "green_limit": number(indicator.green_limit),
                   "amber_limit": number(indicator.amber_limit), "source": indicator.source,
                   "owner": indicator.owner_id, "order": indicator.order,
                   "is_active": indicator.is_active}

    class Form(IndicatorForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, risk=risk, **kwargs)

    return _edit(request, form_class=Form, obj=indicator, digest_of=indicator_digest,
                 save=save, what="indicator", template="risks/manage/indicator_form.html",
                 done=lambda x: f"Indicator “{x.name}” of risk {risk.ref} saved.",
                 back=reverse("manage:indicators", args=[risk.pk]),
                 context={"initial": initial, "risk": risk})


@require_http_methods(["GET", "POST"])
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    return _form(request, get_object_or_404(Risk, pk=pk), None)


@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require_planner(request)
    indicator = get_object_or_404(Indicator.objects.select_related("risk", "owner"), pk=pk)
    return _form(request, indicator.risk, indicator)


urlpatterns = [
    path("risks/<int:pk>/indicators/", indicator_list, name="indicators"),
    path("risks/<int:pk>/indicators/new/", indicator_create, name="indicator-new"),
    path("indicators/<int:pk>/", indicator_edit, name="indicator-edit"),
]
