"""/manage/appetite/: the Planning & Risk Team keeps the appetite criteria (issue 18), with
history, success banners, a stale edit refused with what it says now, and bad input refused
without writing; everyone else gets 403."""

import pytest
from django.urls import reverse

from risks.appetite import level_digest, save_level, save_theme, theme_digest
from risks.models import AppetiteLevel, AppetiteTheme
from tests.queries import SIGNED_IN

LEVEL = {"name": "Cautious", "description": "Safe options.", "max_score": "4", "order": "3"}


@pytest.fixture
def cautious(planner):
    return save_level(level=None, name="Cautious", description="", max_score=4, order=3,
                      by=planner)


def test_the_team_adds_a_level_and_a_theme(client, planner):
    client.force_login(planner)
    response = client.post(reverse("manage:appetite-level-new"), LEVEL, follow=True)
    assert "Appetite level “Cautious” saved." in response.text
    level = AppetiteLevel.objects.get()
    assert (level.max_score, level.description) == (4, "Safe options.")
    response = client.post(reverse("manage:appetite-theme-new"),
                           {"name": "Financial", "level": level.pk}, follow=True)
    assert "Appetite theme “Financial” saved." in response.text
    page = client.get(reverse("manage:appetite")).text
    assert "Financial" in page and "Cautious" in page
    last = AppetiteTheme.history.latest("history_date")
    assert (last.history_user, last.history_change_reason) == (planner, "Added")


@pytest.mark.parametrize(("field", "value", "message"), [
    ("max_score", "17", "must be 16 or less"),
    ("max_score", "0", "must be 1 or more"),
    ("max_score", "4.5", "as a whole number"),
    ("max_score", "١٢", "as a whole number"),
    ("max_score", "9" * 30, "must be 16 or less"),
    ("max_score", "", "Enter the highest score it accepts"),
    ("name", "", "Enter the level&#x27;s name"),
    ("name", "x" * 101, "100 characters or fewer"),
    ("order", "-1", "must be 0 or more"),
])
def test_a_bad_level_is_refused_and_nothing_written(client, planner, field, value, message):
    client.force_login(planner)
    response = client.post(reverse("manage:appetite-level-new"), {**LEVEL, field: value})
    assert response.status_code == 400 and message in response.text
    assert not AppetiteLevel.objects.exists()


def test_a_duplicate_name_or_unknown_level_is_refused(client, planner, cautious):
    client.force_login(planner)
    response = client.post(reverse("manage:appetite-level-new"), {**LEVEL, "name": "cautious"})
    assert response.status_code == 400 and "already a level with this name" in response.text
    for level in ("99999", "99999999999999999999999", "x", ""):
        response = client.post(reverse("manage:appetite-theme-new"),
                               {"name": "People", "level": level})
        assert response.status_code == 400
    assert AppetiteLevel.objects.count() == 1 and not AppetiteTheme.objects.exists()


def test_a_stale_edit_is_refused_with_what_it_says_now(client, planner, cautious):
    opened = level_digest(cautious)
    save_level(level=cautious, name="Careful", description="", max_score=4, order=3,
               was=opened, by=planner)
    client.force_login(planner)
    response = client.post(reverse("manage:appetite-level-edit", args=[cautious.pk]),
                           {**LEVEL, "name": "Wary", "was": opened})
    assert response.status_code == 409 and "What it says now" in response.text
    assert "Careful" in response.text
    assert AppetiteLevel.objects.get().name == "Careful"
    theme = save_theme(theme=None, name="People", level=cautious, by=planner)
    was = theme_digest(theme)
    save_theme(theme=theme, name="Staff", level=cautious, was=was, by=planner)
    response = client.post(reverse("manage:appetite-theme-edit", args=[theme.pk]),
                           {"name": "Workforce", "level": cautious.pk, "was": was})
    assert response.status_code == 409
    assert AppetiteTheme.objects.get().name == "Staff"


def test_an_edit_shows_the_history(client, planner, cautious):
    client.force_login(planner)
    response = client.post(reverse("manage:appetite-level-edit", args=[cautious.pk]),
                           {**LEVEL, "max_score": "6", "was": level_digest(cautious)})
    assert response.status_code == 302
    page = client.get(reverse("manage:appetite-level-edit", args=[cautious.pk])).text
    assert "Changed" in page and "planner" in page.lower()


@pytest.mark.parametrize("role", ["owner", "lead", "panel"])
def test_nobody_but_the_team_keeps_the_criteria(client, request, role, cautious):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("manage:appetite")).status_code == 403
    assert client.post(reverse("manage:appetite-level-new"), LEVEL).status_code == 403
    assert client.post(reverse("manage:appetite-level-edit", args=[cautious.pk]),
                       {**LEVEL, "name": "Open"}).status_code == 403
    assert AppetiteLevel.objects.get().name == "Cautious"


@pytest.mark.parametrize("themes", [1, 20])
def test_the_list_costs_a_fixed_number_of_queries(client, planner, cautious, themes,
                                                  django_assert_num_queries):
    for n in range(themes):
        save_theme(theme=None, name=f"Theme {n}", level=cautious, by=planner)
    client.force_login(planner)
    with django_assert_num_queries(SIGNED_IN + 2):
        assert client.get(reverse("manage:appetite")).status_code == 200
