"""The Planning & Risk Team marks key controls in the service (issue 14): a control an owner
adds can reach Appendix B without the Django admin. Owners cannot; a closed quarter keeps what
it recorded."""

import pytest
from django.urls import reverse

from controls.models import Control, ControlUpdate
from controls.services import add_control, set_key_control
from riskreg.quarterly.services import close_quarter
from risks.models import Assessment, PeriodClosed


@pytest.fixture
def draft(q3, risk1):
    return Assessment.objects.get(risk=risk1, period=q3)


@pytest.fixture
def added(q3, risk1, owner):
    """A control the owner added this quarter: not key."""
    return add_control(risk=risk1, period=q3, by=owner, title="Safer streets patrols",
                       description="", milestone="end of November", status="in_progress",
                       note="Patrols began.")


def key_url(draft, control):
    return reverse("quarterly:review-key-control", args=[draft.pk, control.pk])


def test_the_team_makes_an_added_control_key_from_the_review_page(client, planner, draft, added):
    assert not added.is_key
    client.force_login(planner)
    page = client.get(reverse("quarterly:review-detail", args=[draft.pk])).text
    row = page.split(f'id="control-{added.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Not key" in row and f'action="{key_url(draft, added)}"' in row
    assert 'name="is_key" value="yes"' in row and "csrfmiddlewaretoken" in row
    response = client.post(key_url(draft, added), {"is_key": "yes"}, follow=True)
    assert "“Safer streets patrols” is a key control: Appendix B shows it." in response.text
    added.refresh_from_db()
    assert added.is_key
    # The open quarter's record of it follows; the history says who and why.
    assert ControlUpdate.objects.get(control=added, period=draft.period).is_key
    last = Control.history.filter(id=added.pk).latest("history_date")
    assert (last.history_user, last.history_change_reason) == (planner, "Marked as a key control")
    row = response.text.split(f'id="control-{added.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Key</strong>" in row and 'name="is_key" value="no"' in row
    # And back again.
    client.post(key_url(draft, added), {"is_key": "no"})
    added.refresh_from_db()
    assert not added.is_key
    assert Control.history.filter(id=added.pk).latest("history_date").history_change_reason == (
        "No longer a key control"
    )


def test_the_choice_is_explicit_so_a_repeat_changes_nothing(client, planner, draft, added):
    client.force_login(planner)
    client.post(key_url(draft, added), {"is_key": "yes"})
    count = Control.history.filter(id=added.pk).count()
    client.post(key_url(draft, added), {"is_key": "yes"})
    added.refresh_from_db()
    assert added.is_key and Control.history.filter(id=added.pk).count() == count


def test_an_owner_cannot_mark_a_key_control(client, owner, draft, added):
    client.force_login(owner)
    assert client.post(key_url(draft, added), {"is_key": "yes"}).status_code == 403
    added.refresh_from_db()
    assert not added.is_key
    # Nor does the owner's page offer it.
    page = client.get(reverse("quarterly:update-controls", args=[draft.risk_id])).text
    assert "review-key-control" not in page and "/key/" not in page


def test_get_and_bad_choices_are_refused(client, planner, draft, added):
    client.force_login(planner)
    assert client.get(key_url(draft, added)).status_code == 405
    response = client.post(key_url(draft, added), {"is_key": "maybe"}, follow=True)
    assert "Choose whether the control is a key control." in response.text
    added.refresh_from_db()
    assert not added.is_key


def test_a_control_of_another_risk_is_not_found(client, planner, q3, draft):
    other = Control.objects.exclude(risk=draft.risk_id).first()
    client.force_login(planner)
    assert client.post(key_url(draft, other), {"is_key": "yes"}).status_code == 404


def test_a_closed_quarters_record_is_refused(client, planner, draft, added, q3):
    close_quarter(period=q3, by=planner, incomplete=True)
    record = ControlUpdate.objects.get(control=added, period=q3)
    client.force_login(planner)
    page = client.get(reverse("quarterly:review-detail", args=[draft.pk])).text
    assert "/key/" not in page  # nothing offered for a closed quarter
    response = client.post(key_url(draft, added), {"is_key": "yes"}, follow=True)
    assert "The reporting period 2021/22 Q3 is closed" in response.text
    added.refresh_from_db()
    record.refresh_from_db()
    assert not added.is_key and not record.is_key
    with pytest.raises(PeriodClosed):
        set_key_control(control=added, period=q3, is_key=True, by=planner)


def test_the_seed_quarter_keeps_its_key_controls_whatever_the_open_one_says(
    client, planner, draft, risk1
):
    """Unmarked in the open quarter, a key control stays key in the closed quarter's record."""
    op_orochi = Control.objects.filter(risk=risk1).order_by("order", "pk").first()
    assert op_orochi.is_key
    client.force_login(planner)
    client.post(key_url(draft, op_orochi), {"is_key": "no"})
    op_orochi.refresh_from_db()
    assert not op_orochi.is_key
    q2 = draft.period.previous()
    assert ControlUpdate.objects.get(control=op_orochi, period=q2).is_key
    q2_update = Assessment.objects.get(risk=risk1, period=q2)
    page = client.get(reverse("quarterly:review-detail", args=[q2_update.pk])).text
    row = page.split(f'id="control-{op_orochi.pk}"', 1)[1].split("</tr>", 1)[0]
    assert "Key</strong>" in row and "<form" not in row
