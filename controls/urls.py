from django.urls import path

from . import views

app_name = "controls"

# The quarterly update of a risk (its task list, controls and submission) and the review page:
# they live here because they join the risk's assessment with its controls.
urlpatterns = [
    path("risks/<int:pk>/update/", views.update_tasklist, name="update"),
    path("risks/<int:pk>/update/controls/", views.update_controls, name="update-controls"),
    path("risks/<int:pk>/update/controls/add/", views.control_add, name="control-add"),
    path(
        "risks/<int:pk>/update/controls/unchanged/",
        views.controls_carry_forward,
        name="controls-unchanged",
    ),
    path(
        "risks/<int:pk>/update/controls/<int:control_pk>/",
        views.control_update,
        name="control-update",
    ),
    path("risks/<int:pk>/update/check/", views.update_check, name="update-check"),
    path("review/<int:pk>/", views.review_detail, name="review-detail"),
]
