from django.urls import path

from . import views_reports

app_name = "reports"

urlpatterns = [
    path("", views_reports.report_list, name="list"),
    path("new/", views_reports.report_new, name="new"),
    path("<int:pk>/", views_reports.report_detail, name="detail"),
    path("<int:pk>/edit/", views_reports.report_edit, name="edit"),
    path("<int:pk>/publish/", views_reports.report_publish, name="publish"),
    path("<int:pk>/pdf", views_reports.report_pdf, name="pdf"),
]
