"""Items are added and changed by the team; their owners keep the update text and log."""

import datetime

import pytest
from django.utils import timezone

from maturity.models import PlanItem, PlanItemUpdate, Source, Theme
from risks.models import Post

TODAY = timezone.localdate()


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


@pytest.fixture
def team(client, planner, seed):
    client.force_login(planner)
    return client


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
