"""The quarterly update (/risks/<pk>/update/…) and the team's review (/review/…).

The paths are older than this module: people bookmark them, so they stay as they are."""

from django.urls import path

from . import (
    changes,
    periods,
    review,
    review_opportunities,
    update,
    update_controls,
    update_indicators,
    update_submit,
)

app_name = "quarterly"

urlpatterns = [
    path("risks/<int:pk>/update/", update.update_tasklist, name="update"),
    path("risks/<int:pk>/update/score/", update.update_score, name="update-score"),
    path("risks/<int:pk>/update/progress/", update.update_progress, name="update-progress"),
    path(
        "risks/<int:pk>/update/controls/", update_controls.update_controls, name="update-controls"
    ),
    path(
        "risks/<int:pk>/update/controls/add/", update_controls.control_add, name="control-add"
    ),
    path(
        "risks/<int:pk>/update/controls/unchanged/",
        update_controls.controls_carry_forward,
        name="controls-unchanged",
    ),
    path(
        "risks/<int:pk>/update/controls/<int:control_pk>/",
        update_controls.control_update,
        name="control-update",
    ),
    path(
        "risks/<int:pk>/update/indicators/", update_indicators.update_indicators,
        name="update-indicators",
    ),
    path("risks/<int:pk>/update/check/", update_submit.update_check, name="update-check"),
    path("risks/<int:pk>/update/recall/", update_submit.update_recall, name="update-recall"),
    path("registers/<slug:slug>/changes/", changes.register_changes, name="register-changes"),
    path("periods/", periods.period_list, name="periods"),
    path("periods/open/", periods.period_open, name="period-open"),
    path("periods/<slug:slug>/close/", periods.period_close, name="period-close"),
    path("review/", review.review_queue, name="review"),
    path("review/<int:pk>/", review.review_detail, name="review-detail"),
    path("review/<int:pk>/approve/", review.review_approve, name="review-approve"),
    path("review/<int:pk>/return/", review.review_return, name="review-return"),
    path("review/opportunities/<int:pk>/", review_opportunities.review_opportunity,
         name="review-opportunity"),
    path("review/opportunities/<int:pk>/approve/", review_opportunities.review_opportunity_approve,
         name="review-opportunity-approve"),
    path("review/opportunities/<int:pk>/return/", review_opportunities.review_opportunity_return,
         name="review-opportunity-return"),
    path(
        "review/<int:pk>/controls/<int:control_pk>/key/",
        review.review_key_control,
        name="review-key-control",
    ),
]
