"""maturity/plan.py and the plan's reading pages (the plan, Appendix C, an item): the seed's
plan complete on them, overdue actions, filters, and a constant number of queries whatever the
size of the plan."""

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maturity.models import PlanAction, PlanItem, PlanItemUpdate, Source, Theme
from maturity.plan import action_counts, appendix_c
from risks.models import Post

THEMES = [
    "Achieving an embedded risk culture",
    "Improving governance",
    "Improving organisational learning",
]
APPENDIX_C_COLUMNS = [
    "Ref", "Source", "Issue / Problem", "Action", "Owner", "Initial milestone date",
    "What does success look like?", "Update",
]


def page_text(response) -> str:
    return html.unescape(response.text)


@pytest.fixture
def reader(client, outsider):
    client.force_login(outsider)
    return client


@pytest.mark.parametrize("url", ["/maturity/", "/maturity/appendix-c/"])
def test_every_item_action_and_milestone_of_the_seed_is_on_the_page(reader, seed, url):
    text = page_text(reader.get(url))
    for theme in THEMES:
        assert theme in text
    for item in PlanItem.objects.prefetch_related("sources", "actions"):
        assert item.issue in text
        for line in item.owners.splitlines():
            assert line in text
        assert item.success_measure in text
        for source in item.sources.all():
            assert source.name in text
        for action in item.actions.all():
            assert action.text in text
            assert action.milestone in text


def test_appendix_c_is_the_seeds_table_by_theme(reader, seed):
    text = page_text(reader.get("/maturity/appendix-c/"))
    assert "Appendix C – Risk maturity action plan Sept 2021" in text
    for column in APPENDIX_C_COLUMNS:
        assert f">{column}</th>" in text
    positions = [text.index(f">{theme}</th>") for theme in THEMES]
    assert positions == sorted(positions)
    # Items in ref order, each after its theme's heading.
    assert text.index('id="appendix-c-item-6"') < positions[1] < text.index('id="appendix-c-item-7"')
    assert text.index('id="appendix-c-item-8"') < positions[2] < text.index('id="appendix-c-item-9"')


def test_appendix_c_table_scrolls_in_a_labelled_focusable_region(reader, seed):
    text = reader.get("/maturity/appendix-c/").text
    assert (
        'class="rr-table-scroll mat-scroll mat-appendix-c-scroll" role="region" '
        'aria-labelledby="appendix-c-caption" tabindex="0"'
    ) in text
    assert 'id="appendix-c-caption"' in text


def test_appendix_c_is_the_reports_table_and_shows_status_on_request(reader, seed):
    overdue = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    assert overdue not in reader.get("/maturity/appendix-c/").text
    text = reader.get("/maturity/appendix-c/?status=on").text
    assert text.count(overdue) == PlanAction.objects.overdue(datetime.date.today()).count()
    assert text.count(">Not started</strong>") == 24


def test_update_text_is_structured_into_lists_never_raw_html(reader, seed):
    text = reader.get("/maturity/appendix-c/").text
    assert "<li>Performance Board</li>" in text
    assert "<li>Data Board</li>" in text
    assert "<p class=\"govuk-body-s mat-cell-text\">Strategic Boards are:</p>" in text
    assert "list-style-type" not in text
    assert "&lt;ul" not in text and "&lt;p" not in text
    assert "style=" not in text


def test_appendix_c_marks_milestones_passed_on_a_given_day_overdue(plan):
    """On the day of the October 2021 Audit Panel only September's milestone had passed."""
    rows = appendix_c(plan, today=datetime.date(2021, 10, 4))
    overdue = [
        row.action.text for theme in rows for item in theme.items for row in item.actions
        if row.overdue
    ]
    assert overdue == [
        "Review current risk appetite criteria and scope if still appropriate and amend if necessary"
    ]
    counts = action_counts(rows)
    assert (counts.total, counts.not_started, counts.complete, counts.overdue) == (24, 24, 0, 1)


def test_undated_milestones_are_never_overdue(plan):
    rows = appendix_c(plan, today=datetime.date(2040, 1, 1))
    ongoing = [row for t in rows for i in t.items for row in i.actions if row.action.milestone == "Ongoing"]
    assert ongoing and not any(row.overdue for row in ongoing)
    assert action_counts(rows).overdue == 24 - len(ongoing)


def test_plan_page_counts_and_flags_overdue_actions_with_the_word(reader, seed):
    text = page_text(reader.get("/maturity/"))
    overdue = PlanAction.objects.overdue(datetime.date.today()).count()
    assert overdue > 0  # every dated milestone of the seed is in the past
    assert text.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == overdue + 1


def test_overdue_filter_shows_only_overdue_actions(reader, seed):
    text = page_text(reader.get("/maturity/?show=overdue"))
    assert "Maintain regular slot on risk management" not in text  # Ongoing: never overdue
    assert "Refresh the Planning and Risk intranet page" in text


def test_filter_via_htmx_returns_only_the_items_partial(reader, seed):
    response = reader.get("/maturity/?show=open", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="plan-items">')
    assert "<html" not in response.text


def test_a_history_restore_gets_the_whole_page(reader, seed):
    response = reader.get(
        "/maturity/?show=open", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in response.text


def test_unknown_filter_shows_everything(reader, seed):
    assert "Maintain regular slot" in reader.get("/maturity/?show=<script>").text


def test_every_htmx_get_also_has_an_href(reader, seed):
    for url in ["/maturity/", "/maturity/self-assessments/"]:
        text = reader.get(url).text
        assert text.count("hx-get=") == text.count('href="?')


def test_no_inline_script_or_event_handler_attributes(client, planner, seed):
    client.force_login(planner)
    for url in ["/maturity/", "/maturity/appendix-c/", "/maturity/items/9/",
                "/maturity/items/new/", "/maturity/actions/1/edit/", "/maturity/self-assessments/"]:
        text = client.get(url).text
        assert " onclick=" not in text and " onchange=" not in text and "hx-on" not in text
        assert "style=" not in text
        body = text.split("<main", 1)[1].split("</main>", 1)[0]
        assert "<script" not in body


def test_plan_page_without_a_plan_says_so_and_other_plan_pages_are_not_found(client, outsider):
    client.force_login(outsider)
    response = client.get("/maturity/")
    assert response.status_code == 200
    assert "There is no risk maturity action plan yet" in response.text
    assert client.get("/maturity/appendix-c/").status_code == 404


def test_the_appendix_c_partial_renders_for_a_pdf_without_page_furniture(plan):
    from django.template.loader import render_to_string

    text = render_to_string(
        "maturity/includes/appendix_c_table.html",
        {"plan": plan, "themes": appendix_c(plan, today=datetime.date(2021, 10, 4)), "pdf": True},
    )
    assert "role=\"region\"" not in text and "tabindex" not in text and "<a " not in text
    assert "Appendix C – Risk maturity action plan Sept 2021" in text
    assert text.count("<tr class=\"govuk-table__row\" id=\"appendix-c-item-") == 9


# Queries ---------------------------------------------------------------------------------------


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
    """The session with the user; the plan; the open period's end (the day that decides
    Overdue); themes, items, sources, actions, log; groups, editable items; benchmark years;
    the session is not written (at most once a minute). Counted, so that a new query on this
    page is a decision."""
    client.force_login(planner)
    with django_assert_num_queries(11):
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


def test_overdue_is_decided_by_one_day_on_every_page(client, q3, planner):
    """With 2021/22 Q3 open, every page judges at its last day (not five years on): the plan,
    Appendix C with statuses, an item's page and the row a status change returns."""
    from maturity.plan import overdue_day

    day = datetime.date(2021, 12, 31)
    assert overdue_day() == day
    overdue = '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
    expected = PlanAction.objects.overdue(day)
    assert 0 < expected.count() < PlanAction.objects.count()
    client.force_login(planner)
    plan_page = client.get("/maturity/").text
    assert plan_page.count(overdue) == expected.count() + 1  # the key, above the list
    assert "milestone date before 31 December 2021" in plan_page
    assert client.get("/maturity/appendix-c/?status=on").text.count(overdue) == expected.count()
    item = expected.first().item
    assert client.get(item.get_absolute_url()).text.count(overdue) == (
        expected.filter(item=item).count()
    )
    action = expected.first()
    row = client.post(f"/maturity/actions/{action.pk}/status/",
                      {f"action-{action.pk}-status": "in_progress"},
                      headers={"HX-Request": "true"}).text
    assert overdue in row


def test_without_an_open_quarter_overdue_is_judged_today(seed):
    from maturity.plan import overdue_day

    assert overdue_day() == datetime.date.today()
