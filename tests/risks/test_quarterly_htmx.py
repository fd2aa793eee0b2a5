"""htmx works in place (controls, the band, the review queue), and everything works without it."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from controls.models import ControlUpdate
from risks.models import Assessment

HX = {"HX-Request": "true"}


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


def test_review_queue_returns_in_place(client, planner, q3, risk1):
    a = Assessment.objects.get(risk=risk1, period=q3)
    Assessment.objects.filter(pk=a.pk).update(state="submitted")
    client.force_login(planner)
    queue = client.get(reverse("quarterly:review")).text
    url = reverse("quarterly:review-return", args=[a.pk])
    assert f'href="{url}" hx-get="{url}"' in queue
    form = client.get(url, headers=HX).text
    assert form.strip().startswith(f'<tr class="govuk-table__row" id="row-{a.pk}">')
    assert f'hx-post="{url}"' in form
    # Without htmx the same address is a page whose form does not swap into a queue row.
    page = client.get(url).text
    assert "<html" in page and "hx-post" not in page
    error = client.post(url, {"comment": "", "version": 1}, headers=HX).text
    assert "Enter a comment" in error and f'id="row-{a.pk}"' in error
    done = client.post(url, {"comment": "Add the Q3 numbers.", "version": 1}, headers=HX).text
    assert "Returned" in done and "Add the Q3 numbers." in done and "<form" not in done


def test_queue_lists_who_has_not_submitted(client, planner, q3, risk1):
    client.force_login(planner)
    page = client.get(reverse("quarterly:review")).text
    assert "Not yet submitted" in page
    assert "AC Frontline Policing" in page  # risk 1's owner, still drafting
    assert "Not touched since carried forward" in page


def test_queue_counts_active_risks_without_an_update_and_ignores_inactive_ones(
    client, planner, q3, seed
):
    """Q3 carried a draft forward for each of the 11 risks. A new risk has no update yet; an
    inactive risk with none is not waiting for anyone; one made inactive after its draft was
    carried forward still counts in its state."""
    from risks.models import Register, Risk
    from tests.factories import make_risk

    corporate = Register.objects.get(slug="corporate")
    make_risk(corporate, ref=12, title="NEW RISK")
    make_risk(corporate, ref=13, title="RETIRED RISK", is_active=False)
    Risk.objects.filter(register=corporate, ref=2).update(is_active=False)
    client.force_login(planner)
    html = client.get(reverse("quarterly:review")).text
    assert Assessment.objects.filter(period=q3, state="draft").count() == 11
    assert "<strong>12</strong> not yet submitted" in html  # 11 drafts and risk 12
    assert "approved, of 12" in html
    listed = client.get(reverse("quarterly:review"), {"show": "not_submitted"}).text
    assert "12 NEW RISK" in listed and "RETIRED RISK" not in listed

# Static checks of this feature's templates -------------------------------------------------------

TEMPLATES = sorted(
    [*Path(settings.BASE_DIR, "risks/templates/risks").rglob("*.html"),
     *Path(settings.BASE_DIR, "riskreg/templates/riskreg/quarterly").rglob("*.html")]
)
OURS = [
    p for p in TEMPLATES
    if p.name not in {"register_detail.html", "register_compare.html", "register_changes.html",
                      "heatmaps.html", "heatmap_table.html", "dashboard.html",
                      "alignment_table.html"}
]


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_templates_keep_to_the_csp_and_progressive_enhancement(path):
    text = path.read_text()
    assert "<script" not in text
    assert not re.search(r"\son[a-z]+\s*=", text), "no inline event handlers"
    assert "hx-on" not in text
    for tag in re.findall(r"<a\b[^>]*\bhx-get=[^>]*>", text):
        href = re.search(r'href="([^"]*)"', tag)
        assert href, f"hx-get without href: {tag}"
    for tag in re.findall(r"<form\b[^>]*>", text, flags=re.S):
        if "hx-post" in tag:
            assert 'method="post"' in tag and "action=" in tag, f"hx-post form without action: {tag}"
