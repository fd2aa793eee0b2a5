"""The search page: one box across risks, controls, commentary, reasons, control notes and the
action plan, finding only what each person may see; bad input gets a message; its cost in
queries is the same whatever it finds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from controls.models import ControlUpdate
from risks.models import Assessment
from tests.queries import SIGNED_IN

pytestmark = pytest.mark.django_db

URL = reverse("search:search")


def _found(client, q) -> dict[str, list[str]]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return {g.kind: [h.title for h in g.hits] for g in response.context["groups"]}


def test_risks_controls_commentary_and_the_plan_are_found(client, seed, panel):
    client.force_login(panel)
    found = _found(client, "violent")
    assert "Risk 1 VIOLENT CRIME" in found["risk"]
    assert any(t.startswith("Op Orochi") for t in _found(client, "Orochi")["control"])
    commentary = Assessment.objects.get(risk__ref=1, period__slug="2021-22-q2").commentary
    word = max(commentary.split(), key=len).strip(".,;:()")
    assert any(t.startswith("Risk 1 VIOLENT CRIME") for t in _found(client, word)["assessment"])
    assert _found(client, "Risk Forum")["action"]


def test_drafts_only_for_those_who_may_see_them(client, q3, owner, other_owner, panel, planner):
    a = Assessment.objects.get(risk__ref=1, period=q3)
    Assessment.objects.filter(pk=a.pk).update(commentary="Zanzibar quokka draft words.")
    for user, sees in ((owner, True), (planner, True), (other_owner, False), (panel, False)):
        client.force_login(user)
        assert bool(_found(client, "quokka")["assessment"]) is sees, user
    Assessment.objects.filter(pk=a.pk).update(state="approved", reviewed_at=a.updated_at)
    client.force_login(panel)
    assert _found(client, "quokka")["assessment"]


def test_control_notes_only_for_the_team_the_panel_and_the_risks_people(
    client, seed, owner, other_owner, panel
):
    noted = ControlUpdate.objects.filter(period__slug="2021-22-q2", control__risk__ref=1).first()
    # A closed quarter's rows cannot change: search for a word its note already holds.
    word = max(noted.note.split() or ["-"], key=len).strip(".,;:()")
    assert len(word) > 3, noted.note
    for user, sees in ((panel, True), (owner, True), (other_owner, False)):
        client.force_login(user)
        assert bool(_found(client, word)["note"]) is sees, user


def test_nobody_finds_a_register_they_cannot_read(client, seed, outsider):
    client.force_login(outsider)
    found = _found(client, "violent")
    assert found["risk"] == [] and found["assessment"] == []


@pytest.mark.parametrize("q, message", [
    ("", "Enter what to search for"),
    ("   ", "Enter what to search for"),
    ("a", "at least 2 characters"),
    ("x" * 201, "200 characters or fewer"),
    ("nul\x00byte", "Null characters are not allowed"),
])
def test_bad_input_gets_a_message(client, seed, panel, q, message):
    client.force_login(panel)
    response = client.get(URL, {"q": q})
    assert response.status_code == 400
    assert message in response.text


def test_no_query_is_an_empty_form(client, seed, panel):
    client.force_login(panel)
    response = client.get(URL)
    assert response.status_code == 200 and response.context["groups"] == []


@pytest.mark.parametrize("q", ["%%", "__", "' OR 1=1 --", "violent & | ! <->", "\\\\", "ü ß 漢字"])
def test_any_text_is_a_search(client, seed, panel, q):
    client.force_login(panel)
    assert client.get(URL, {"q": q, "risk_page": "9" * 40}).status_code == 200


def test_the_same_queries_whatever_is_found(client, seed, panel):
    client.force_login(panel)
    client.get(URL, {"q": "zzzznothing"})
    counts = []
    for q in ("zzzznothing", "risk", "the"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"q": q}).status_code == 200
        counts.append(len(queries))
    # Signed in (SIGNED_IN); a page of each of the five kinds (each with its count); the open
    # quarter, twice (for updates, and for control records).
    assert counts == [SIGNED_IN + 7] * 3


def test_a_quarter_after_the_seed_is_found_once_closed(client, q3, owner, panel, planner):
    """Written in Q3, approved and closed: readers find Q3's record; Q4's draft, carried
    forward with the same words, stays the owner's until it is approved."""
    from riskreg.quarterly.services import close_quarter
    from risks.services import open_period
    from tests.factories import make_planner
    from tests.riskreg.quarterly.test_second_quarter import (
        Q4,
        approve_all,
        the_team_submits_the_rest,
    )

    a = Assessment.objects.get(risk__ref=1, period=q3)
    Assessment.objects.filter(pk=a.pk).update(commentary="Wombat patrols cut knife crime.")
    the_team_submits_the_rest(q3, planner, skip=None)
    approve_all(q3, make_planner("checker"))
    close_quarter(period=q3, by=planner)
    q4 = open_period(**Q4, by=planner)
    client.force_login(panel)
    response = client.get(URL, {"q": "wombat"})
    wheres = [h.where for g in response.context["groups"] for h in g.hits if g.kind == "assessment"]
    assert wheres == ["2021/22 Q3 · Corporate risk register"]
    client.force_login(owner)
    response = client.get(URL, {"q": "wombat"})
    wheres = [h.where for g in response.context["groups"] for h in g.hits if g.kind == "assessment"]
    assert sorted(wheres) == ["2021/22 Q3 · Corporate risk register",
                              f"{q4.name} (draft) · Corporate risk register"]
