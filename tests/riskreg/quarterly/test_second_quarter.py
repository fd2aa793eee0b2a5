"""Two quarters after the seed, through the pages (issue 14): carried forward means "to check"
in each, what was written in one quarter is flagged as carried in the next, and each closed
quarter keeps what it recorded."""

import datetime

from django.urls import reverse

from controls.models import Control, ControlUpdate
from controls.services import carry_forward_controls
from riskreg.quarterly.services import submit_update
from risks.models import Assessment, ReportingPeriod, Risk
from risks.services import approve_assessment, confirm_unchanged, save_assessment
from tests.factories import Q3, make_planner, period_form

Q4 = {
    "name": "2021/22 Q4", "slug": "2021-22-q4", "start": datetime.date(2022, 1, 1),
    "end": datetime.date(2022, 3, 31), "deadline": datetime.date(2022, 3, 4),
}


def url(name, *args):
    return reverse(name, args=args)


def open_quarter(client, planner, dates) -> ReportingPeriod:
    client.force_login(planner)
    response = client.post(url("quarterly:period-open"), period_form(dates))
    assert response.status_code == 302
    return ReportingPeriod.objects.get(slug=dates["slug"])


def statuses(client, risk_pk) -> dict[str, str]:
    html = client.get(url("quarterly:update", risk_pk)).text
    found = {}
    for slug in ("score", "progress", "controls"):
        after = html.split(f'id="task-{slug}-status"', 1)[1].split("</div>", 1)[0]
        found[slug] = after.replace("</strong>", "").rsplit(">", 1)[-1].strip()
    return found


def the_team_submits_the_rest(period, submitter, skip: Risk):
    """Every other update, confirmed as it stands (a commentary written where there is none)."""
    for a in Assessment.objects.filter(period=period).exclude(risk=skip).select_related("risk"):
        a = confirm_unchanged(assessment=a, version=a.version, by=submitter, section="score")
        if a.commentary.strip():
            a = confirm_unchanged(assessment=a, version=a.version, by=submitter,
                                  section="progress")
        else:
            a = save_assessment(assessment=a, version=a.version, by=submitter,
                                changes={"commentary": "Reviewed this quarter."})
        carry_forward_controls(risk=a.risk, period=period, by=submitter)
        a.refresh_from_db()
        submit_update(assessment=a, version=a.version, by=submitter)


def approve_all(period, checker):
    for a in Assessment.objects.filter(period=period, state="submitted"):
        approve_assessment(assessment=a, version=a.version, by=checker)


def test_two_quarters_after_the_seed(client, seed, owner, planner):
    risk1 = Risk.objects.get(register__slug="corporate", ref=1)
    checker = make_planner("checker")
    op_orochi, vawg = Control.objects.filter(risk=risk1).order_by("order", "pk")

    # 2021/22 Q3: the owner changes the commentary and one control, confirms the rest.
    q3 = open_quarter(client, planner, Q3)
    client.force_login(owner)
    assert set(statuses(client, risk1.pk).values()) == {"Not started"}
    draft = Assessment.objects.get(risk=risk1, period=q3)
    client.post(url("quarterly:update-score", risk1.pk), {"unchanged": "1", "version": 1})
    client.post(url("quarterly:update-progress", risk1.pk), {
        "trend": "improving", "progress": "on_track", "commentary": "Q3: knife crime fell.",
        "version": 2,
    })
    client.post(url("quarterly:control-update", risk1.pk, op_orochi.pk),
                {"status": "complete", "note": "Forty lines closed.", "version": 0})
    client.post(url("quarterly:controls-unchanged", risk1.pk))
    assert set(statuses(client, risk1.pk).values()) == {"Completed"}
    assert client.post(url("quarterly:update-check", risk1.pk), {"version": 3}).status_code == 302
    the_team_submits_the_rest(q3, planner, skip=risk1)
    approve_all(q3, checker)
    client.force_login(planner)
    assert client.post(url("quarterly:period-close", q3.slug), {}).status_code == 302
    q3.refresh_from_db()
    assert q3.state == "closed" and not q3.closed_incomplete

    # 2021/22 Q4: last quarter's words are carried forward, to check, and flagged.
    q4 = open_quarter(client, planner, Q4)
    draft = Assessment.objects.get(risk=risk1, period=q4)
    assert draft.commentary == "Q3: knife crime fell." and draft.commentary_carried_from == q3
    client.force_login(owner)
    assert set(statuses(client, risk1.pk).values()) == {"Not started"}
    tasks = client.get(url("quarterly:update", risk1.pk)).text
    assert "The commentary is the same as 2021/22 Q3" in tasks
    refused = client.post(url("quarterly:update-check", risk1.pk), {"version": 1})
    assert refused.status_code == 200 and "Check the current score" in refused.text
    client.post(url("quarterly:update-score", risk1.pk), {"unchanged": "1", "version": 1})
    client.post(url("quarterly:update-progress", risk1.pk), {"unchanged": "1", "version": 2})
    client.post(url("quarterly:controls-unchanged", risk1.pk))
    assert client.post(url("quarterly:update-check", risk1.pk), {"version": 3}).status_code == 302

    # The note written in Q3 is Q3's; the one kept in Q3 too is still Q2's.
    kept = {r.control_id: r for r in ControlUpdate.objects.filter(period=q4, control__risk=risk1)}
    assert kept[op_orochi.pk].note_carried_from == q3
    assert kept[vawg.pk].note_carried_from == q3.previous()
    assert all(r.confirmed_unchanged and not r.note_written_this_quarter for r in kept.values())

    # The team sees it flagged, and approves it in the queue.
    client.force_login(checker)
    row = client.get(url("quarterly:review")).text.split(f'id="row-{draft.pk}"', 1)[1]
    row = row.split("</tr>", 1)[0]
    assert "the same as 2021/22 Q3" in row and "2 control notes the same as last" in row
    draft.refresh_from_db()
    assert client.post(url("quarterly:review-approve", draft.pk),
                       {"version": draft.version}).status_code == 302
    the_team_submits_the_rest(q4, planner, skip=risk1)
    approve_all(q4, checker)
    client.force_login(planner)
    assert client.post(url("quarterly:period-close", q4.slug), {}).status_code == 302

    # Each closed quarter keeps what it recorded: Q3 wrote its commentary and one note.
    q3_update = Assessment.objects.get(risk=risk1, period=q3)
    assert q3_update.commentary_is_new and q3_update.state == "approved"
    q3_records = {r.control_id: r for r in ControlUpdate.objects.filter(period=q3,
                                                                         control__risk=risk1)}
    assert q3_records[op_orochi.pk].note_written_this_quarter
    assert q3_records[vawg.pk].confirmed_unchanged
    q4_update = Assessment.objects.get(risk=risk1, period=q4)
    assert q4_update.state == "approved" and q4_update.commentary_carried_from == q3
