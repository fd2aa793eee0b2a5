"""The whole quarterly cycle through the views, as the owner and the team would drive it:
open a period, draft, submit, return, resubmit, approve, close, and find it frozen.

One journey through every module of riskreg/quarterly/ (and the risk page at its end); each
module's own tests are in the test module of its name."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from controls.models import Control, ControlUpdate
from risks.models import Assessment, PeriodClosed, ReportingPeriod
from risks.services import save_assessment
from tests.factories import Q3, period_form


def url(name, *args):
    return reverse(name, args=args)


def test_the_whole_cycle(client, seed, owner, planner, risk1):
    # The team opens 2021/22 Q3 with the form: every active risk is carried forward.
    client.force_login(planner)
    assert client.get(url("quarterly:period-open")).status_code == 200
    response = client.post(url("quarterly:period-open"), period_form(Q3))
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(slug="2021-22-q3")
    assert period.is_open
    assert period.assessments.count() == 11
    assert set(period.assessments.values_list("state", flat=True)) == {"draft"}
    draft = period.assessments.get(risk=risk1)
    assert (draft.likelihood, draft.impact, draft.trend, draft.progress) == (2, 3, "improving", "on_track")
    assert draft.commentary.startswith("An improving trend")

    # The owner sees what is due, and by when.
    client.force_login(owner)
    page = client.get(url("risks:my-risks")).text
    assert "VIOLENT CRIME" in page and "3 December 2021" in page
    page = client.get(url("quarterly:update", risk1.pk)).text
    assert "govuk-task-list" in page and "2021/22 Q2" in page

    # Score: raising it without saying why is refused, and nothing changes.
    score_url = url("quarterly:update-score", risk1.pk)
    response = client.post(score_url, {"likelihood": "3", "impact": "3", "version": "1"})
    assert response.status_code == 200
    assert "say whether controls or a re-assessment changed it" in response.text
    draft.refresh_from_db()
    assert (draft.likelihood, draft.version) == (2, 1)

    response = client.post(
        score_url,
        {"likelihood": "3", "impact": "3", "score_change_source": "reassessment", "version": "1"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url("quarterly:update-progress", risk1.pk)
    assert "further from the target than last quarter" in response.text
    draft.refresh_from_db()
    assert (draft.likelihood, draft.impact, draft.version) == (3, 3, 2)
    assert draft.updated_by == owner

    # Progress: not on track without reasons is refused.
    progress_url = url("quarterly:update-progress", risk1.pk)
    answers = {"trend": "worsening", "progress": "limited", "reasons": "", "commentary": "Q3 words",
               "version": "2"}
    response = client.post(progress_url, answers)
    assert response.status_code == 200
    assert "give the reasons why it is not on track" in response.text
    assert "govuk-error-summary" in response.text
    draft.refresh_from_db()
    assert draft.version == 2 and draft.progress == "on_track"
    response = client.post(progress_url, answers | {"reasons": "Knife crime rose in the summer."})
    assert response.status_code == 302
    # Saved as a draft any number of times.
    response = client.post(progress_url, answers | {"reasons": "Knife crime rose.", "version": "3"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.version, draft.reasons, draft.state) == (4, "Knife crime rose.", "draft")

    # Submitting before every control has this quarter's status lists what is missing.
    check_url = url("quarterly:update-check", risk1.pk)
    response = client.post(check_url, {"version": "4"})
    assert "Give this quarter&#x27;s status of 2 controls" in response.text
    draft.refresh_from_db()
    assert draft.state == "draft"

    # Controls: one without JavaScript, one in place with htmx, and a new one.
    op_orochi, vawg = Control.objects.filter(risk=risk1).order_by("order", "pk")
    response = client.post(
        url("quarterly:control-update", risk1.pk, op_orochi.pk),
        {"status": "in_progress", "note": "More lines closed.", "version": "0"},
    )
    assert response.status_code == 302
    response = client.post(
        url("quarterly:control-update", risk1.pk, vawg.pk),
        {"status": "delayed", "note": "", "version": "0"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert f'id="control-{vawg.pk}"' in response.text and "Saved." in response.text
    assert "<html" not in response.text
    response = client.post(
        url("quarterly:control-add", risk1.pk),
        {"title": "Safer streets patrols", "status": "not_started", "note": "", "description": "",
         "milestone": "end of November"},
    )
    assert response.status_code == 302
    new = Control.objects.get(risk=risk1, title="Safer streets patrols")
    assert new.added_in == period
    assert ControlUpdate.objects.filter(period=period, control__risk=risk1).count() == 3

    # Check and submit.
    page = client.get(check_url).text
    assert "Check your update before you submit it" in page and "Change" in page
    response = client.post(check_url, {"version": "4"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.submitted_by, draft.version) == ("submitted", owner, 5)

    # A submitted update cannot be edited any more.
    response = client.post(progress_url, answers | {"reasons": "Changed later", "version": "5"},
                           follow=True)
    assert "can no longer be changed" in response.text
    draft.refresh_from_db()
    assert draft.reasons == "Knife crime rose." and draft.version == 5

    # The team sees it in the queue with what changed, and returns it with a comment.
    client.force_login(planner)
    page = client.get(url("quarterly:review")).text
    assert "M v H → H v H" in page
    assert "Not yet submitted" in page
    return_url = url("quarterly:review-return", draft.pk)
    response = client.post(return_url, {"comment": "", "version": "5"})
    assert "Enter a comment" in response.text
    draft.refresh_from_db()
    assert draft.state == "submitted"
    response = client.post(return_url, {"comment": "Say more about VAWG.", "version": "5"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.state, draft.review_comment, draft.reviewed_by) == (
        "returned", "Say more about VAWG.", planner,
    )

    # The owner sees the comment, changes the commentary and resubmits.
    client.force_login(owner)
    assert "Say more about VAWG." in client.get(url("risks:my-risks")).text
    assert "Say more about VAWG." in client.get(url("quarterly:update", risk1.pk)).text
    response = client.post(
        progress_url, answers | {"reasons": "Knife crime rose.", "commentary": "VAWG: more.",
                                 "version": "6"},
    )
    assert response.status_code == 302
    assert client.post(check_url, {"version": "7"}).status_code == 302
    draft.refresh_from_db()
    assert draft.state == "submitted"

    # The team approves it in place (htmx).
    client.force_login(planner)
    response = client.post(
        url("quarterly:review-approve", draft.pk), {"version": "8"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert f'id="row-{draft.pk}"' in response.text and "Approved" in response.text
    draft.refresh_from_db()
    assert (draft.state, draft.reviewed_by, draft.review_comment) == ("approved", planner, "")

    # Closing needs everything approved, or the team's say-so, which is recorded.
    close_url = url("quarterly:period-close", period.slug)
    assert "10 updates are not approved" in client.get(close_url).text
    response = client.post(close_url, {})
    assert response.status_code == 200 and "not approved yet" in response.text
    period.refresh_from_db()
    assert period.is_open
    response = client.post(close_url, {"incomplete": "on"})
    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.state, period.closed_incomplete, period.closed_by) == ("closed", True, planner)

    # Frozen: no page, service, model save, bulk write or raw SQL changes it.
    client.force_login(owner)
    assert client.get(url("quarterly:update", risk1.pk)).status_code == 404
    assert client.post(progress_url, answers | {"version": "9"}).status_code == 404
    with pytest.raises(PeriodClosed):
        save_assessment(assessment=draft, version=draft.version, by=owner, changes={"trend": "stable"})
    draft.commentary = "rewritten"
    with pytest.raises(PeriodClosed):
        draft.save()
    with pytest.raises(PeriodClosed):
        Assessment.objects.filter(pk=draft.pk).update(commentary="bulk")
    with pytest.raises(PeriodClosed):
        ControlUpdate.objects.filter(period=period).update(note="bulk")
    with pytest.raises(PeriodClosed):
        period.save()
    for sql in (
        "UPDATE risks_assessment SET commentary = 'raw' WHERE id = %s",
        "UPDATE controls_controlupdate SET note = 'raw' WHERE period_id = (SELECT period_id FROM "
        "risks_assessment WHERE id = %s)",
        "UPDATE risks_reportingperiod SET state = 'open' WHERE id = (SELECT period_id FROM "
        "risks_assessment WHERE id = %s)",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [draft.pk])
    draft.refresh_from_db()
    assert draft.commentary == "VAWG: more."

    # The risk page shows the record: who did what, when, and the quarters.
    page = client.get(url("risks:risk", risk1.pk)).text
    assert "History" in page
    assert "2021/22 Q3 update: returned" in page
    assert "2021/22 Q3 update: approved" in page
    assert "Likelihood: Medium → High" in page
    assert "Control “Violence against women and girls” in 2021/22 Q3" in page
    assert "Review comment" in page
    assert "2021/22 Q2" in page
