"""Plan pages keep a constant number of queries, whatever the size of the plan."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maturity.models import PlanAction, PlanItem, PlanItemUpdate, Source, Theme
from maturity.plan import appendix_c
from maturity.selfassessment import results_for
from maturity.services import record_self_assessment
from risks.models import Post


def grow(plan, *, items: int = 12):
    """More themes, items, sources, owners, actions and log entries than the seed has."""
    theme = Theme.objects.create(plan=plan, title="Improving assurance", order=4)
    sources = list(Source.objects.all())
    posts = list(Post.objects.all()[:3])
    for n in range(items):
        item = PlanItem.objects.create(theme=theme, ref=100 + n, issue=f"Issue {n}", owners="Team")
        item.sources.set(sources)
        item.owner_posts.set(posts)
        for k in range(5):
            PlanAction.objects.create(item=item, order=k, text=f"Action {n}.{k}",
                                      milestone="Oct-21", milestone_date=datetime.date(2021, 10, 31))
        for k in range(3):
            PlanItemUpdate.objects.create(item=item, date=datetime.date(2021, 9, k + 1), text="News")


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["planner", "item_owner", "outsider"])
@pytest.mark.parametrize("url", ["/maturity/", "/maturity/appendix-c/", "/maturity/?show=overdue"])
def test_plan_pages_query_count_does_not_grow_with_the_plan(
    client, request, plan, role, url, django_assert_num_queries
):
    client.force_login(request.getfixturevalue(role))
    small = count(client, url)
    grow(plan)
    with django_assert_num_queries(small):
        client.get(url)


def test_plan_page_query_budget(client, plan, planner, django_assert_num_queries):
    """Session and user; the plan; themes, items, sources, actions, log;
    groups, editable items; benchmark years; the session's save (3). Counted, so that a new
    query on this page is a decision."""
    client.force_login(planner)
    with django_assert_num_queries(14):
        client.get("/maturity/")


def test_appendix_c_builds_in_five_queries(plan, django_assert_num_queries):
    grow(plan)
    with django_assert_num_queries(5):
        rows = appendix_c(plan, today=datetime.date(2021, 10, 4))
        # Reading everything the partial reads costs nothing more.
        for theme in rows:
            for item in theme.items:
                [s.name for s in item.sources]
                [(a.action.text, a.overdue) for a in item.actions]
                [e.text for e in item.log]


def test_self_assessment_results_in_four_queries(units, dimensions, django_assert_num_queries):
    for unit in units.values():
        record_self_assessment(unit=unit, year=2021, by=None, levels={d.pk: 3 for d in dimensions})
    with django_assert_num_queries(4):
        results_for(2021)


def test_item_page_query_count_does_not_grow_with_its_history(
    client, plan, planner, item9, django_assert_num_queries
):
    client.force_login(planner)
    url = f"/maturity/items/{item9.pk}/"
    first = item9.actions.first()
    first.status = "in_progress"
    first.save()
    PlanItemUpdate.objects.create(item=item9, date=datetime.date(2021, 8, 1), text="N")
    small = count(client, url)
    for status in ["in_progress", "complete", "in_progress"] * 3:
        for action in item9.actions.all():
            action.status = status
            action.save()
    for n in range(5):
        PlanItemUpdate.objects.create(item=item9, date=datetime.date(2021, 9, 1), text=f"N{n}")
    with django_assert_num_queries(small):
        client.get(url)
