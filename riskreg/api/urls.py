"""/api/: the schema, its documentation page, and version 1. The views check tokens (or the
session) themselves, so the site's sign-in redirect (LoginRequiredMiddleware) stands aside."""

from django.contrib.auth.decorators import login_not_required, login_required
from django.http import JsonResponse
from django.urls import path, re_path, register_converter
from django.views.decorators.csrf import csrf_exempt

from . import docs, views, writes

app_name = "api"


class Id:
    """A row's id: at most 18 digits, so that it always fits the databases' 64-bit integers
    (a longer number is no id: the catch-all's 404, never an overflow)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(Id, "id")


def _api(view_class, name: str, route: str):
    return path(route, login_not_required(view_class.as_view()), name=name)


def _page(view):
    """The documentation is a page: people sign in to read it (its "Try it out" uses their
    session), and it has the site's CSRF check, which REST framework's views turn off."""
    page = login_required(view)
    page.csrf_exempt = False
    return page


V1 = "v1/"


@csrf_exempt  # it writes nothing, and a POST to a wrong address deserves the same answer
@login_not_required
def not_found(request, rest=""):
    """Any other address under /api/: a 404 in the API's own shape, not the site's HTML page."""
    return JsonResponse({"detail": "There is no such address in the API: its documentation is "
                         "at /api/docs/.", "code": "not_found"}, status=404)


urlpatterns = [
    _api(docs.Schema, "schema", "schema/"),
    path("docs/", _page(docs.Docs.as_view()), name="docs"),
    _api(views.RegisterList, "registers", V1 + "registers/"),
    _api(views.RegisterDetail, "register", V1 + "registers/<slug:slug>/"),
    _api(views.PeriodList, "periods", V1 + "periods/"),
    _api(views.PeriodDetail, "period", V1 + "periods/<slug:slug>/"),
    _api(views.RiskList, "risks", V1 + "risks/"),
    _api(views.RiskDetail, "risk", V1 + "risks/<id:pk>/"),
    _api(views.AssessmentList, "assessments", V1 + "assessments/"),
    _api(views.AssessmentDetail, "assessment", V1 + "assessments/<id:pk>/"),
    _api(writes.ScoreWrite, "assessment-score", V1 + "assessments/<id:pk>/score/"),
    _api(writes.ProgressWrite, "assessment-progress", V1 + "assessments/<id:pk>/progress/"),
    _api(writes.ConfirmWrite, "assessment-confirm", V1 + "assessments/<id:pk>/confirm/"),
    _api(writes.SubmitWrite, "assessment-submit", V1 + "assessments/<id:pk>/submit/"),
    _api(views.ControlList, "controls", V1 + "controls/"),
    _api(views.ControlDetail, "control", V1 + "controls/<id:pk>/"),
    _api(writes.ControlStatusWrite, "control-status", V1 + "controls/<id:pk>/status/"),
    _api(views.ControlUpdateList, "control-updates", V1 + "control-updates/"),
    _api(views.ControlUpdateDetail, "control-update", V1 + "control-updates/<id:pk>/"),
    _api(views.PlanItemList, "plan-items", V1 + "plan-items/"),
    re_path(r"^(?P<rest>[\s\S]*)\Z", not_found, name="not-found"),
]
