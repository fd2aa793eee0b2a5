from django.urls import path

from . import views, views_quarterly

app_name = "risks"

urlpatterns = [
    # Registers, heat maps, changes and the dashboard (views.py)
    path("registers/<slug:slug>/", views.register_detail, name="register"),
    # The quarterly cycle: risk pages, updates, review, periods (views_quarterly.py)
    path("risks/<int:pk>/", views_quarterly.risk_detail, name="risk"),
]
