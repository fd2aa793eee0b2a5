from django.urls import path

from . import views, views_quarterly

app_name = "risks"

urlpatterns = [
    # Registers, heat maps, changes and the dashboard (views.py)
    path("registers/<slug:slug>/", views.register_detail, name="register"),
    path("registers/<slug:slug>/compare/", views.register_compare, name="register_compare"),
    path("registers/<slug:slug>/changes/", views.register_changes, name="register_changes"),
    path("heatmaps/", views.heatmaps, name="heatmaps"),
    path("dashboard/", views.dashboard, name="dashboard"),
    # The quarterly cycle: risk pages, updates, review, periods (views_quarterly.py)
    path("risks/<int:pk>/", views_quarterly.risk_detail, name="risk"),
    path("my-risks/", views_quarterly.my_risks, name="my-risks"),
    path("risks/<int:pk>/update/score/", views_quarterly.update_score, name="update-score"),
    path("risks/<int:pk>/update/progress/", views_quarterly.update_progress, name="update-progress"),
    path("review/", views_quarterly.review_queue, name="review"),
    path("review/<int:pk>/approve/", views_quarterly.review_approve, name="review-approve"),
    path("review/<int:pk>/return/", views_quarterly.review_return, name="review-return"),
    path("periods/", views_quarterly.period_list, name="periods"),
    path("periods/open/", views_quarterly.period_open, name="period-open"),
    path("periods/<slug:slug>/close/", views_quarterly.period_close, name="period-close"),
]
