from django.urls import path

from .views import escalations, levels, opportunities, registers, risks, sharing

app_name = "risks"

urlpatterns = [
    path("registers/<slug:slug>/", registers.register_detail, name="register"),
    path("registers/<slug:slug>/compare/", registers.register_compare, name="register-compare"),
    path("heatmaps/", registers.heatmaps, name="heatmaps"),
    path("dashboard/", registers.dashboard, name="dashboard"),
    path("risks/<int:pk>/", risks.risk_detail, name="risk"),
    path("risks/<int:pk>/appetite/", risks.risk_appetite, name="risk-appetite"),
    path("my-risks/", risks.my_risks, name="my-risks"),
    path("risks/<int:pk>/escalate/", escalations.escalate, name="escalate"),
    path("escalations/", escalations.escalation_list, name="escalations"),
    path("risks/<int:pk>/share/", sharing.risk_share, name="risk-share"),
    path("risks/<int:pk>/shared/<slug:slug>/", sharing.shared_commentary, name="shared-commentary"),
    path("escalations/<int:pk>/", escalations.escalation_detail, name="escalation"),
    path("levels/", levels.level_descriptions, name="levels"),
    path("opportunities/<int:pk>/", opportunities.opportunity_detail, name="opportunity"),
    path("opportunities/<int:pk>/update/", opportunities.opportunity_update,
         name="opportunity-update"),
    path("my-opportunities/", opportunities.my_opportunities, name="my-opportunities"),
]
