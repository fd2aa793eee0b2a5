"""A business group register's thematic appetite (issue 18, item 1): the team sets the
register's own level per theme; its risks of that theme take it unless they have their own,
in the open quarter's record onward, never a closed quarter's."""

import pytest
from django.urls import reverse

from risks.appetite import register_appetite_digest, save_level, save_theme
from risks.models import Assessment, RegisterAppetite, Risk
from risks.services import record_definitions
from tests.factories import make_user

URL = "manage:register-appetite"


@pytest.fixture
def criteria(planner):
    cautious = save_level(level=None, name="Cautious", description="", max_score=4, order=3,
                          by=planner)
    open_ = save_level(level=None, name="Open", description="", max_score=9, order=4, by=planner)
    operational = save_theme(theme=None, name="Operational", level=cautious, by=planner)
    return cautious, open_, operational


def post(client, register, levels, was=None):
    data = {f"theme_{theme.pk}": level.pk if level else "" for theme, level in levels.items()}
    data["was"] = register_appetite_digest(register) if was is None else was
    return client.post(reverse(URL, args=[register.pk]), data)


def test_a_registers_level_for_a_theme_reaches_its_risks_of_that_theme_in_the_open_quarter(
    client, q3, planner, criteria
):
    cautious, open_, operational = criteria
    risk1, risk2 = Risk.objects.filter(register__slug="corporate", ref__in=[1, 2]).order_by("ref")
    Risk.objects.filter(pk__in=[risk1.pk, risk2.pk]).update(appetite_theme=operational)
    Risk.objects.filter(pk=risk2.pk).update(appetite_level=cautious)  # its own level stays
    record_definitions(period=q3)
    register = risk1.register
    client.force_login(planner)
    assert "Operational" in client.get(reverse(URL, args=[register.pk])).text
    response = post(client, register, {operational: open_})
    assert response.status_code == 302
    assert "1 theme changed" in client.get(response["Location"]).text
    risk1.refresh_from_db()
    assert risk1.appetite_level_shown == open_
    assert Assessment.objects.get(risk=risk1, period=q3).appetite_level_name == "Open"
    assert Assessment.objects.get(risk=risk2, period=q3).appetite_level_name == "Cautious"
    # The closed quarter keeps what it recorded (nothing).
    assert Assessment.objects.get(risk=risk1, period__slug="2021-22-q2").appetite_level_name == ""
    page = client.get(risk1.get_absolute_url()).text
    assert "whose level Corporate risk register sets for it" in page
    history = RegisterAppetite.history.get()
    assert (history.history_user_id, history.history_change_reason) == (planner.pk, "Added")

    # Back to the organisation's level: removed, and the record follows.
    assert post(client, register, {operational: None}).status_code == 302
    assert not RegisterAppetite.objects.exists()
    assert Assessment.objects.get(risk=risk1, period=q3).appetite_level_name == "Cautious"


def test_a_stale_page_or_a_bad_choice_changes_nothing(client, q3, planner, criteria):
    cautious, open_, operational = criteria
    register = Risk.objects.get(register__slug="corporate", ref=1).register
    client.force_login(planner)
    opened = register_appetite_digest(register)
    assert post(client, register, {operational: open_}).status_code == 302
    stale = post(client, register, {operational: cautious}, was=opened)
    assert stale.status_code == 409 and "Someone changed this" in stale.text
    assert RegisterAppetite.objects.get().level == open_
    bad = client.post(reverse(URL, args=[register.pk]), {
        f"theme_{operational.pk}": "99999999999999999999", "was": register_appetite_digest(register)})
    assert bad.status_code == 400 and "Choose a level for Operational from the list" in bad.text
    assert RegisterAppetite.objects.get().level == open_


def test_only_the_team_keeps_a_registers_appetite(client, seed, criteria):
    register = Risk.objects.get(register__slug="corporate", ref=1).register
    client.force_login(make_user("someone"))
    assert client.get(reverse(URL, args=[register.pk])).status_code == 403
