from django.urls import path

from . import views

app_name = "maturity"

urlpatterns = [
    # The action plan (Appendix C)
    path("", views.plan_detail, name="plan"),
    path("appendix-c/", views.appendix_c, name="appendix-c"),
    path("changes/", views.changes, name="changes"),
    path("themes/new/", views.theme_create, name="theme-create"),
    path("items/new/", views.item_create, name="item-create"),
    path("items/<int:pk>/", views.item_detail, name="item"),
    path("items/<int:pk>/edit/", views.item_edit, name="item-edit"),
    path("items/<int:pk>/updates/", views.item_log_add, name="item-log-add"),
    path("items/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/status/", views.action_status, name="action-status"),
    # Self-assessments
    path("self-assessments/", views.selfassessment_results, name="results"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path(
        "units/<int:pk>/self-assessment/<int:year>/",
        views.selfassessment_form,
        name="assess",
    ),
]
