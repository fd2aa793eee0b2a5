"""A script with a token runs an owner's quarterly update through the API, with the pages'
rules: the same forms' messages, the workflow, optimistic locking (a stale version is 409 and
writes nothing), and the same access (readers 403, outside scope 404, read tokens 403). Run
over two quarters after the seed."""

import pytest

from controls.models import Control, ControlUpdate
from riskreg.api.models import Scope
from riskreg.quarterly.services import close_quarter
from risks.models import Assessment
from risks.services import open_period
from tests.factories import make_planner
from tests.riskreg.quarterly.helpers import snapshot
from tests.riskreg.quarterly.test_second_quarter import Q4, approve_all, the_team_submits_the_rest

from .conftest import token_client

pytestmark = pytest.mark.django_db


def base(a):
    return f"/api/v1/assessments/{a.pk}/"


def run_update_through_the_api(client, a) -> dict:
    """Confirm the score, write the progress, confirm the controls, submit: each step names
    the version the last one returned."""
    r = client.post_json(base(a) + "confirm/", {"section": "score", "version": a.version})
    assert r.status_code == 200, r.json()
    r = client.post_json(base(a) + "progress/", {
        "trend": "improving", "progress": "limited", "reasons": "Funding arrived late.",
        "commentary": "Knife injuries fell this quarter.", "version": r.json()["version"],
    })
    assert r.status_code == 200, r.json()
    version = r.json()["version"]
    r = client.post_json(base(a) + "confirm/", {"section": "controls", "version": version})
    assert r.status_code == 200, r.json()
    r = client.post_json(base(a) + "submit/", {"version": r.json()["version"]})
    assert r.status_code == 200, r.json()
    return r.json()


def test_an_owner_submits_two_quarters_through_the_api(q3, owner, planner, risk1):
    client = token_client(owner)
    a = Assessment.objects.get(risk=risk1, period=q3)
    body = run_update_through_the_api(client, a)
    assert (body["state"], body["progress"], body["rag"], body["reasons"]) == (
        "submitted", "limited", "amber", "Funding arrived late."
    )
    a.refresh_from_db()
    assert a.submitted_by == owner and a.state == "submitted"
    # The team finishes the quarter, closes it and opens the next: the same again.
    checker = make_planner("checker")
    the_team_submits_the_rest(q3, planner, skip=risk1)
    approve_all(q3, checker)
    close_quarter(period=q3, by=planner)
    q4 = open_period(**Q4, by=planner)
    a4 = Assessment.objects.get(risk=risk1, period=q4)
    assert a4.commentary == "Knife injuries fell this quarter."
    body = run_update_through_the_api(client, a4)
    assert body["period"] == q4.slug and body["state"] == "submitted"
    # The closed quarter refuses, and keeps what it recorded.
    r = client.post_json(base(a) + "progress/", {
        "trend": "stable", "progress": "on_track", "commentary": "Rewritten.",
        "version": Assessment.objects.get(pk=a.pk).version,
    })
    assert r.status_code == 409 and r.json()["code"] == "period_closed"
    assert Assessment.objects.get(pk=a.pk).commentary == "Knife injuries fell this quarter."


def test_a_stale_version_is_409_with_a_clear_message_and_writes_nothing(draft, owner, lead):
    token_client(lead).post_json(base(draft) + "confirm/", {"section": "score", "version": 1})
    before = snapshot(draft)
    r = token_client(owner).post_json(base(draft) + "progress/", {
        "trend": "stable", "progress": "on_track", "commentary": "Mine.", "version": 1,
    })
    assert r.status_code == 409
    body = r.json()
    assert body["code"] == "stale_version" and body["current_version"] == 2
    assert "lead changed this after you read it" in body["detail"]
    assert snapshot(draft) == before


def test_the_pages_rules_and_messages(draft, owner):
    client = token_client(owner)
    r = client.post_json(base(draft) + "progress/", {
        "trend": "stable", "progress": "slipped", "commentary": "Late.", "version": 1,
    })
    assert r.status_code == 400
    assert r.json()["errors"]["reasons"] == [
        "Progress is slipped: give the reasons why it is not on track"
    ]
    r = client.post_json(base(draft) + "score/", {"likelihood": 4, "version": 1})
    assert r.status_code == 400
    assert r.json()["errors"]["impact"] == ["Choose the current impact as well as the likelihood"]
    r = client.post_json(base(draft) + "score/", {"likelihood": 1, "impact": 1, "version": 1})
    assert r.status_code == 400 and "score_change_source" in r.json()["errors"]
    r = client.post_json(base(draft) + "submit/", {"version": 1})
    assert r.status_code == 400 and r.json()["code"] == "incomplete"
    assert set(r.json()["missing"]) >= {"score_checked", "progress_checked"}
    assert snapshot(draft)["version"] == 1


@pytest.mark.parametrize("body", [
    {}, {"version": "one"}, {"version": 0}, {"version": 2**40}, {"section": "all", "version": 1},
    [], "text", {"section": None, "version": None},
])
def test_bad_bodies_are_400_and_write_nothing(draft, owner, body):
    before = snapshot(draft)
    r = token_client(owner).post_json(base(draft) + "confirm/", body)
    assert r.status_code == 400, r.content
    assert r.json()["detail"]
    assert snapshot(draft) == before


def test_malformed_json_is_400(draft, owner):
    r = token_client(owner).post(base(draft) + "submit/", "{not json", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "parse_error"


def test_who_may_write(draft, other_owner, panel, outsider, owner):
    body = {"section": "score", "version": 1}
    assert token_client(other_owner).post_json(base(draft) + "confirm/", body).status_code == 404
    assert token_client(outsider).post_json(base(draft) + "confirm/", body).status_code == 404
    Assessment.objects.filter(pk=draft.pk).update(state="approved", reviewed_at=draft.updated_at)
    # A reader who may see the approved update still may not change it.
    r = token_client(panel).post_json(base(draft) + "confirm/", body)
    assert r.status_code == 403 and "not change it" in r.json()["detail"]
    r = token_client(owner).post_json(base(draft) + "confirm/", body)
    assert r.status_code == 409 and r.json()["code"] == "not_editable"


def test_a_read_token_cannot_write(draft, owner):
    before = snapshot(draft)
    r = token_client(owner, Scope.READ).post_json(base(draft) + "confirm/",
                                                  {"section": "score", "version": 1})
    assert r.status_code == 403 and "only read" in r.json()["detail"]
    assert snapshot(draft) == before


def test_a_controls_status_and_its_stale_version(draft, owner, control):
    client = token_client(owner)
    r = client.post_json(f"/api/v1/controls/{control.pk}/status/",
                         {"status": "complete", "note": "Done.", "version": 0})
    assert r.status_code == 200, r.json()
    assert (r.json()["status"], r.json()["note"], r.json()["version"]) == ("complete", "Done.", 1)
    again = client.post_json(f"/api/v1/controls/{control.pk}/status/",
                             {"status": "delayed", "version": 0})
    assert again.status_code == 409 and again.json()["code"] == "stale_version"
    assert ControlUpdate.objects.get(control=control, period=draft.period).status == "complete"


def test_a_control_one_may_only_read_is_403_and_an_unknown_one_404(q3, other_owner, owner):
    theirs = Control.objects.filter(risk__owner__name="AC Frontline Policing").first()
    r = token_client(other_owner).post_json(f"/api/v1/controls/{theirs.pk}/status/",
                                            {"status": "complete", "version": 0})
    assert r.status_code == 403
    r = token_client(owner).post_json("/api/v1/controls/999999/status/",
                                      {"status": "complete", "version": 0})
    assert r.status_code == 404


def test_a_version_for_a_control_record_that_does_not_exist_is_409(draft, owner, control):
    """Found by the schema tests: version 106 for a control with no record this quarter."""
    r = token_client(owner).post_json(f"/api/v1/controls/{control.pk}/status/",
                                      {"status": "complete", "version": 106})
    assert r.status_code == 409
    assert (r.json()["code"], r.json()["current_version"]) == ("stale_version", 0)
    assert not ControlUpdate.objects.filter(control=control, period=draft.period).exists()
