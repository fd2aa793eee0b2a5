from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_new, name="new"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/publish/", views.report_publish, name="publish"),
    path("<int:pk>/withdraw/", views.report_withdraw, name="withdraw"),
    path("<int:pk>/correct/", views.report_correct, name="correct"),
    path("<int:pk>/pdf", views.report_pdf, name="pdf"),
    path("<int:pk>/pdf/prepare/", views.report_pdf_prepare, name="pdf-prepare"),
    path("<int:pk>/pdf/prepared/<int:render_pk>", views.report_pdf_prepared, name="pdf-prepared"),
]
