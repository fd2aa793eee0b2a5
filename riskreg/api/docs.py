"""The OpenAPI 3 schema and its documentation page (Swagger UI), served from the vendored
drf-spectacular-sidecar files: no CDN, and under the strict CSP (the page's script is a file
of its own, `?script=`, and its styles a stylesheet: no inline script or style)."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .auth import TokenScope


class Schema(SpectacularAPIView):
    permission_classes = [TokenScope]


class Docs(SpectacularSwaggerSplitView):
    template_name = "api/docs.html"
    url_name = "api:schema"
    permission_classes = [TokenScope]
