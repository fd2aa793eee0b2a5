"""Reading through the API: the same rules as the pages (404 outside scope, readers see
approved positions only), filters by period and register, pages of any size."""

import pytest
from django.urls import reverse

from controls.models import ControlUpdate
from risks.models import Assessment

from .conftest import token_client

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_registers_are_those_the_person_may_read(seed, other_owner, outsider):
    assert [r["slug"] for r in _results(token_client(other_owner).get("/api/v1/registers/"))] == [
        "corporate"
    ]
    assert _results(token_client(outsider).get("/api/v1/registers/")) == []
    assert token_client(outsider).get("/api/v1/registers/corporate/").status_code == 404


def test_risks_of_a_register_with_their_leads_and_pillars(seed, panel):
    rows = _results(token_client(panel).get("/api/v1/risks/", {"register": "corporate"}))
    assert len(rows) == 11
    one = rows[0]
    assert (one["ref"], one["title"], one["owner"]) == (1, "VIOLENT CRIME", "AC Frontline Policing")
    assert one["leads"] and one["pillars"]


def test_an_unknown_or_unreadable_register_filter_is_not_found(seed, outsider, panel):
    response = token_client(panel).get("/api/v1/risks/", {"register": "nowhere"})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert token_client(outsider).get("/api/v1/risks/", {"register": "corporate"}).status_code == 404


def test_a_closed_quarter_shows_its_record(seed, panel):
    rows = _results(token_client(panel).get("/api/v1/assessments/", {"period": "2021-22-q2"}))
    assert len(rows) == 11
    risk1 = next(r for r in rows if r["ref"] == 1)
    assert (risk1["likelihood"], risk1["impact"], risk1["band"], risk1["rag"]) == (2, 3, "High", "green")
    assert risk1["state"] == "approved"


def test_readers_see_approved_positions_only_and_owners_their_drafts(q3, owner, panel, planner):
    a = Assessment.objects.get(risk__ref=1, period=q3)
    Assessment.objects.filter(pk=a.pk).update(commentary="Draft words nobody else may read.")
    panel_rows = _results(token_client(panel).get("/api/v1/assessments/", {"period": q3.slug}))
    # The panel is shown each risk's last approved update (Q2's) in place of the Q3 drafts.
    assert {r["period"] for r in panel_rows} == {"2021-22-q2"}
    assert "Draft words" not in str(panel_rows)
    assert token_client(panel).get(f"/api/v1/assessments/{a.pk}/").status_code == 404
    owner_rows = _results(token_client(owner).get("/api/v1/assessments/", {"period": q3.slug}))
    mine = next(r for r in owner_rows if r["ref"] == 1)
    assert (mine["period"], mine["state"], mine["commentary"]) == (
        q3.slug, "draft", "Draft words nobody else may read."
    )
    assert token_client(owner).get(f"/api/v1/assessments/{a.pk}/").status_code == 200
    team = _results(token_client(planner).get("/api/v1/assessments/", {"period": q3.slug}))
    assert {r["period"] for r in team} == {q3.slug}


def test_the_default_period_is_the_open_one(q3, planner):
    rows = _results(token_client(planner).get("/api/v1/assessments/"))
    assert {r["period"] for r in rows} == {q3.slug}


def test_an_unknown_period_is_not_found(seed, planner):
    response = token_client(planner).get("/api/v1/assessments/", {"period": "1999-q9"})
    assert response.status_code == 404


def test_control_notes_only_for_the_team_the_panel_and_the_risks_own_people(
    seed, panel, owner, other_owner
):
    query = {"period": "2021-22-q2", "register": "corporate"}
    noted = ControlUpdate.objects.filter(period__slug="2021-22-q2").exclude(note="").first()
    assert noted is not None
    for user, sees in ((panel, True), (other_owner, noted.risk.owner.name == "Deputy Commissioner")):
        rows = _results(token_client(user).get("/api/v1/control-updates/", {**query,
                                                                          "page_size": 200}))
        row = next(r for r in rows if r["id"] == noted.pk)
        assert (row["note"] == noted.note) is sees, user
        if not sees:
            assert row["note"] is None


def test_controls_filtered_by_risk(seed, panel, risk1):
    rows = _results(token_client(panel).get("/api/v1/controls/", {"risk": risk1.pk}))
    assert rows and {r["risk"] for r in rows} == {risk1.pk}
    bad = token_client(panel).get("/api/v1/controls/", {"risk": "one"})
    assert bad.status_code == 400
    assert bad.json()["errors"]["risk"]


def test_the_action_plan(seed, outsider):
    rows = _results(token_client(outsider).get("/api/v1/plan-items/", {"page_size": 200}))
    assert rows and rows[0]["actions"]


def test_a_page_past_the_end_is_the_last(seed, panel):
    client = token_client(panel)
    for number, shown in [("2", 2), ("3", 3), ("4", 3), ("9999", 3)]:
        body = client.get("/api/v1/risks/", {"page": number, "page_size": 5}).json()
        assert (body["count"], body["pages"], body["page"]) == (11, 3, shown)


@pytest.mark.parametrize("query", [
    {"page": "x"}, {"page": "0"}, {"page": "-1"}, {"page": "\u0663"}, {"page": "9" * 400},
    {"page_size": "0"}, {"page_size": "201"}, {"page_size": "1e3"}, {"page": ["1", "2"]},
])
def test_a_bad_page_or_page_size_is_400_with_a_message(seed, panel, query):
    response = token_client(panel).get("/api/v1/risks/", query)
    assert response.status_code == 400
    assert "as a whole number from 1 to" in response.json()["detail"]


def test_review_comments_are_for_the_risks_own_people(q3, owner, other_owner, planner, risk1):
    from risks.services import return_assessment

    a = Assessment.objects.get(risk=risk1, period=q3)
    Assessment.objects.filter(pk=a.pk).update(state="submitted")
    return_assessment(assessment=a, version=a.version, by=planner, comment="Say more.")
    rows = _results(token_client(owner).get("/api/v1/assessments/", {"period": q3.slug}))
    assert next(r for r in rows if r["ref"] == 1)["review_comment"] == "Say more."
    other = token_client(other_owner).get(f"/api/v1/assessments/{a.pk}/")
    assert other.status_code == 404


def test_no_token_is_401_and_a_bad_token_is_401(seed):
    from django.test import Client

    assert Client().get("/api/v1/risks/").status_code == 401
    bad = Client(HTTP_AUTHORIZATION="Bearer rr_nonsense").get("/api/v1/risks/")
    assert bad.status_code == 401
    assert "revoked" in bad.json()["detail"]


def test_the_schema_is_openapi_3(seed, panel):
    response = token_client(panel).get(reverse("api:schema"), {"format": "json"})
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")
