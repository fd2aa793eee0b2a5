"""Bad input to every form of opportunities (issue 18, item 4): the owner's quarterly update,
the team's review, opportunity and action forms. Hypothesis examples each (new ones every run,
and the boundary values): none may cause a server error; a submission that does not redirect
writes nothing."""

from django.urls import reverse

from risks.models import Opportunity, OpportunityAction, OpportunityAssessment, Post, Risk
from risks.opportunity_services import opportunity_digest

from .badinput import check_form
from .conftest import client_for

TEXT = ["Devices on two BCUs.", "", "  ", "Line one\r\nLine two"]


def _version(pk) -> list:
    version = OpportunityAssessment.objects.get(pk=pk).version
    return [version, version, version - 1, version + 1, 0]


def test_update_form(w):
    action = OpportunityAction.objects.filter(opportunity=w.opportunity1).first()
    report = check_form(
        client_for(w, "owner"), reverse("risks:opportunity-update", args=[w.opportunity1]),
        {"likelihood": [1, 2, 3, 4, ""], "benefit": [1, 2, 3, 4, ""],
         "trend": ["improving", "stable", "worsening", ""],
         "progress": ["on_track", "limited", "slipped", "no_progress", ""],
         "commentary": TEXT, f"action_{action.pk}": ["not_started", "complete", "delayed"],
         "version": _version(w.opp_assessment1), "save": ["1", None], "submit": [None, "1"]},
    )
    assert 302 in report.statuses


def test_review_forms(w):
    client = client_for(w, "planner")
    check_form(client, reverse("quarterly:review-opportunity-approve", args=[w.opp_assessment2]),
               {"version": _version(w.opp_assessment2)})
    check_form(client, reverse("quarterly:review-opportunity-return", args=[w.opp_assessment2]),
               {"comment": TEXT, "version": _version(w.opp_assessment2)})


def test_manage_forms(w):
    client = client_for(w, "planner")
    posts = list(Post.objects.order_by("pk").values_list("pk", flat=True)[:3])
    fields = {
        "ref": [3, 1, 0], "title": ["REDACTION", "  ", "x" * 201], "description": TEXT,
        "owner": [posts[0], 0], "lead_0": ["", posts[1]], "lead_1": ["", posts[1], posts[2]],
        "target_likelihood": [2, "", 5], "target_benefit": [3, "", 0],
        "is_active": ["yes", "no", "maybe"],
    }
    register = Risk.objects.get(pk=w.risk1).register_id
    report = check_form(client, reverse("manage:opportunity-new"),
                        {"register": [register, 0], **fields})
    assert 302 in report.statuses
    digest = opportunity_digest(Opportunity.objects.get(pk=w.opportunity1))
    check_form(client, reverse("manage:opportunity-edit", args=[w.opportunity1]),
               {**fields, "ref": [1, 2], "was": [digest, "", "x"]})
    check_form(client, reverse("manage:opportunity-action-new", args=[w.opportunity1]),
               {"title": ["Measure it", "", "x" * 201], "owner": [posts[0], 0],
                "due_day": ["31", "30", ""], "due_month": ["3", "2", "13"],
                "due_year": ["2022", "1999", "x"]})
