from django.urls import path

from . import views

app_name = "risks"

urlpatterns = [
    path("registers/<slug:slug>/", views.register_detail, name="register"),
    path("risks/<int:pk>/", views.risk_detail, name="risk"),
]
