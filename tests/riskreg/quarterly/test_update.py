"""riskreg/quarterly/update.py: an owner's update of a risk, its task list, score and progress
pages, and check and submit. Bad input gets a clear message and changes nothing; a stale save
shows a conflict page; the band shows before saving, with or without htmx."""

import pytest
from django.urls import reverse

from risks.models import Assessment, Risk
from risks.models.levels import LevelDescription
from risks.services import save_assessment
from tests.factories import make_control

from .helpers import HX, snapshot


def test_the_band_and_warning_show_before_saving_with_or_without_htmx(client, owner, q3, risk1):
    client.force_login(owner)
    url = reverse("quarterly:update-score", args=[risk1.pk])
    data = {"likelihood": "4", "impact": "4", "version": "1", "preview": "1"}
    fragment = client.post(url, data, headers=HX)
    assert fragment.text.strip().startswith('<div id="band"')
    assert "VH v VH" in fragment.text and "Very high" in fragment.text
    assert "is further from the target (2) than last quarter's (6)" in fragment.text
    page = client.post(url, data)  # the "Show the band" button, without JavaScript
    assert "<html" in page.text and "Very high" in page.text and "further from the target" in page.text
    closer = client.post(url, data | {"likelihood": "1", "impact": "2"}, headers=HX)
    assert "L v M" in closer.text and "further from the target" not in closer.text
    assert Assessment.objects.get(risk=risk1, period=q3).version == 1  # nothing saved


SCORE_CASES = [
    ({"likelihood": "5", "impact": "3"}, "Choose a likelihood from Low to Very High"),
    ({"likelihood": "0", "impact": "3"}, "Choose a likelihood from Low to Very High"),
    ({"likelihood": "high", "impact": "3"}, "Choose a likelihood from Low to Very High"),
    ({"likelihood": "2", "impact": "-1"}, "Choose a impact from Low to Very High"),
    ({"likelihood": "2"}, "Choose the current impact as well as the likelihood"),
    ({}, "Choose the current likelihood"),
    ({"likelihood": "3", "impact": "3", "score_change_source": "luck"},
     "Choose controls implemented or a re-assessment"),
]


@pytest.mark.parametrize(("data", "message"), SCORE_CASES)
def test_bad_score_is_refused_with_a_message(client, owner, draft, risk1, data, message):
    client.force_login(owner)
    before = snapshot(draft)
    response = client.post(reverse("quarterly:update-score", args=[risk1.pk]), data | {"version": 1})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert snapshot(draft) == before


PROGRESS = {"trend": "stable", "progress": "on_track", "reasons": "", "commentary": "Words."}
PROGRESS_CASES = [
    ({"progress": "slipped"}, "Progress is slipped: give the reasons why it is not on track"),
    ({"progress": "no_progress", "reasons": "   "}, "give the reasons why it is not on track"),
    ({"progress": "great"}, "Choose on track, limited, slipped or no progress"),
    ({"trend": "sideways"}, "Choose improving, stable or worsening"),
    ({"commentary": ""}, "Enter the commentary"),
]


@pytest.mark.parametrize(("change", "message"), PROGRESS_CASES)
def test_bad_progress_is_refused_with_a_message(client, owner, draft, risk1, change, message):
    client.force_login(owner)
    before = snapshot(draft)
    data = PROGRESS | change | {"version": 1}
    response = client.post(reverse("quarterly:update-progress", args=[risk1.pk]), data)
    assert response.status_code == 200
    assert message in response.text
    assert snapshot(draft) == before


@pytest.mark.parametrize(
    ("version", "message"),
    [
        ("", "The page was missing its version"),
        ("abc", "The page sent a version that is not a number"),
        ("0", "The page sent an impossible version"),
        ("-3", "The page sent an impossible version"),
    ],
)
def test_a_tampered_version_is_refused_with_a_message(client, owner, draft, risk1, version, message):
    client.force_login(owner)
    before = snapshot(draft)
    response = client.post(
        reverse("quarterly:update-progress", args=[risk1.pk]), PROGRESS | {"version": version}
    )
    assert response.status_code == 200
    assert message in response.text
    assert snapshot(draft) == before


def test_a_version_from_the_future_is_a_conflict_not_a_save(client, owner, draft, risk1):
    client.force_login(owner)
    before = snapshot(draft)
    response = client.post(
        reverse("quarterly:update-progress", args=[risk1.pk]), PROGRESS | {"version": 99}
    )
    assert response.status_code == 409
    assert snapshot(draft) == before


def test_an_owner_cannot_set_review_fields_by_adding_them_to_a_form(client, q3, risk1, owner):
    assessment = Assessment.objects.get(risk=risk1, period=q3)
    client.force_login(owner)
    response = client.post(
        reverse("quarterly:update-progress", args=[risk1.pk]),
        {
            "trend": "stable", "progress": "on_track", "reasons": "", "commentary": "Fine.",
            "version": assessment.version,
            # Tampered additions: none of these is a field of the owner's form.
            "state": "approved", "review_comment": "self-approved", "reviewed_by": owner.pk,
            "reviewed_at": "2021-10-02T00:00", "submitted_by": owner.pk, "likelihood": "1",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.commentary == "Fine."
    assert assessment.state == "draft"
    assert assessment.review_comment == "" and assessment.reviewed_by is None
    assert assessment.likelihood == 2  # the score is another section's field


def test_risk_10_may_be_submitted_without_a_score(client, q3, planner):
    """Risk 10 (LEGITIMACY) is still to be finalised: no agreed description, no scores."""
    risk10 = Risk.objects.get(register__slug="corporate", ref=10)
    a = Assessment.objects.get(risk=risk10, period=q3)
    client.force_login(planner)
    response = client.post(reverse("quarterly:update-score", args=[risk10.pk]), {"version": 1})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.score is None


def test_a_new_risk_starts_its_draft_on_first_use(client, q3, owner, risk1):
    from tests.factories import make_risk

    late = make_risk(risk1.register, owner=risk1.owner, ref=50, title="LATE")
    make_control(late, title="Late control")
    client.force_login(owner)
    assert "Start the update" in client.get(reverse("quarterly:update", args=[late.pk])).text
    response = client.post(reverse("quarterly:update", args=[late.pk]))
    assert response.status_code == 302
    assert Assessment.objects.filter(risk=late, period=q3, state="draft").exists()


# Conflicts: nothing lost -----------------------------------------------------------------------


def test_a_stale_save_shows_both_versions_and_can_keep_mine(client, owner, lead, draft, risk1):
    url = reverse("quarterly:update-progress", args=[risk1.pk])
    # Both open the page at version 1; the lead saves first.
    save_assessment(assessment=draft, version=1, by=lead,
                    changes=PROGRESS | {"commentary": "The lead's words."})
    client.force_login(owner)
    mine = PROGRESS | {"commentary": "The owner's words.", "version": 1}
    response = client.post(url, mine)
    assert response.status_code == 409
    page = response.text
    assert "Someone else saved this update while you were editing it" in page
    assert "The owner&#x27;s words." in page and "The lead&#x27;s words." in page
    assert "lead" in page
    draft.refresh_from_db()
    assert draft.commentary == "The lead's words." and draft.version == 2
    # The page carries the owner's answers and the stored version, so keeping them is one click.
    assert 'name="version" value="2"' in page
    assert 'name="commentary" value="The owner&#x27;s words."' in page
    response = client.post(url, mine | {"version": 2})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.commentary == "The owner's words." and draft.version == 3


# Queries ---------------------------------------------------------------------------------------


def test_the_risk_page_and_update_pages_do_not_grow_with_controls_or_history(client, q3, risk1, owner):
    """The timeline and the controls cost a fixed number of queries, however many rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from controls.services import save_control_update
    from tests.factories import make_control

    pages = [
        reverse("risks:risk", args=[risk1.pk]),
        reverse("quarterly:update", args=[risk1.pk]),
        reverse("quarterly:update-controls", args=[risk1.pk]),
        reverse("quarterly:update-check", args=[risk1.pk]),
    ]
    client.force_login(owner)

    def counts():
        result = []
        for page in pages:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(page).status_code == 200
            result.append(len(captured))
        return result

    before = counts()
    for i in range(8):
        control = make_control(risk1, title=f"Extra control {i}")
        update = save_control_update(control=control, period=q3, by=owner, status="in_progress",
                                     note="", version=0)
        save_control_update(control=control, period=q3, by=owner, status="complete", note="Done",
                            version=update.version)
    assert counts() == before


@pytest.mark.parametrize(
    "data",
    [{}, {"likelihood": "9", "impact": "x"}, {"likelihood": "3"},
     {"likelihood": "3", "impact": "3", "not_rated": "on"}],
)
def test_show_the_band_judges_nothing_and_shows_no_error(client, owner, draft, risk1, data):
    client.force_login(owner)
    before = snapshot(draft)
    page = client.post(
        reverse("quarterly:update-score", args=[risk1.pk]), data | {"version": 1, "preview": "1"}
    ).text
    assert "There is a problem" not in page and "govuk-error-message" not in page
    assert "govuk-form-group--error" not in page
    assert snapshot(draft) == before


def test_show_the_band_keeps_the_answers_given(client, owner, draft, risk1):
    client.force_login(owner)
    page = client.post(
        reverse("quarterly:update-score", args=[risk1.pk]),
        {"likelihood": "1", "impact": "4", "version": 1, "preview": "1"},
    ).text
    assert 'name="likelihood" value="1" checked' in page
    assert 'name="impact" value="4" checked' in page
    assert "Your answers" in page and "L v VH" in page


def test_the_reasons_are_revealed_by_the_choices_other_than_on_track(client, owner, draft, risk1):
    client.force_login(owner)
    page = client.get(reverse("quarterly:update-progress", args=[risk1.pk])).text
    block = page.split('id="conditional-reasons"', 1)[1].split("</textarea>", 1)[0]
    # Shown to start with (so it works without JavaScript); riskreg.js hides it for on track.
    assert 'class="govuk-radios__conditional" id="conditional-reasons"' in page
    assert 'data-rr-reveal-for="progress" data-rr-reveal-unless="on_track"' in block
    assert "Why is progress not on track?" in block and 'name="reasons"' in block


def test_reasons_sent_with_on_track_are_not_kept(client, owner, draft, risk1):
    client.force_login(owner)
    client.post(reverse("quarterly:update-progress", args=[risk1.pk]), {
        "trend": "stable", "progress": "on_track", "reasons": "Typed before choosing on track",
        "commentary": "Words.", "version": 1,
    })
    draft.refresh_from_db()
    assert draft.progress == "on_track" and draft.reasons == ""


def test_the_levels_the_team_described_are_hints_under_their_choices(client, owner, draft, risk1):
    LevelDescription.objects.create(dimension="likelihood", level=1, description="Rare <b>")
    LevelDescription.objects.create(dimension="impact", level=4, description="Severe")
    LevelDescription.objects.create(dimension="impact", level=2, description="")
    client.force_login(owner)
    page = client.get(reverse("quarterly:update-score", args=[risk1.pk])).text
    assert page.count("govuk-radios__hint") == 2
    assert (
        'aria-describedby="id_likelihood-item-hint"' in page
        and '<div id="id_likelihood-item-hint" class="govuk-hint govuk-radios__hint">Rare &lt;b&gt;'
        in page
    )
    assert '<div id="id_impact_3-item-hint" class="govuk-hint govuk-radios__hint">Severe' in page


def test_no_level_described_shows_no_hint(client, owner, draft, risk1):
    client.force_login(owner)
    page = client.get(reverse("quarterly:update-score", args=[risk1.pk])).text
    assert "govuk-radios__hint" not in page
    assert "govuk-radios--inline" in page
