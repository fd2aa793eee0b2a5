"""maturity/access.py, through the pages: who may do what. The team edits everything, an
item's owners update it, a unit's commander fills in its self-assessment, everyone reads."""

import pytest
from django.utils import timezone

from maturity.models import (
    PlanAction,
    PlanItem,
    PlanItemUpdate,
    SelfAssessment,
    Theme,
    assessment_year_for,
)

ROLES = ["planner", "item_owner", "panel", "outsider", "anonymous"]


@pytest.fixture
def as_role(client, request, seed):
    def login(role):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client
    return login


def reads():
    return ["/maturity/", "/maturity/appendix-c/", "/maturity/changes/", "/maturity/items/9/",
            "/maturity/items/1/", "/maturity/self-assessments/"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", reads())
def test_everyone_signed_in_reads_the_plan(as_role, role, url):
    response = as_role(role).get(url)
    if role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 200


def writes(item9_action: int, item1_action: int):
    """(method, url, data, which roles may) for every write path."""
    team = {"planner"}
    owners = {"planner", "item_owner"}
    return [
        ("get", "/maturity/items/new/", None, team),
        ("post", "/maturity/items/new/", {"ref": "10", "issue": "x", "owners": "y",
                                          "theme": Theme.objects.first().pk}, team),
        ("get", "/maturity/themes/new/", None, team),
        ("post", "/maturity/themes/new/", {"title": "New theme", "order": "4"}, team),
        ("get", "/maturity/items/9/actions/new/", None, team),
        ("post", "/maturity/items/9/actions/new/", {"text": "New", "milestone": "Ongoing",
                                                    "status": "not_started"}, team),
        ("get", f"/maturity/actions/{item9_action}/edit/", None, team),
        ("post", f"/maturity/actions/{item9_action}/edit/",
         {"text": "Changed", "milestone": "Ongoing", "status": "not_started"}, team),
        ("post", f"/maturity/actions/{item9_action}/status/",
         {f"action-{item9_action}-status": "complete"}, owners),
        ("post", f"/maturity/actions/{item1_action}/status/",
         {f"action-{item1_action}-status": "complete"}, team),
        ("get", "/maturity/items/9/edit/", None, owners),
        ("post", "/maturity/items/9/edit/", {"update": "Owners' news"}, owners),
        ("get", "/maturity/items/1/edit/", None, team),
        ("post", "/maturity/items/1/edit/", {"update": "Not theirs"}, team),
        ("post", "/maturity/items/9/updates/", {"date_day": "1", "date_month": "9",
                                                "date_year": "2021", "text": "Met"}, owners),
        ("post", "/maturity/items/1/updates/", {"date_day": "1", "date_month": "9",
                                                "date_year": "2021", "text": "Met"}, team),
    ]


def snapshot():
    return (
        PlanItem.objects.count(), Theme.objects.count(), PlanAction.objects.count(),
        PlanItemUpdate.objects.count(),
        list(PlanAction.objects.values_list("text", "status").order_by("pk")),
        list(PlanItem.objects.values_list("update", flat=True).order_by("pk")),
    )


@pytest.mark.parametrize("role", ROLES)
def test_each_write_is_allowed_to_its_roles_only_and_a_refusal_changes_nothing(as_role, role):
    client = as_role(role)
    item9_action = PlanAction.objects.filter(item__ref=9).first().pk
    item1_action = PlanAction.objects.filter(item__ref=1).first().pk
    for method, url, data, allowed in writes(item9_action, item1_action):
        before = snapshot()
        response = getattr(client, method)(url, data or {})
        if role == "anonymous":
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith("/accounts/login/")
            assert snapshot() == before
        elif role in allowed:
            assert response.status_code in (200, 302), (method, url, response.status_code)
        else:
            assert response.status_code == 403, (role, method, url, response.status_code)
            assert snapshot() == before, (role, method, url)


def test_readers_see_no_controls_owners_see_theirs_only(client, seed, panel, item_owner):
    client.force_login(panel)
    page = client.get("/maturity/items/9/").text
    assert "/status/" not in page and "Add an update" not in page and "Add an action" not in page
    assert "Add an item" not in client.get("/maturity/").text
    client.force_login(item_owner)
    page = client.get("/maturity/items/9/").text
    assert "/status/" in page and "Add an update" in page
    assert "Add an action" not in page and "Edit item 9" not in page
    assert "/status/" not in client.get("/maturity/items/1/").text
    plan = client.get("/maturity/").text
    assert "Update<span class=\"govuk-visually-hidden\"> item 9</span>" in plan
    assert "View<span class=\"govuk-visually-hidden\"> item 1</span>" in plan


def test_a_missing_item_or_action_is_not_found(client, seed, planner):
    client.force_login(planner)
    assert client.get("/maturity/items/999/").status_code == 404
    assert client.post("/maturity/actions/999/status/", {}).status_code == 404


@pytest.mark.parametrize(
    ("role", "own_unit", "other_unit"),
    [
        ("planner", 200, 200),
        ("commander", 200, 403),
        ("panel", 403, 403),
        ("outsider", 403, 403),
        ("anonymous", 302, 302),
    ],
)
def test_only_a_units_commander_and_the_team_fill_in_its_self_assessment(
    client, request, units, commander, role, own_unit, other_unit
):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    year = assessment_year_for(timezone.localdate())
    own = client.get(f"/maturity/units/{units['central_west'].pk}/self-assessment/{year}/")
    other = client.get(f"/maturity/units/{units['mo9'].pk}/self-assessment/{year}/")
    assert (own.status_code, other.status_code) == (own_unit, other_unit)
    refused = client.post(f"/maturity/units/{units['mo9'].pk}/self-assessment/{year}/", {})
    if other_unit != 200:
        assert refused.status_code == other_unit
    assert not SelfAssessment.objects.exists()
