from django.urls import path

from . import views

app_name = "notify"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/read/", views.notification_read, name="read"),
    path("notifications/settings/", views.notification_settings, name="settings"),
    path("review/approve-selected/", views.approve_selected, name="approve-selected"),
    path("review/chase/", views.chase, name="chase"),
    path("review/actions/", views.team_actions, name="team-actions"),
    path("review/deadline/<int:pk>/", views.extend_deadline, name="extend-deadline"),
    path("risks/<int:pk>/update/delegate/", views.delegate, name="delegate"),
]
