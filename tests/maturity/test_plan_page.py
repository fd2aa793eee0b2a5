"""The seed's plan, complete, on the plan page and the Appendix C page."""

import datetime
import html

import pytest

from maturity.models import PlanAction, PlanItem, Theme
from maturity.plan import action_counts, appendix_c

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


def test_seed_has_three_themes_nine_items_and_every_action_has_a_milestone(seed):
    assert list(Theme.objects.values_list("title", flat=True)) == THEMES
    assert list(PlanItem.objects.values_list("ref", flat=True)) == list(range(1, 10))
    assert PlanAction.objects.count() == 24
    assert not PlanAction.objects.filter(milestone="", milestone_date=None).exists()


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
