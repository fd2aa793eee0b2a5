"""risks/views/levels.py and risks/models/levels.py: the team keeps a description of each likelihood and
impact level, with its history; none is invented, and an empty one shows nothing."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from risks.models.levels import LevelDescription, level_hints

URL = reverse("risks:levels")


def test_no_description_is_invented_by_the_seed(seed):
    assert not LevelDescription.objects.exists()
    assert level_hints() == {"likelihood": {}, "impact": {}}


def test_the_team_sees_a_box_per_level_of_each_scale(client, planner):
    client.force_login(planner)
    page = client.get(URL).text
    for dimension in ("likelihood", "impact"):
        for level in range(1, 5):
            assert f'name="{dimension}_{level}"' in page
    assert "No level has been described yet." in page


def test_saving_writes_what_changed_with_its_history(client, planner):
    client.force_login(planner)
    response = client.post(URL, {"likelihood_1": "  Rare  ", "impact_4": "Severe"}, follow=True)
    assert "2 level descriptions saved." in response.text
    assert level_hints() == {"likelihood": {1: "Rare"}, "impact": {4: "Severe"}}
    # Unchanged boxes write nothing; emptying one removes it from the hints, in the history.
    response = client.post(URL, {"likelihood_1": "Rare", "impact_4": ""}, follow=True)
    assert "1 level description saved." in response.text
    assert level_hints() == {"likelihood": {1: "Rare"}, "impact": {}}
    history = LevelDescription.history.order_by("history_date")
    assert [(h.dimension, h.level, h.description, h.history_user) for h in history] == [
        ("likelihood", 1, "Rare", planner), ("impact", 4, "Severe", planner),
        ("impact", 4, "", planner),
    ]
    page = client.get(URL).text
    assert "(removed)" in page and "Severe" in page
    assert client.post(URL, {"likelihood_1": "Rare"}, follow=True).text.count(
        "Nothing changed, so nothing was saved."
    ) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [({"impact_2": "x" * 501}, "Keep the description of impact medium to 500 characters"),
     ({"likelihood_3": "a\x00b"}, "Null characters are not allowed")],
)
def test_bad_input_is_refused_and_changes_nothing(client, planner, data, message):
    client.force_login(planner)
    response = client.post(URL, data)
    assert response.status_code == 200
    assert "There is a problem" in response.text and message in response.text
    assert not LevelDescription.objects.exists()


def test_only_the_team_keeps_them(client, owner):
    client.force_login(owner)
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"likelihood_1": "Rare"}).status_code == 403
    assert not LevelDescription.objects.exists()


def test_one_description_per_level_on_the_scale(db):
    LevelDescription.objects.create(dimension="impact", level=1, description="Minor")
    with pytest.raises(IntegrityError):
        LevelDescription.objects.create(dimension="impact", level=1, description="Again")


@pytest.mark.parametrize(("dimension", "level"), [("impact", 5), ("cost", 1), ("impact", 0)])
def test_a_level_off_the_scale_is_refused_by_the_database(db, dimension, level):
    with pytest.raises(IntegrityError):
        LevelDescription.objects.create(dimension=dimension, level=level, description="x")
