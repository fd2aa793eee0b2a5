from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_signin

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("bands-<slug:version>.css", views.bands_css, name="bands-css"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/lockouts/", views_signin.lockouts, name="lockouts"),
    path("admin/", admin.site.urls),
    path("", include("risks.urls")),
    path("", include("riskreg.quarterly.urls")),
    path("maturity/", include("maturity.urls")),
    path("reports/", include("riskreg.report.urls")),
    path("api/", include("riskreg.api.urls")),
    path("account/", include("riskreg.api.account")),
    path("search/", include("riskreg.search.urls")),
]

if settings.OIDC_ENABLED:
    urlpatterns.append(path("oidc/", include("mozilla_django_oidc.urls")))
