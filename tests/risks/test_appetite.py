"""A risk's appetite is edited in the service by the Planning & Risk Team (issue 14): the risk
and the open quarter's record of it follow; a closed quarter keeps the appetite it recorded."""

import pytest
from django.urls import reverse

from risks.locking import StaleVersion
from risks.models import AppetiteLevel, Assessment, Risk
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


# The appetite criteria (risks.appetite) and a risk's level, theme and tolerance (issue 18) ----


def cautious_and_operational(planner):
    from risks.appetite import save_level, save_theme

    level = save_level(level=None, name="Cautious", description="Preference for safe options.",
                       max_score=6, order=3, by=planner)
    theme = save_theme(theme=None, name="Operational", level=level, by=planner)
    return level, theme


def test_a_risk_takes_its_themes_level_unless_it_has_its_own(planner, q3, risk1):
    from risks.appetite import save_level
    from risks.services import risk_appetite_digest

    cautious, operational = cautious_and_operational(planner)
    set_appetite(risk=risk1, appetite="", appetite_theme=operational, appetite_level=None,
                 tolerance=6, was=risk_appetite_digest(risk1), by=planner)
    risk1.refresh_from_db()
    assert risk1.appetite_level_shown == cautious
    q3_record = Assessment.objects.get(risk=risk1, period=q3)
    assert (q3_record.appetite_level_name, q3_record.appetite_theme_name, q3_record.tolerance) \
        == ("Cautious", "Operational", 6)
    eager = save_level(level=None, name="Eager", description="", max_score=16, order=5,
                       by=planner)
    set_appetite(risk=risk1, appetite="", appetite_level=eager, was=risk_appetite_digest(risk1),
                 by=planner)
    risk1.refresh_from_db()
    assert risk1.appetite_level_shown == eager and risk1.appetite_theme == operational
    assert Assessment.objects.get(risk=risk1, period=q3).appetite_level_name == "Eager"
    # The closed quarter recorded none, and keeps that.
    q2_record = Assessment.objects.get(risk=risk1, period=q3.previous())
    assert (q2_record.appetite_level_name, q2_record.tolerance) == ("", None)


def test_renaming_a_level_reaches_the_open_quarter_only(planner, q3, risk1):
    from risks.appetite import level_digest, save_level
    from risks.services import risk_appetite_digest

    cautious, operational = cautious_and_operational(planner)
    set_appetite(risk=risk1, appetite="", appetite_theme=operational,
                 was=risk_appetite_digest(risk1), by=planner)
    save_level(level=cautious, name="Careful", description="", max_score=6, order=3,
               was=level_digest(cautious), by=planner)
    assert Assessment.objects.get(risk=risk1, period=q3).appetite_level_name == "Careful"
    last = AppetiteLevel.history.filter(id=cautious.pk).latest("history_date")
    assert (last.history_user, last.history_change_reason, last.name) == (planner, "Changed",
                                                                          "Careful")


def test_a_stale_level_or_theme_is_not_overwritten(planner, db):
    from risks.appetite import level_digest, save_level, save_theme, theme_digest

    cautious, operational = cautious_and_operational(planner)
    opened, theme_opened = level_digest(cautious), theme_digest(operational)
    save_level(level=cautious, name="Careful", description="", max_score=6, order=3,
               was=opened, by=planner)
    with pytest.raises(StaleVersion):
        save_level(level=cautious, name="Wary", description="", max_score=4, order=3,
                   was=opened, by=planner)
    save_theme(theme=operational, name="Operations", level=cautious, was=theme_opened, by=planner)
    with pytest.raises(StaleVersion):
        save_theme(theme=operational, name="Ops", level=cautious, was=theme_opened, by=planner)
    assert AppetiteLevel.objects.get().name == "Careful"


def test_a_tolerance_off_the_scale_is_refused_and_changes_nothing(planner, q3, risk1):
    from django.core.exceptions import ValidationError

    from risks.services import risk_appetite_digest

    with pytest.raises(ValidationError):
        set_appetite(risk=risk1, appetite="", tolerance=17, was=risk_appetite_digest(risk1),
                     by=planner)
    risk1.refresh_from_db()
    assert risk1.tolerance is None
    assert Assessment.objects.get(risk=risk1, period=q3).tolerance is None


@pytest.mark.parametrize("tolerance", ["17", "0", "-1", "6.5", "six", "١٢", "9" * 40])
def test_the_page_refuses_a_bad_tolerance_and_writes_nothing(client, planner, q3, risk1,
                                                             tolerance):
    from risks.services import risk_appetite_digest

    client.force_login(planner)
    response = client.post(url(risk1), {"appetite": NEW, "tolerance": tolerance,
                                        "was": risk_appetite_digest(risk1)})
    assert response.status_code == 400
    assert "The tolerance must be" in response.text or "as a whole number" in response.text
    risk1.refresh_from_db()
    assert (risk1.appetite, risk1.tolerance) == ("", None)


@pytest.mark.parametrize("field", ["appetite_level", "appetite_theme"])
def test_the_page_refuses_an_unknown_level_or_theme(client, planner, q3, risk1, field):
    from risks.services import risk_appetite_digest

    client.force_login(planner)
    response = client.post(url(risk1), {"appetite": NEW, field: "99999999999999999999999",
                                        "was": risk_appetite_digest(risk1)})
    assert response.status_code == 400 and "from the list" in response.text
    risk1.refresh_from_db()
    assert risk1.appetite == ""


def test_the_team_sets_level_theme_and_tolerance_through_the_page(client, planner, q3, risk1):
    from risks.services import risk_appetite_digest

    cautious, operational = cautious_and_operational(planner)
    client.force_login(planner)
    page = client.get(url(risk1)).text
    assert 'name="tolerance"' in page and "Operational" in page and "Cautious" in page
    response = client.post(url(risk1), {"appetite": NEW, "appetite_theme": operational.pk,
                                        "appetite_level": "", "tolerance": "6",
                                        "was": risk_appetite_digest(risk1)}, follow=True)
    assert "appetite saved" in response.text
    assert "Cautious (accepts scores up to 6)" in response.text
    assert "A current score up to 6" in response.text
    # Risk 1 stands at M v H (6) in the seed: at its tolerance, not above it.
    assert "In breach" not in response.text
    risk1.refresh_from_db()
    assert (risk1.appetite_theme, risk1.appetite_level, risk1.tolerance) == (operational, None, 6)


def test_the_risks_history_shows_the_tolerance_and_theme_changing(client, planner, q3, risk1):
    from risks.services import risk_appetite_digest

    _, operational = cautious_and_operational(planner)
    set_appetite(risk=risk1, appetite="", appetite_theme=operational, tolerance=6,
                 was=risk_appetite_digest(risk1), by=planner)
    client.force_login(planner)
    history = client.get(reverse("risks:risk", args=[risk1.pk])).text.split("History", 1)[1]
    assert "Tolerance" in history and "Appetite theme" in history and "Operational" in history
