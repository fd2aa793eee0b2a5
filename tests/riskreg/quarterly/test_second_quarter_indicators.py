"""Key risk indicators through two quarters after the seed (issue 18, item 3): the team adds a
risk's indicators, its owner enters their values as a task of the update (bad input and stale
pages save nothing), the update is submitted, approved and the quarter closed; in the next
quarter the team changes a threshold and the owner enters new values, while the closed
quarter's values, and their RAG, stay as they were and cannot be edited by any path."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from controls.services import carry_forward_controls
from riskreg.quarterly.services import submit_update
from riskreg.report.data import build
from riskreg.report.document import render_body
from riskreg.report.services import create_report
from risks.indicators import indicator_digest, save_indicator_values
from risks.models import Assessment, Indicator, IndicatorValue, PeriodClosed, Risk
from risks.services import confirm_unchanged
from tests.factories import Q3, make_panel, make_planner
from tests.riskreg.quarterly.test_second_quarter import (
    Q4,
    approve_all,
    open_quarter,
    the_team_submits_the_rest,
)


def add_indicator(client, risk, **fields):
    data = {"name": "Knife crime offences", "unit": "offences", "direction": "higher_worse",
            "green_limit": "100", "amber_limit": "120", "source": "CRIS", "owner": "",
            "order": "0", "is_active": "on", **fields}
    return client.post(reverse("manage:indicator-new", args=[risk.pk]), data)


def task_status(client, risk):
    html = client.get(reverse("quarterly:update", args=[risk.pk])).text
    return html.split('id="task-indicators-status"', 1)[1].split("</div>", 1)[0] \
        .replace("</strong>", "").rsplit(">", 1)[-1].strip()


def enter(client, risk, version, **values):
    return client.post(reverse("quarterly:update-indicators", args=[risk.pk]),
                       {"version": str(version), **values})


def confirm_the_rest(a, by):
    a = confirm_unchanged(assessment=a, version=a.version, by=by, section="score")
    a = confirm_unchanged(assessment=a, version=a.version, by=by, section="progress")
    carry_forward_controls(risk=a.risk, period=a.period, by=by)
    a.refresh_from_db()
    return a


def test_indicators_through_two_quarters(client, seed, owner, planner):
    risk1 = Risk.objects.get(register__slug="corporate", ref=1)
    checker = make_planner("checker")
    # The example register's 2021/22 Q2 values: the closed quarter before ours.
    call_command("loaddata", "example_indicators", verbosity=0)
    q2_values = {v.pk: (v.value, v.rag, v.amber_limit) for v in IndicatorValue.objects.all()}

    q3 = open_quarter(client, planner, Q3)
    assert add_indicator(client, risk1).status_code == 302
    assert add_indicator(client, risk1, name="Answered in 10 seconds", unit="%",
                         direction="lower_worse", green_limit="90", amber_limit="80",
                         order="1").status_code == 302
    knife, answered = Indicator.objects.filter(risk=risk1).order_by("order")
    # The team's form says what is wrong and adds nothing.
    refused = add_indicator(client, risk1, name="Backwards", green_limit="120", amber_limit="100")
    assert refused.status_code == 400
    assert "the amber limit must be higher than the green limit" in refused.text
    assert add_indicator(client, risk1, name="knife crime OFFENCES").status_code == 400
    assert Indicator.objects.filter(risk=risk1).count() == 2

    client.force_login(owner)
    assert task_status(client, risk1) == "Not started"
    draft = Assessment.objects.get(risk=risk1, period=q3)
    check = client.get(reverse("quarterly:update-check", args=[risk1.pk])).text
    assert "Enter this quarter&#x27;s values of 2 indicators" in check

    # Bad input: a clear message for each, nothing saved, the update's version unchanged.
    for values, message in [
        ({f"value_{knife.pk}": "lots"}, "Enter the value of Knife crime offences as a number"),
        ({f"value_{knife.pk}": "1.234"}, "at most two decimal places"),
        ({f"value_{knife.pk}": "١٢"}, "as a number"),
        ({f"value_{knife.pk}": "9" * 20}, "as a number"),
        ({f"value_{knife.pk}": "99999999999999"}, "between -"),
        ({}, "Enter at least one indicator&#x27;s value"),
    ]:
        response = enter(client, risk1, draft.version, **values)
        assert response.status_code == 400, values
        assert message in response.text, values
    assert enter(client, risk1, "x", **{f"value_{knife.pk}": "1"}).status_code == 400
    assert not IndicatorValue.objects.filter(period=q3).exists()
    assert Assessment.objects.get(pk=draft.pk).version == draft.version

    # One value now, the other later: incomplete, then completed.
    assert enter(client, risk1, draft.version, **{f"value_{knife.pk}": "1,250",
                                                   f"note_{knife.pk}": "Summer peak"}
                 ).status_code == 302
    assert task_status(client, risk1) == "Incomplete"
    # A page opened before that save is stale: nothing saved, both shown.
    stale = enter(client, risk1, draft.version, **{f"value_{knife.pk}": "5",
                                                    f"value_{answered.pk}": "85"})
    assert stale.status_code == 409
    assert "after you opened this page, so nothing was saved" in stale.text
    assert IndicatorValue.objects.get(period=q3).value == 1250
    draft.refresh_from_db()
    assert enter(client, risk1, draft.version, **{f"value_{knife.pk}": "1250",
                                                   f"note_{knife.pk}": "Summer peak",
                                                   f"value_{answered.pk}": "85%"}
                 ).status_code == 302
    assert task_status(client, risk1) == "Completed"
    # A value once entered can be changed but not emptied.
    draft.refresh_from_db()
    assert enter(client, risk1, draft.version, **{f"value_{answered.pk}": "84"}
                 ).status_code == 400
    q3_values = {v.indicator_id: v for v in IndicatorValue.objects.filter(period=q3)}
    assert (q3_values[knife.pk].rag, q3_values[answered.pk].rag) == ("red", "amber")

    # The review page and the dashboard name what is out of threshold (the team sees drafts).
    client.force_login(planner)
    review = client.get(reverse("quarterly:review-detail", args=[draft.pk])).text
    assert "Knife crime offences" in review and "1,250 offences" in review
    assert "2 indicators amber or red" in client.get(reverse("risks:dashboard")).text
    # A reader sees no value of a quarter not yet approved.
    client.force_login(make_panel())
    assert "1,250" not in client.get(risk1.get_absolute_url()).text

    a = confirm_the_rest(Assessment.objects.get(pk=draft.pk), owner)
    submit_update(assessment=a, version=a.version, by=owner)
    client.force_login(planner)
    queue = client.get(reverse("quarterly:review")).text
    assert "Out of threshold</strong> 2 key risk indicators" in queue
    # The example register's owners enter theirs too (submitting needs them).
    for example in Assessment.objects.filter(period=q3, risk__register__is_example=True):
        save_indicator_values(assessment=example, version=example.version, by=planner, values={
            i.pk: (Decimal(7), "") for i in Indicator.objects.filter(risk=example.risk_id)})
    the_team_submits_the_rest(q3, planner, skip=risk1)
    approve_all(q3, checker)
    client.force_login(planner)
    assert client.post(reverse("quarterly:period-close", args=[q3.slug]), {}).status_code == 302

    # Appendix B of a Q3 paper names the chosen risk's indicators out of threshold.
    report = create_report(register=risk1.register, period=q3,
                           meeting_date=datetime.date(2022, 1, 24), by=planner)
    report.appendix_b_risks.set([risk1])
    body = render_body(build(report))
    assert ("Key risk indicators out of threshold</th><td>Knife crime offences: 1,250 offences, "
            "red (green up to 100, amber up to 120, red above 120 offences); Answered in 10 "
            "seconds: 85%, amber") in body

    # The panel now reads Q3's values on the risk page, charted beside their table.
    client.force_login(make_panel("panel2"))
    page = client.get(risk1.get_absolute_url()).text
    assert "1,250 offences" in page or "1250 offences" in page
    assert 'data-chart-src="chart-indicator-' in page and "plotly-strict.min.js" in page

    # 2021/22 Q4: the team tightens a limit; the open quarter follows, closed Q3 does not.
    q4 = open_quarter(client, planner, Q4)
    knife.refresh_from_db()
    response = client.post(reverse("manage:indicator-edit", args=[knife.pk]), {
        "name": knife.name, "unit": knife.unit, "direction": knife.direction,
        "green_limit": "2000", "amber_limit": "3000", "source": "CRIS", "owner": "",
        "order": "0", "is_active": "on", "was": indicator_digest(knife)})
    assert response.status_code == 302
    client.force_login(owner)
    assert task_status(client, risk1) == "Not started"  # values are new each quarter
    q4_draft = Assessment.objects.get(risk=risk1, period=q4)
    assert enter(client, risk1, q4_draft.version, **{f"value_{knife.pk}": "1300",
                                                      f"value_{answered.pk}": "95"}
                 ).status_code == 302
    assert IndicatorValue.objects.get(period=q4, indicator=knife).rag == "green"
    for v in IndicatorValue.objects.filter(period=q3, indicator__risk=risk1):
        assert (v.value, v.rag, v.green_limit) == (q3_values[v.indicator_id].value,
                                                   q3_values[v.indicator_id].rag,
                                                   q3_values[v.indicator_id].green_limit)
    # Q3's values cannot change by any path.
    q3_knife = IndicatorValue.objects.get(period=q3, indicator=knife)
    q3_knife.value = 1
    with pytest.raises(PeriodClosed):
        q3_knife.save()
    with pytest.raises(PeriodClosed):
        IndicatorValue.objects.filter(period=q3).update(value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue._base_manager.filter(pk=q3_knife.pk).update(value=1)
    assert IndicatorValue.objects.get(pk=q3_knife.pk).value == 1250
    # 2021/22 Q2's values, closed before any of this, are as they were and stay so.
    assert {v.pk: (v.value, v.rag, v.amber_limit) for v in IndicatorValue.objects.filter(
        period__slug="2021-22-q2")} == q2_values
    q2_value = IndicatorValue.objects.filter(period__slug="2021-22-q2").first()
    q2_value.value = 0
    with pytest.raises(PeriodClosed):
        q2_value.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        IndicatorValue._base_manager.filter(period__slug="2021-22-q2").delete()
    # The history keeps who entered each value, and when.
    assert IndicatorValue.history.filter(id=q3_knife.pk).first().history_user_id == owner.pk
