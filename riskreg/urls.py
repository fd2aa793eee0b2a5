from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import views, views_signin

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("bands-<slug:version>.css", views.bands_css, name="bands-css"),
    path("accounts/login/", views_signin.SignInView.as_view(), name="login"),
    path("accounts/logout/", views_signin.SignOutView.as_view(), name="logout"),
    path("accounts/signed-out/", views_signin.signed_out, name="signed-out"),
    path("accounts/help/", views_signin.signin_help, name="signin-help"),
    path("accounts/lockouts/", views_signin.lockouts, name="lockouts"),
    path("admin/", admin.site.urls),
    path("", include("risks.urls")),
    path("", include("riskreg.quarterly.urls")),
    path("maturity/", include("maturity.urls")),
    path("manage/", include("riskreg.manage")),
    path("reports/", include("riskreg.report.urls")),
    path("boards/", include("riskreg.boards.urls")),
    path("", include("riskreg.dataio.urls")),
    path("api/", include("riskreg.api.urls")),
    path("account/", include("riskreg.api.account")),
    path("search/", include("riskreg.search.urls")),
    path("", include("riskreg.notify.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))

# GOV.UK error pages with the service's header (riskreg/errors.py says why these are views).
handler400 = "riskreg.errors.bad_request"
handler403 = "riskreg.errors.permission_denied"
handler404 = "riskreg.errors.page_not_found"
handler500 = "riskreg.errors.server_error"
