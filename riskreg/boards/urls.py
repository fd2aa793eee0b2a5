from django.urls import path

from . import views

app_name = "boards"

urlpatterns = [
    path("", views.board_list, name="list"),
    path("<slug:slug>/", views.board_detail, name="board"),
    path("<slug:slug>/new/", views.summary_new, name="summary-new"),
    path("<slug:slug>/<int:pk>/", views.summary_detail, name="summary"),
    path("<slug:slug>/<int:pk>/edit/", views.summary_edit, name="summary-edit"),
    path("<slug:slug>/<int:pk>/publish/", views.summary_publish, name="summary-publish"),
    path("<slug:slug>/<int:pk>/pdf", views.summary_pdf, name="summary-pdf"),
]
