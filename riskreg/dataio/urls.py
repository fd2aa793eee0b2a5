"""Downloads of every table page (beside each page's own address), the register's PDF and
its import. Each export reads the query string of the page it mirrors, plus format=csv|xlsx."""

from django.urls import path

from . import exports, printing, views

app_name = "dataio"

urlpatterns = [
    path("registers/<slug:slug>/export/", exports.register_export, name="register"),
    path("registers/<slug:slug>/print/", printing.register_pdf, name="register-pdf"),
    path("registers/<slug:slug>/compare/export/", exports.compare_export, name="compare"),
    path("registers/<slug:slug>/changes/export/", exports.changes_export, name="changes"),
    path("registers/<slug:slug>/import/", views.import_register, name="import"),
    path("registers/<slug:slug>/import/confirm/", views.import_confirm, name="import-confirm"),
    path("registers/<slug:slug>/import/template/", views.import_template,
         name="import-template"),
    path("review/export/", exports.review_export, name="review"),
    path("dashboard/export/", exports.dashboard_export, name="dashboard"),
    path("maturity/export/", exports.plan_export, name="plan"),
    path("maturity/self-assessments/export/", exports.results_export, name="results"),
    path("risks/<int:pk>/history/export/", exports.risk_history_export, name="risk-history"),
]
