"""risks/views/risks.py: a risk's page (its quarters, working leads and history, and the open
update for those who may edit it) and "my risks", at a fixed number of queries."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from risks.models import Assessment
from risks.services import save_assessment
from tests.factories import (
    make_assessment,
    make_period,
    make_post,
    make_register,
    make_risk,
    make_risks_of_one_person,
)
from tests.queries import SIGNED_IN

# Every page: SIGNED_IN. Then the page's own:
MY_RISKS_QUERIES = SIGNED_IN + 5  # open period, its assessments, risks not started, the user's posts, the registers to filter by (issue 17)
# The risk page: the risk (with whether the person may edit it); then one statement
# (risks.together) for its quarters (its updates with their periods, the open period), its
# working leads and pillars, its key risk indicators' values, its escalations and its whole
# history (the risk and its pillars, leads, updates, indicators and their values, controls and
# their updates); its controls in the quarter shown. The page cache's versions and the header's
# unread count are read with the user's groups.
# Issue 21: was 3 + 1 + 12, and one more for an owner (may they edit it?) and one more for a
# risk whose details were ever changed (its pillars' snapshots); then 3 + 1 + 1 + 1 + 1, and one
# more with nothing cached (the unread count), before the versions and the count were read with
# the groups.
RISK_PAGE_QUERIES = SIGNED_IN + 1 + 1 + 1
# Nothing cached: the same.
RISK_PAGE_COLD = RISK_PAGE_QUERIES


def test_risk_page_offers_the_update_to_editors_only(client, q3, risk1, owner, panel):
    client.force_login(owner)
    assert "2021/22 Q3 update</a>" in client.get(reverse("risks:risk", args=[risk1.pk])).text
    client.force_login(panel)
    page = client.get(reverse("risks:risk", args=[risk1.pk])).text
    assert "2021/22 Q3 update</a>" not in page
    # The history holds drafts and return comments: the editors' alone (issue 13, 15).
    assert 'id="history"' not in page and "2021/22 Q3 update: carried forward" not in page


def test_readers_see_approved_quarters_but_not_work_in_progress(client, q3, risk1, owner, panel):
    a = Assessment.objects.get(risk=risk1, period=q3)
    save_assessment(assessment=a, version=1, by=owner, changes={"commentary": "Draft thoughts."})
    client.force_login(owner)
    assert "Draft thoughts." in client.get(reverse("risks:risk", args=[risk1.pk])).text
    client.force_login(panel)
    page = client.get(reverse("risks:risk", args=[risk1.pk])).text
    assert "Draft thoughts." not in page
    assert "2021/22 Q3" not in page
    assert "2021/22 Q2" in page and "An improving trend" in page


@pytest.mark.parametrize("periods", [0, 1])
def test_the_risk_page_lists_the_working_leads_in_order(client, db, planner, periods):
    """With no period at all (leads read on their own) and beside the risk's quarters."""
    lead_a, lead_b = make_post("Zeta lead"), make_post("Alpha lead")
    risk = make_risk(make_register("corporate"), leads=[lead_a, lead_b])
    if periods:
        make_assessment(risk, make_period("now"), state="draft")
    client.force_login(planner)
    html = client.get(reverse("risks:risk", args=[risk.pk])).text
    assert "Zeta lead<br>Alpha lead" in html


def test_my_risks_stacks_on_a_phone_with_each_cell_named(client, q3, owner):
    """Its five columns were wider than 375 px and hid the Update link: each row stacks there
    (rr-table--stack), every cell named by its column, the risk heading its row."""
    client.force_login(owner)
    html = client.get(reverse("risks:my-risks")).text
    assert '<table class="govuk-table rr-table--stack">' in html
    row = html[html.index('<tbody class="govuk-table__body">'):html.index("</tr>", html.index("<tbody"))]
    assert '<th scope="row" class="govuk-table__header">' in row
    assert re.findall(r'data-label="([^"]+)"', row) == ["Your role", "Update", "Last saved"]
    assert ">Update<span" in row


# Queries ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [3, 30])
def test_my_risks_costs_the_same_whatever_the_number_of_risks(
    client, db, django_assert_num_queries, n
):
    person = make_risks_of_one_person(n)
    client.force_login(person)
    with django_assert_num_queries(MY_RISKS_QUERIES):
        response = client.get(reverse("risks:my-risks"))
    assert response.status_code == 200
    assert response.text.count("Working lead") == (n - 1) // 2
    assert f"RISK {n}" in response.text  # the one not started is listed too


@pytest.mark.parametrize("extra", [0, 8])
def test_the_risk_page_costs_a_fixed_number_of_queries(
    client, q3, risk1, owner, django_assert_num_queries, extra
):

    for i in range(extra):
        _control_and_indicator(risk1, q3, owner, i)
    client.force_login(owner)
    with django_assert_num_queries(RISK_PAGE_QUERIES):  # an owner: may they edit it? read with the risk
        response = client.get(reverse("risks:risk", args=[risk1.pk]))
        assert response.status_code == 200
    assert response.text.count('data-chart-src="chart-indicator-') == extra
    # Their history is the risk's: each indicator added, and each value entered.
    values_entered = re.findall(r"Key risk indicator “Indicator \d+” in 2021/22 Q3: added<",
                                response.text)
    assert len(values_entered) == extra


def _control_and_indicator(risk, period, by, i: int) -> None:
    """A control with its update, and an indicator with its value, in `period`."""
    from controls.services import save_control_update
    from risks.models import Indicator, IndicatorValue
    from tests.factories import make_control

    control = make_control(risk, title=f"Extra control {i}")
    save_control_update(control=control, period=period, by=by, status="in_progress",
                        note="", version=0)
    indicator = Indicator.objects.create(risk=risk, name=f"Indicator {i}",
                                         direction="higher_worse", green_limit=1, amber_limit=2)
    value = IndicatorValue(indicator=indicator, period=period, value=i)
    value.record(indicator)
    value.save()


def _busy(risk, period, by, n: int) -> None:
    """n of everything the risk page reads a row of: changes of the risk's details and pillars,
    of its update, its leads; controls and their updates; indicators and their values; and an
    escalation proposed and decided (issue 21: no query a row)."""
    from risks.models import Escalation, Pillar, Register, Risk, RiskLead

    for i in range(n):
        risk = Risk.objects.get(pk=risk.pk)
        risk.title = f"{risk.title} {i}"
        risk._history_user = by  # as a request's user is recorded
        risk.save()
        risk.pillars.add(Pillar.objects.create(name=f"Pillar {i}", order=i))
        a = Assessment.objects.get(risk=risk, period=period)
        save_assessment(assessment=a, version=a.version, by=by, changes={"commentary": f"Note {i}."})
        RiskLead.objects.create(risk=risk, post=make_post(f"Lead {i}"), order=10 + i)
        _control_and_indicator(risk, period, by, i)
        other = Register.objects.exclude(pk=risk.register_id).first() or make_register(f"r{i}")
        Escalation.objects.create(
            risk=risk, from_register=risk.register, to_register=other, direction="up",
            period=period, reason=f"Reason {i}", proposed_by=by, proposed_at=timezone.now(),
            state="declined", decided_by=by, decided_at=timezone.now(), decision_reason="No.",
        )


@pytest.mark.parametrize("n", [1, 12])
@pytest.mark.parametrize("who", ["planner", "owner"])
def test_the_risk_page_cold_costs_the_same_for_one_row_or_many(
    client, q3, risk1, owner, planner, django_assert_num_queries, who, n
):
    """Rendered with nothing cached, for the team and for the risk's owner, a risk with n of
    each of its rows: the same count, at most 10 (issue 21)."""
    from django.core.cache import cache

    _busy(risk1, q3, owner, n)
    client.force_login(planner if who == "planner" else owner)
    cache.clear()
    with django_assert_num_queries(RISK_PAGE_COLD):
        response = client.get(reverse("risks:risk", args=[risk1.pk]))
    assert response.status_code == 200
    assert RISK_PAGE_COLD <= 10
    page = response.text
    assert page.count('data-chart-src="chart-indicator-') == n
    assert page.count("the decision<span") == n  # each escalation
    assert f"Extra control {n - 1}" in page and f"Note {n - 1}." in page
    assert "Pillars added" in page  # the pillars' history (their snapshots) read too
