"""A risk's appetite is edited in the service by the Planning & Risk Team (issue 14): the risk
and the open quarter's record of it follow; a closed quarter keeps the appetite it recorded."""

import pytest
from django.urls import reverse

from risks.locking import StaleVersion
from risks.models import Assessment, Risk
from risks.services import appetite_digest, set_appetite

NEW = "Low appetite for serious violence; moderate for acquisitive crime."


def url(risk):
    return reverse("risks:risk-appetite", args=[risk.pk])


def test_the_risk_page_links_the_team_to_the_appetite(client, planner, owner, risk1):
    client.force_login(planner)
    page = client.get(reverse("risks:risk", args=[risk1.pk])).text
    assert f'href="{url(risk1)}"' in page
    client.force_login(owner)
    assert f'href="{url(risk1)}"' not in client.get(reverse("risks:risk", args=[risk1.pk])).text


def test_the_team_sets_the_appetite_of_the_open_quarter_only(client, planner, q3, risk1):
    q2 = q3.previous()
    q2_appetite = Assessment.objects.get(risk=risk1, period=q2).appetite
    client.force_login(planner)
    page = client.get(url(risk1)).text
    assert 'name="appetite"' in page and 'name="was"' in page
    response = client.post(url(risk1), {"appetite": NEW, "was": appetite_digest(risk1.appetite)},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("risks:risk", args=[risk1.pk])
    assert "appetite saved for 2021/22 Q3 onward" in response.text and NEW in response.text
    risk1.refresh_from_db()
    assert risk1.appetite == NEW
    assert Assessment.objects.get(risk=risk1, period=q3).appetite == NEW
    assert Assessment.objects.get(risk=risk1, period=q2).appetite == q2_appetite != NEW
    last = Risk.history.filter(id=risk1.pk).latest("history_date")
    assert (last.history_user, last.history_change_reason) == (planner, "Appetite changed")


def test_with_no_open_quarter_only_the_risk_changes(client, planner, risk1):
    q2_appetite = Assessment.objects.get(risk=risk1, period__slug="2021-22-q2").appetite
    client.force_login(planner)
    response = client.post(url(risk1), {"appetite": NEW, "was": appetite_digest(risk1.appetite)})
    assert response.status_code == 302
    risk1.refresh_from_db()
    assert risk1.appetite == NEW
    assert Assessment.objects.get(risk=risk1, period__slug="2021-22-q2").appetite == q2_appetite


@pytest.mark.parametrize("role", ["owner", "lead", "panel"])
def test_nobody_but_the_team_sets_it(client, request, q3, risk1, role):
    client.force_login(request.getfixturevalue(role))
    before = risk1.appetite
    assert client.get(url(risk1)).status_code == 403
    response = client.post(url(risk1), {"appetite": NEW, "was": appetite_digest(before)})
    assert response.status_code == 403
    risk1.refresh_from_db()
    assert risk1.appetite == before


def test_a_change_made_meanwhile_is_not_overwritten(client, planner, q3, risk1):
    opened = appetite_digest(risk1.appetite)
    set_appetite(risk=risk1, appetite="Someone else's words.", was=opened, by=planner)
    client.force_login(planner)
    response = client.post(url(risk1), {"appetite": NEW, "was": opened})
    assert response.status_code == 409
    assert "Someone changed the appetite after you opened this page" in response.text
    assert "Someone else&#x27;s words." in response.text and NEW in response.text
    risk1.refresh_from_db()
    assert risk1.appetite == "Someone else's words."
    with pytest.raises(StaleVersion):
        set_appetite(risk=risk1, appetite=NEW, was=opened, by=planner)


def test_bad_input_is_refused_with_a_message(client, planner, q3, risk1):
    client.force_login(planner)
    before = risk1.appetite
    response = client.post(url(risk1), {"appetite": "x" * 2001, "was": appetite_digest(before)})
    assert response.status_code == 400 and "govuk-error-summary" in response.text
    response = client.post(url(risk1), {"appetite": NEW})
    assert response.status_code == 400 and "reload it and try again" in response.text
    risk1.refresh_from_db()
    assert risk1.appetite == before


def test_an_empty_appetite_can_be_recorded(client, planner, q3, risk1):
    client.force_login(planner)
    set_appetite(risk=risk1, appetite=NEW, was=appetite_digest(risk1.appetite), by=planner)
    response = client.post(url(risk1), {"appetite": "", "was": appetite_digest(NEW)})
    assert response.status_code == 302
    assert Assessment.objects.get(risk=risk1, period=q3).appetite == ""
    page = client.get(reverse("risks:risk", args=[risk1.pk])).text
    assert "Not recorded" in page
