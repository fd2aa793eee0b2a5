from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import get_risk_for_user


def risk_detail(request: HttpRequest, pk: int) -> HttpResponse:
    risk = get_risk_for_user(request, pk)
    assessments = risk.assessments.select_related("period").order_by("-period__start")
    return render(request, "risks/risk_detail.html", {"risk": risk, "assessments": assessments})
