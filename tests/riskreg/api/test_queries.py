"""Each list of the API costs the same, exact number of queries for a register of 10 risks and
of 500 (make_big_register: Q1 closed, Q2 open, a control each), for the team and for a
reader (the Audit Panel, whose quarter is filtered by AssessmentQuerySet.shown); and the same
call again is served from the page cache (Cached) in fewer, the same at any size."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from maturity.models import ActionPlan, PlanAction, PlanItem, Theme
from tests.factories import make_big_register, make_panel, make_planner

from .conftest import token_client

pytestmark = pytest.mark.django_db

SIZES = [10, 500]

# Every call: the token (with its person) and its last use (written once a minute at most: this
# is its first), then the person's groups with the data's versions (the page cache's key). Then the page (its rows and their count, in one
# query) and what the rows bring with them.
SERVED = 2  # the token, the groups and versions: the list is kept (its last use is a minute old)
PLANNER = {
    "/api/v1/registers/": 4,  # groups, the page, the registers' parents
    "/api/v1/periods/": 4,
    "/api/v1/risks/?register=big": 6,  # groups, the register, the page, the risks' pillars
    # groups, the periods (to choose one), the register, the page
    "/api/v1/assessments/?register=big&period=q2": 6,
    "/api/v1/assessments/?register=big&period=q1": 6,
    "/api/v1/controls/?register=big": 5,  # groups, the register, the page
    "/api/v1/control-updates/?register=big&period=q2": 6,  # as the assessments
    "/api/v1/plan-items/": 7,  # groups, the plan, the page, its items' sources and actions
}
PANEL = {
    **PLANNER,
    # + the risks the person may edit (whose return comments they may read): none here
    "/api/v1/assessments/?register=big&period=q2": 7,
    "/api/v1/assessments/?register=big&period=q1": 7,
    # + the open quarter, whose records the panel sees only of approved updates
    "/api/v1/control-updates/?register=big&period=q2": 7,
}


@pytest.fixture(scope="module", params=SIZES, ids=[f"{n}-risks" for n in SIZES])
def big_once(request, django_db_setup, django_db_blocker):
    """Each size built once for the module, and rolled back after its tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build(request.param)
        transaction.set_rollback(True)


@pytest.fixture
def big(big_once, db):
    return big_once


def _build(n: int) -> int:
    make_big_register(n)
    plan = ActionPlan.objects.create(title="Plan", as_of="Sept 2030", date=datetime.date(2030, 9, 1))
    theme = Theme.objects.create(plan=plan, title="Culture")
    for ref in range(1, 4):
        item = PlanItem.objects.create(theme=theme, ref=ref, issue="Issue", owners="Team")
        PlanAction.objects.bulk_create(PlanAction(item=item, text=f"Action {k}") for k in range(3))
    return n


@pytest.mark.parametrize("who", ["planner", "panel"])
@pytest.mark.parametrize("path", list(PLANNER))
def test_a_list_costs_the_same_queries_at_any_size(big, who, path):
    user = make_planner() if who == "planner" else make_panel()
    client = token_client(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, response.content
    body = response.json()
    if "big" in path:
        assert body["count"] == big
    counts = PLANNER if who == "planner" else PANEL
    assert len(queries) == counts[path], "\n".join(q["sql"][:150] for q in queries)
    with CaptureQueriesContext(connection) as queries:
        again = client.get(path)
    assert again.status_code == 200 and again.content == response.content
    assert again["Content-Type"] == "application/json"
    assert len(queries) == SERVED, "\n".join(q["sql"][:150] for q in queries)
