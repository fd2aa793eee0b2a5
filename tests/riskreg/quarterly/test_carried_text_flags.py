"""Text carried forward unchanged is flagged (issue 14): commentary the same as the last approved
update's, or a control note the same as the previous record's, on the owner's task list, the
team's review page and the rows of the review queue; and stored with the update, so that the
report knows it without asking again."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from controls.models import Control, ControlUpdate
from controls.services import carry_forward_controls, save_control_update
from riskreg.quarterly.services import submit_update
from risks.models import Assessment, ReportingPeriod
from risks.services import confirm_unchanged, save_assessment
from tests.factories import (
    make_assessment,
    make_control,
    make_control_update,
    make_period,
    make_post,
    make_register,
    make_risk,
    make_user,
)
from tests.riskreg.quarterly.test_review import REVIEW_QUERIES

SAME = "the same as 2021/22 Q2"


@pytest.fixture
def draft(q3, risk1):
    return Assessment.objects.get(risk=risk1, period=q3)


def submit_as_it_is(draft, owner) -> Assessment:
    """Every section confirmed unchanged, then submitted."""
    confirm_unchanged(assessment=draft, version=draft.version, by=owner, section="score")
    confirm_unchanged(assessment=draft, version=draft.version + 1, by=owner, section="progress")
    carry_forward_controls(risk=draft.risk, period=draft.period, by=owner)
    return submit_update(assessment=draft, version=draft.version + 2, by=owner)


def queue_row(client, a: Assessment) -> str:
    html = client.get(reverse("quarterly:review"), {"period": a.period.slug}).text
    return html.split(f'id="row-{a.pk}"', 1)[1].split("</tr>", 1)[0]


def test_carried_commentary_is_recorded_with_the_quarter_that_wrote_it(draft):
    q2 = draft.period.previous()
    assert draft.commentary_carried_from == q2
    assert draft.commentary_carried and not draft.commentary_is_new
    # The seed's own quarter wrote its commentary.
    assert Assessment.objects.get(risk=draft.risk, period=q2).commentary_is_new


def test_saving_new_commentary_clears_the_flag_and_saving_the_old_one_sets_it(draft, owner):
    answers = {"trend": draft.trend, "progress": draft.progress, "reasons": ""}
    saved = save_assessment(assessment=draft, version=1, by=owner,
                            changes=answers | {"commentary": "Knife crime fell again."})
    assert saved.commentary_carried_from is None and saved.commentary_is_new
    q2_text = Assessment.objects.get(risk=draft.risk, period=draft.period.previous()).commentary
    again = save_assessment(assessment=saved, version=saved.version, by=owner,
                            changes=answers | {"commentary": f"\n{q2_text}  "})
    assert again.commentary_carried_from == draft.period.previous()


def test_the_owners_task_list_and_section_flag_carried_commentary(client, owner, draft):
    client.force_login(owner)
    tasks = client.get(reverse("quarterly:update", args=[draft.risk_id])).text
    hint = tasks.split('id="task-progress-hint"', 1)[1].split("</div>", 1)[0]
    assert SAME in hint and "check it still holds" in hint
    progress = client.get(reverse("quarterly:update-progress", args=[draft.risk_id])).text
    assert 'id="commentary-flag"' in progress and SAME in progress
    check = client.get(reverse("quarterly:update-check", args=[draft.risk_id])).text
    assert SAME in check
    # Confirming keeps the flag: the words are still last quarter's.
    confirm_unchanged(assessment=draft, version=1, by=owner, section="progress")
    assert SAME in client.get(reverse("quarterly:update", args=[draft.risk_id])).text
    draft.refresh_from_db()
    assert draft.commentary_carried


def test_new_commentary_is_not_flagged_anywhere(client, owner, planner, draft):
    save_assessment(assessment=draft, version=1, by=owner, changes={
        "trend": "stable", "progress": "on_track", "reasons": "", "commentary": "New words.",
    })
    draft.refresh_from_db()
    client.force_login(owner)
    assert SAME not in client.get(reverse("quarterly:update", args=[draft.risk_id])).text
    client.force_login(planner)
    page = client.get(reverse("quarterly:review-detail", args=[draft.pk])).text
    assert "commentary-flag" not in page


def test_the_review_page_and_the_queue_flag_carried_commentary_and_notes(
    client, owner, planner, draft, q3
):
    first = Control.objects.filter(risk=draft.risk_id).order_by("order", "pk").first()
    q2_note = ControlUpdate.objects.get(control=first, period=draft.period.previous()).note
    # One note saved word for word, the other kept with "No change this quarter".
    save_control_update(control=first, period=q3, by=owner, status="complete", note=q2_note,
                        version=0)
    submitted = submit_as_it_is(draft, owner)
    client.force_login(planner)
    page = client.get(reverse("quarterly:review-detail", args=[submitted.pk])).text
    assert 'id="commentary-flag"' in page and SAME in page
    controls = page.split('id="controls"', 1)[1].split("</table>", 1)[0]
    assert "Same note as 2021/22 Q2" in controls
    assert "No change this quarter" in controls
    row = queue_row(client, submitted)
    assert f"commentary {SAME}" in row
    assert "2 control notes the same as last quarter" in row
    # Approved in place (htmx), the row comes back flagged still.
    from tests.factories import make_planner

    client.force_login(make_planner("checker"))
    response = client.post(reverse("quarterly:review-approve", args=[submitted.pk]),
                           {"version": submitted.version}, headers={"HX-Request": "true"})
    assert "Approved" in response.text and SAME in response.text
    assert "2 control notes the same as last quarter" in response.text


def test_a_queue_row_with_new_words_has_no_flag(client, owner, planner, draft, q3):
    save_assessment(assessment=draft, version=1, by=owner, changes={
        "likelihood": draft.likelihood, "impact": draft.impact, "score_change_source": "",
        "not_rated": False, "not_rated_reason": "",
        "trend": "stable", "progress": "on_track", "reasons": "", "commentary": "New words.",
    })
    for control in Control.objects.filter(risk=draft.risk_id):
        save_control_update(control=control, period=q3, by=owner, status="complete",
                            note=f"{control.title}: done this quarter.", version=0)
    draft.refresh_from_db()
    submitted = submit_update(assessment=draft, version=draft.version, by=owner)
    client.force_login(planner)
    row = queue_row(client, submitted)
    assert "govuk-tag--yellow" not in row


def _queue_world(n: int):
    """n risks with an approved quarter behind them and, this quarter, a submitted update
    whose commentary and control note are last quarter's, unchanged."""
    register = make_register("corporate")
    last = make_period("last", start=timezone.now().date().replace(month=1, day=1))
    now_start = last.end.replace(day=1).replace(month=(last.end.month % 12) + 1)
    rows = []
    for i in range(n):
        risk = make_risk(register, owner=make_post(), ref=i + 1)
        control = make_control(risk)
        make_assessment(risk, last, state="approved", commentary="Same words.")
        make_control_update(control, last, note="Same note.")
        rows.append((risk, control))
    ReportingPeriod.objects.filter(pk=last.pk).update(state="closed", closed_at=timezone.now())
    now = make_period("now", start=now_start)
    for risk, control in rows:
        make_assessment(risk, now, state="submitted", commentary="Same words.",
                        commentary_carried_from=last, submitted_by=make_user())
        make_control_update(control, now, note="Same note.", note_carried_from=last)
    return now


@pytest.mark.parametrize("n", [3, 30])
def test_the_flags_cost_the_queue_no_query(client, db, planner, n):
    _queue_world(n)
    client.force_login(planner)
    with CaptureQueriesContext(connection) as captured:
        html = client.get(reverse("quarterly:review")).text
    # The periods, the counts, the rows shown (flags included), their previous updates, and
    # who has not submitted, and the registers to filter by (issue 17): as
    # tests/riskreg/quarterly/test_review.py pins it.
    assert len(captured) == REVIEW_QUERIES
    shown = min(n, 25)
    assert html.count("commentary the same as last") == shown
    assert html.count("1 control note the same as last quarter") == shown
