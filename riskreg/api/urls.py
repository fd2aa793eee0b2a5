"""/api/: the schema, its documentation page, and version 1. The views check tokens (or the
session) themselves, so the site's sign-in redirect (LoginRequiredMiddleware) stands aside."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from . import docs, views, writes

app_name = "api"


def _api(view_class, name: str, route: str):
    return path(route, login_not_required(view_class.as_view()), name=name)


V1 = "v1/"

urlpatterns = [
    _api(docs.Schema, "schema", "schema/"),
    _api(docs.Docs, "docs", "docs/"),
    _api(views.RegisterList, "registers", V1 + "registers/"),
    _api(views.RegisterDetail, "register", V1 + "registers/<slug:slug>/"),
    _api(views.PeriodList, "periods", V1 + "periods/"),
    _api(views.PeriodDetail, "period", V1 + "periods/<slug:slug>/"),
    _api(views.RiskList, "risks", V1 + "risks/"),
    _api(views.RiskDetail, "risk", V1 + "risks/<int:pk>/"),
    _api(views.AssessmentList, "assessments", V1 + "assessments/"),
    _api(views.AssessmentDetail, "assessment", V1 + "assessments/<int:pk>/"),
    _api(writes.ScoreWrite, "assessment-score", V1 + "assessments/<int:pk>/score/"),
    _api(writes.ProgressWrite, "assessment-progress", V1 + "assessments/<int:pk>/progress/"),
    _api(writes.ConfirmWrite, "assessment-confirm", V1 + "assessments/<int:pk>/confirm/"),
    _api(writes.SubmitWrite, "assessment-submit", V1 + "assessments/<int:pk>/submit/"),
    _api(views.ControlList, "controls", V1 + "controls/"),
    _api(views.ControlDetail, "control", V1 + "controls/<int:pk>/"),
    _api(writes.ControlStatusWrite, "control-status", V1 + "controls/<int:pk>/status/"),
    _api(views.ControlUpdateList, "control-updates", V1 + "control-updates/"),
    _api(views.ControlUpdateDetail, "control-update", V1 + "control-updates/<int:pk>/"),
    _api(views.PlanItemList, "plan-items", V1 + "plan-items/"),
]
