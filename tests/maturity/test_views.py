"""maturity/views.py, the pages that change the plan: the team adds and changes items, themes
and actions; an item's owners keep its update text and log, and complete its actions; overdue
actions are flagged until complete. (The plan's reading pages: test_plan.py; self-assessments:
test_selfassessment.py; who may do what: test_access.py.)"""

import datetime

import pytest
from django.utils import timezone

from maturity.models import PlanAction, PlanItem, PlanItemUpdate, Source, Theme
from risks.models import Post

TODAY = timezone.localdate()


@pytest.fixture
def team(client, planner, seed):
    client.force_login(planner)
    return client


# Items and themes ------------------------------------------------------------------------------


def item_data(**overrides):
    data = {
        "theme": Theme.objects.get(title="Improving governance").pk,
        "ref": "10",
        "sources": [Source.objects.get(name="DARA audit").pk],
        "issue": "Assurance mapping is not joined up",
        "owners": "Planning & Risk Team",
        "owner_posts": [Post.objects.get(name="Planning & Risk Team").pk],
        "success_measure": "One assurance map for the Met",
        "update": "",
    }
    data.update(overrides)
    return data


def test_the_team_adds_an_item_with_its_sources_and_owner_posts(team, planner):
    response = team.post("/maturity/items/new/", item_data())
    item = PlanItem.objects.get(ref=10)
    assert response.status_code == 302 and response["Location"] == f"/maturity/items/{item.pk}/"
    assert item.theme.title == "Improving governance"
    assert [s.name for s in item.sources.all()] == ["DARA audit"]
    assert [p.name for p in item.owner_posts.all()] == ["Planning & Risk Team"]
    assert item.history.first().history_user == planner
    assert "Item 10 added. Now add its actions." in team.get(response["Location"]).text
    appendix = team.get("/maturity/appendix-c/").text
    # Item 10 sits under its theme, after item 8 and before the next theme.
    assert appendix.index('id="appendix-c-item-8"') < appendix.index('id="appendix-c-item-10"') \
        < appendix.index(">Improving organisational learning</th>")


def test_a_new_item_suggests_the_next_ref(team):
    assert 'value="10"' in team.get("/maturity/items/new/").text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ref": "9"}, "Item 9 already exists in this plan: choose another number"),
        ({"ref": "0"}, "The reference must be 1 or more"),
        ({"ref": "ten"}, "Enter the reference as a whole number"),
        ({"issue": ""}, "Enter the issue or problem"),
        ({"owners": ""}, "Enter the item&#x27;s owners"),
        ({"theme": "999"}, "Select a valid choice"),
    ],
)
def test_bad_item_input_gets_a_clear_message_and_changes_nothing(team, overrides, message):
    response = team.post("/maturity/items/new/", item_data(**overrides))
    assert response.status_code == 200
    assert "There is a problem" in response.text and message in response.text
    assert PlanItem.objects.count() == 9


def test_the_team_adds_a_theme(team):
    response = team.post("/maturity/themes/new/", {"title": "Improving assurance", "order": "4"})
    assert response.status_code == 302
    assert "Improving assurance" in team.get("/maturity/").text
    again = team.post("/maturity/themes/new/", {"title": "improving assurance", "order": "5"})
    assert "The plan already has a theme with this title" in again.text
    assert Theme.objects.count() == 4


def test_the_team_edits_every_field_of_an_item_and_the_change_is_recorded(team, item9, planner):
    data = item_data(theme=item9.theme_id, ref="9", issue="Learning is not shared",
                     owner_posts=[Post.objects.get(name="Head of Organisational Learning").pk])
    response = team.post(f"/maturity/items/{item9.pk}/edit/", data)
    assert response.status_code == 302
    item9.refresh_from_db()
    assert item9.issue == "Learning is not shared"
    page = team.get(f"/maturity/items/{item9.pk}/").text
    assert "Issue / problem: “The framework to effectively capture" in page
    assert "→ “Learning is not shared”" in page
    assert "Owner posts removed: AC Professionalism, Senior leaders" in page
    assert "Sources added: DARA audit" in page
    assert ">planner</td>" in page


def test_an_owner_updates_only_the_update_text(client, item_owner, item9):
    client.force_login(item_owner)
    form = client.get(f"/maturity/items/{item9.pk}/edit/").text
    assert 'name="update"' in form and 'name="issue"' not in form
    response = client.post(f"/maturity/items/{item9.pk}/edit/", {
        "update": "Meeting with Paul Clarke (Head of OL) 27 July\n- OL hub pilot agreed",
        "issue": "Hijacked",
    })
    assert response.status_code == 302
    item9.refresh_from_db()
    assert item9.update.endswith("- OL hub pilot agreed")
    assert item9.issue.startswith("The framework")
    assert item9.history.first().history_user == item_owner


def test_an_owner_adds_a_dated_entry_to_the_update_log(client, item_owner, item9):
    client.force_login(item_owner)
    response = client.post(f"/maturity/items/{item9.pk}/updates/", {
        "date_day": "27", "date_month": "7", "date_year": "2021",
        "text": "Meeting with Head of OL",
    })
    assert response.status_code == 302 and response["Location"].endswith("#log")
    entry = PlanItemUpdate.objects.get()
    assert (entry.item, entry.date, entry.text, entry.author) == (
        item9, datetime.date(2021, 7, 27), "Meeting with Head of OL", item_owner
    )
    page = client.get(response["Location"]).text
    assert "Update of 27 July 2021 added to item 9." in page
    assert "<strong>27 July 2021</strong> – Meeting with Head of OL" in page
    assert "Update log entry of 27 July 2021 added" in page  # the change list
    assert "27 July 2021</strong> – Meeting with Head of OL" in client.get("/maturity/appendix-c/").text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": ""}, "Enter what happened"),
        ({"date_day": "", "date_month": "", "date_year": ""}, "Enter the date of the update"),
        ({"date_day": "30", "date_month": "2"}, "Enter a real date"),
        ({"date_year": str(TODAY.year + 1)}, "The date of an update must be today or in the past"),
    ],
)
def test_a_bad_log_entry_gets_a_clear_message_and_changes_nothing(client, item_owner, item9,
                                                                   data, message):
    client.force_login(item_owner)
    payload = {"date_day": "1", "date_month": "7", "date_year": "2021", "text": "Met the OL team"}
    payload.update(data)
    response = client.post(f"/maturity/items/{item9.pk}/updates/", payload)
    assert response.status_code == 400
    assert "There is a problem" in response.text and message in response.text
    assert not PlanItemUpdate.objects.exists()


def test_the_plan_page_shows_the_latest_log_entry_and_links_to_the_rest(client, item_owner, item9):
    PlanItemUpdate.objects.create(item=item9, date=datetime.date(2021, 7, 27), text="First")
    PlanItemUpdate.objects.create(item=item9, date=datetime.date(2021, 9, 1), text="Second")
    client.force_login(item_owner)
    page = client.get("/maturity/").text
    assert "<strong>1 September 2021</strong> – Second" in page
    assert "and 1 earlier" in page


def test_the_changes_page_lists_changes_across_the_plan_with_who(team, item9, planner):
    action = item9.actions.first()
    team.post(f"/maturity/actions/{action.pk}/status/", {f"action-{action.pk}-status": "complete"})
    page = team.get("/maturity/changes/").text
    assert "Status: Not started → Complete" in page
    assert f'href="/maturity/items/{item9.pk}/"' in page
    assert ">planner</td>" in page


# Actions: a live document ----------------------------------------------------------------------


def add_action(client, item, **data):
    payload = {
        "text": "Pilot the OL hub in two BCUs",
        "milestone": "Mar-22",
        "milestone_date_day": "31",
        "milestone_date_month": "3",
        "milestone_date_year": "2022",
        "status": "not_started",
        "order": "",
    }
    payload.update(data)
    return client.post(f"/maturity/items/{item.pk}/actions/new/", payload)


def test_the_team_adds_an_action_at_the_end_of_an_item(team, item9, planner):
    response = add_action(team, item9)
    action = item9.actions.order_by("-pk").first()
    assert response.status_code == 302
    assert response["Location"] == f"/maturity/items/{item9.pk}/#action-{action.pk}"
    assert (action.text, action.milestone, action.milestone_date) == (
        "Pilot the OL hub in two BCUs", "Mar-22", datetime.date(2022, 3, 31)
    )
    assert action.order == 4  # after the seed's four (0 to 3)
    assert action.updated_by == planner
    assert action.history.get().history_user == planner
    page = team.get(f"/maturity/items/{item9.pk}/")
    assert "Action added to item 9." in page.text
    assert "Pilot the OL hub in two BCUs" in team.get("/maturity/appendix-c/").text


def test_an_action_may_have_only_a_text_milestone(team, item9):
    add_action(team, item9, milestone="Ongoing", milestone_date_day="", milestone_date_month="",
               milestone_date_year="")
    action = item9.actions.order_by("-pk").first()
    assert (action.milestone, action.milestone_date) == ("Ongoing", None)


def test_an_action_may_have_only_a_dated_milestone_shown_as_the_date(team, item9):
    add_action(team, item9, milestone="")
    action = item9.actions.order_by("-pk").first()
    assert action.milestone_label == "31 March 2022"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"text": "  "}, "Enter the action"),
        ({"milestone": "", "milestone_date_day": "", "milestone_date_month": "", "milestone_date_year": ""},
         "Enter a milestone as written, a milestone date, or both"),
        ({"milestone_date_day": "31", "milestone_date_month": "2"}, "Enter a real date"),
        ({"milestone_date_month": ""}, "Enter a day, month and year"),
        ({"milestone_date_year": "22"}, "Enter the year as 4 digits"),
        ({"milestone_date_day": "x"}, "Enter the day as a number"),
        ({"status": "finished"}, "Select a valid choice"),
    ],
)
def test_bad_action_input_gets_a_clear_message_and_changes_nothing(team, item9, data, message):
    before = PlanAction.objects.count()
    response = add_action(team, item9, **data)
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert "govuk-error-message" in response.text
    assert PlanAction.objects.count() == before


def test_the_error_summary_links_to_the_date_inputs_first_box(team, item9):
    response = add_action(team, item9, milestone_date_day="31", milestone_date_month="2")
    assert 'href="#id_milestone_date"' in response.text
    assert 'name="milestone_date_day"' in response.text
    day_input = response.text.split('name="milestone_date_day"')[0].rsplit("<input", 1)[1] + \
        response.text.split('name="milestone_date_day"')[1].split(">", 1)[0]
    assert 'id="id_milestone_date"' in day_input
    assert "govuk-input--error" in day_input


def test_the_team_changes_an_actions_text_and_milestone(team, item9):
    action = item9.actions.first()
    response = team.post(f"/maturity/actions/{action.pk}/edit/", {
        "text": action.text, "milestone": "Dec-21", "milestone_date_day": "31",
        "milestone_date_month": "12", "milestone_date_year": "2021", "status": "in_progress",
        "order": "",
    })
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.milestone, action.milestone_date, action.status, action.order) == (
        "Dec-21", datetime.date(2021, 12, 31), "in_progress", 0
    )


def test_completing_an_action_records_when_and_who(team, item9, planner):
    action = item9.actions.first()
    response = team.post(f"/maturity/actions/{action.pk}/status/",
                         {f"action-{action.pk}-status": "complete"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == "complete"
    assert action.completed_at is not None
    assert action.updated_by == planner
    latest = action.history.first()
    assert (latest.history_user, latest.status) == (planner, "complete")
    page = team.get(response["Location"])
    assert "marked “complete” on item 9" in page.text
    assert "Status: Not started → Complete" in page.text  # the item's change list


def test_reopening_a_complete_action_clears_its_completion_time(team, item9):
    action = item9.actions.first()
    team.post(f"/maturity/actions/{action.pk}/status/", {f"action-{action.pk}-status": "complete"})
    team.post(f"/maturity/actions/{action.pk}/status/", {f"action-{action.pk}-status": "in_progress"})
    action.refresh_from_db()
    assert (action.status, action.completed_at) == ("in_progress", None)


def test_status_change_through_htmx_returns_the_row_and_a_success_banner(team, item9):
    action = item9.actions.first()
    response = team.post(f"/maturity/actions/{action.pk}/status/",
                         {f"action-{action.pk}-status": "in_progress"},
                         headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.text.strip()
    assert text.startswith(f'<tr class="govuk-table__row" id="action-{action.pk}">')
    assert '<strong class="govuk-tag govuk-tag--blue">In progress</strong>' in text
    # The success banner goes above the table, out of band.
    banner = text.split("</tr>", 1)[1]
    assert '<div id="action-saved" hx-swap-oob="true">' in banner
    assert "govuk-notification-banner--success" in banner
    assert f"Action marked “in progress” on item {item9.ref}." in banner


def test_the_item_page_holds_the_place_of_the_status_banner(team, item9):
    page = team.get(item9.get_absolute_url()).text
    assert '<div id="action-saved"></div>' in page


def test_a_bad_status_changes_nothing_and_says_why(team, item9):
    action = item9.actions.first()
    response = team.post(f"/maturity/actions/{action.pk}/status/",
                         {f"action-{action.pk}-status": "done"})
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert "Choose not started, in progress or complete" in response.text
    assert f'href="#id_action-{action.pk}-status"' in response.text
    action.refresh_from_db()
    assert action.status == "not_started"
    htmx = team.post(f"/maturity/actions/{action.pk}/status/",
                     {f"action-{action.pk}-status": ""}, headers={"HX-Request": "true"})
    assert "Choose not started, in progress or complete" in htmx.text


def test_status_change_needs_post(team, item9):
    action = item9.actions.first()
    assert team.get(f"/maturity/actions/{action.pk}/status/").status_code == 405


def test_overdue_is_flagged_until_the_action_is_complete(team, item9):
    yesterday = TODAY - datetime.timedelta(days=1)
    tomorrow = TODAY + datetime.timedelta(days=1)
    PlanAction.objects.all().update(milestone_date=tomorrow)  # nothing overdue
    late = item9.actions.first()
    PlanAction.objects.filter(pk=late.pk).update(milestone_date=yesterday)
    page = team.get("/maturity/")
    assert page.text.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 2  # + key
    assert PlanAction.objects.overdue(TODAY).get() == late
    team.post(f"/maturity/actions/{late.pk}/status/", {f"action-{late.pk}-status": "complete"})
    page = team.get("/maturity/")
    assert page.text.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 1
    assert not PlanAction.objects.overdue(TODAY).exists()


def test_an_action_added_as_complete_records_its_completion(team, item9):
    add_action(team, item9, status="complete")
    action = item9.actions.order_by("-pk").first()
    assert action.status == "complete" and action.completed_at is not None
    team.post(f"/maturity/actions/{action.pk}/edit/", {
        "text": action.text, "milestone": "Mar-22", "status": "in_progress", "order": "",
        "milestone_date_day": "", "milestone_date_month": "", "milestone_date_year": "",
    })
    action.refresh_from_db()
    assert (action.status, action.completed_at, action.milestone_date) == ("in_progress", None, None)
