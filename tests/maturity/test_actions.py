"""A live document: actions are added, changed and completed; overdue ones are flagged."""

import datetime

import pytest
from django.utils import timezone

from maturity.models import PlanAction

TODAY = timezone.localdate()


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


@pytest.fixture
def team(client, planner, seed):
    client.force_login(planner)
    return client


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


def test_status_change_through_htmx_returns_the_row_only(team, item9):
    action = item9.actions.first()
    response = team.post(f"/maturity/actions/{action.pk}/status/",
                         {f"action-{action.pk}-status": "in_progress"},
                         headers={"HX-Request": "true"})
    assert response.status_code == 200
    text = response.text.strip()
    assert text.startswith(f'<tr class="govuk-table__row" id="action-{action.pk}">')
    assert '<strong class="govuk-tag govuk-tag--blue">In progress</strong>' in text
    assert "Status saved." in text


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


def test_a_milestone_due_today_is_not_yet_overdue(item9):
    action = item9.actions.first()
    action.milestone_date = datetime.date(2022, 1, 31)
    assert not action.is_overdue(datetime.date(2022, 1, 31))
    assert action.is_overdue(datetime.date(2022, 2, 1))
    action.status = "complete"
    assert not action.is_overdue(datetime.date(2022, 2, 1))


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
