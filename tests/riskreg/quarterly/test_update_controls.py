"""riskreg/quarterly/update_controls.py: each control's status this quarter, in place with htmx
and as plain pages without it; adding a control; keeping last quarter's statuses."""

from django.urls import reverse

from controls.models import Control, ControlUpdate

from .helpers import HX


def test_change_link_opens_the_control_form_in_place(client, owner, q3, risk1, control):
    client.force_login(owner)
    url = reverse("quarterly:control-update", args=[risk1.pk, control.pk])
    page = client.get(reverse("quarterly:update-controls", args=[risk1.pk])).text
    # The link works without JavaScript (href) and in place (hx-get), to the same address.
    assert f'href="{url}" hx-get="{url}"' in page
    full = client.get(url)
    assert "<html" in full.text and 'name="status"' in full.text
    fragment = client.get(url, headers=HX)
    assert "<html" not in fragment.text
    assert fragment.text.strip().startswith(f'<div class="govuk-summary-card" id="control-{control.pk}">')
    assert f'hx-post="{url}"' in fragment.text
    # Last quarter's status is shown and pre-filled.
    assert "2021/22 Q2: In progress" in fragment.text
    assert 'value="in_progress" checked' in fragment.text
    cancel = client.get(url + "?cancel=1", headers=HX)
    assert "Not updated yet" in cancel.text and "<form" not in cancel.text


def test_saving_a_control_in_place_returns_its_card(client, owner, q3, risk1, control):
    client.force_login(owner)
    url = reverse("quarterly:control-update", args=[risk1.pk, control.pk])
    response = client.post(url, {"status": "complete", "note": "Done.", "version": 0}, headers=HX)
    assert response.status_code == 200
    assert "Saved." in response.text and "Complete" in response.text and "Done." in response.text
    update = ControlUpdate.objects.get(control=control, period=q3)
    assert (update.status, update.version, update.updated_by) == ("complete", 1, owner)
    response = client.post(url, {"status": "delayed", "note": "", "version": 1}, headers=HX)
    update.refresh_from_db()
    assert (update.status, update.version) == ("delayed", 2)
    # Errors come back in the same place, with the form.
    response = client.post(url, {"status": "", "note": "", "version": 2}, headers=HX)
    assert "Choose the control&#x27;s status this quarter" in response.text
    assert 'hx-post="' in response.text


def test_keeping_last_quarters_statuses_confirms_every_waiting_control(client, owner, q3, risk1):
    client.force_login(owner)
    response = client.post(reverse("quarterly:controls-unchanged", args=[risk1.pk]), follow=True)
    assert "2 controls marked unchanged since last quarter." in response.text
    updates = ControlUpdate.objects.filter(period=q3, control__risk=risk1)
    assert updates.count() == 2
    assert set(updates.values_list("status", flat=True)) == {"in_progress"}


def test_the_controls_page_shows_last_quarter_beside_this_one(client, q3, risk1, owner):
    client.force_login(owner)
    page = client.get(reverse("quarterly:update-controls", args=[risk1.pk])).text
    assert "Op Orochi – disrupting and closing County Lines" in page
    assert page.count("Not updated yet") == 2
    assert "2021/22 Q2" in page and "In progress" in page


def test_a_control_of_another_risk_is_not_found(client, owner, q3, risk1):
    other = Control.objects.exclude(risk=risk1).first()
    client.force_login(owner)
    response = client.post(
        reverse("quarterly:control-update", args=[risk1.pk, other.pk]),
        {"status": "complete", "note": "", "version": 0},
    )
    assert response.status_code == 404
    assert not ControlUpdate.objects.filter(period=q3).exists()


def test_a_bad_control_status_is_refused(client, owner, q3, risk1):
    control = Control.objects.filter(risk=risk1).first()
    client.force_login(owner)
    response = client.post(
        reverse("quarterly:control-update", args=[risk1.pk, control.pk]),
        {"status": "finished-ish", "note": "", "version": 0},
    )
    assert response.status_code == 200
    assert "Choose not started, in progress, complete or delayed" in response.text
    assert not ControlUpdate.objects.filter(period=q3).exists()


def test_a_duplicate_control_name_is_refused(client, owner, q3, risk1):
    existing = Control.objects.filter(risk=risk1).first()
    client.force_login(owner)
    response = client.post(
        reverse("quarterly:control-add", args=[risk1.pk]),
        {"title": existing.title.upper(), "status": "not_started"},
    )
    assert response.status_code == 200
    assert "already has a control with that name" in response.text
    assert Control.objects.filter(risk=risk1).count() == 2


def test_a_stale_control_save_shows_both_answers(client, owner, lead, q3, risk1):
    from controls.services import save_control_update

    control = Control.objects.filter(risk=risk1).first()
    save_control_update(control=control, period=q3, by=lead, status="complete", note="Lead's.",
                        version=0)
    client.force_login(owner)
    url = reverse("quarterly:control-update", args=[risk1.pk, control.pk])
    response = client.post(url, {"status": "delayed", "note": "Owner's.", "version": 0})
    assert response.status_code == 409
    assert "Owner&#x27;s." in response.text and "Lead&#x27;s." in response.text
    assert ControlUpdate.objects.get(control=control, period=q3).note == "Lead's."
    # In place with htmx the same comparison replaces the control's card.
    response = client.post(url, {"status": "delayed", "note": "Owner's.", "version": 0},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert f'id="control-{control.pk}"' in response.text and "Saved now" in response.text
