"""Insecure direct object references: every URL that names an object (pk or slug), opened by
someone who changes the pk to one they may not see (404) or may only read (403).

The security world's second register (North BCU, risk STREET ROBBERY) is outside the scope of
the owner, the other owner and the lead; the panel may read it and never edit it. A refused
request writes nothing.
"""

import pytest
from django.urls import reverse

from controls.models import Control
from maturity.models import PlanAction, PlanItem, Unit
from risks.models import Assessment, Post

from .conftest import client_for, digest, rolled_back

OUT_OF_SCOPE = ("owner", "other_owner", "lead")


def _risk_urls(pk, control_pk):
    return {
        "risk": reverse("risks:risk", args=[pk]),
        "update": reverse("quarterly:update", args=[pk]),
        "score": reverse("quarterly:update-score", args=[pk]),
        "progress": reverse("quarterly:update-progress", args=[pk]),
        "controls": reverse("quarterly:update-controls", args=[pk]),
        "control": reverse("quarterly:control-update", args=[pk, control_pk]),
        "control-add": reverse("quarterly:control-add", args=[pk]),
        "check": reverse("quarterly:update-check", args=[pk]),
    }


def _register_urls(slug):
    return [reverse(name, args=[slug]) for name in
            ("risks:register", "risks:register-compare", "quarterly:register-changes")]


@pytest.mark.parametrize("role", OUT_OF_SCOPE)
def test_a_register_or_risk_outside_your_scope_is_not_found(w, role):
    client = client_for(w, role)
    urls = [*_register_urls(w.other_register), *_risk_urls(w.other_risk, w.other_control).values(),
            reverse("quarterly:controls-unchanged", args=[w.other_risk])]
    got = {url: client.get(url).status_code for url in urls[:-1]}
    got[urls[-1]] = client.post(urls[-1]).status_code
    assert got == dict.fromkeys(urls, 404)
    # The register's name does not leak through the pages that list registers either.
    for url in ("/", "/heatmaps/", "/dashboard/", f"/heatmaps/?register={w.other_register}",
                f"/dashboard/?register={w.other_register}"):
        response = client.get(url)
        assert "North BCU" not in response.text and "STREET ROBBERY" not in response.text, url


def test_the_panel_reads_the_other_register_but_cannot_edit_it(w):
    client = client_for(w, "panel")
    for url in _register_urls(w.other_register):
        assert client.get(url).status_code == 200, url
    urls = _risk_urls(w.other_risk, w.other_control)
    assert client.get(urls.pop("risk")).status_code == 200
    assert {name: client.get(url).status_code for name, url in urls.items()} == dict.fromkeys(
        urls, 403
    )


@pytest.mark.parametrize(("role", "risk"), [
    ("other_owner", "risk1"),  # owns risks 3, 5, 8 and 9: reads risk 1
    ("panel", "risk1"),
    ("lead", "risk2"),  # leads risks 1, 8 and 9: reads risk 2
    ("owner", "risk2"),
])
def test_reading_a_risk_is_not_editing_it(w, role, risk):
    pk = getattr(w, risk)
    control = Control.objects.filter(risk_id=pk).order_by("pk").first()
    urls = _risk_urls(pk, control.pk if control else 1)
    client = client_for(w, role)
    assert client.get(urls.pop("risk")).status_code == 200
    assert {name: client.get(url).status_code for name, url in urls.items()} == dict.fromkeys(
        urls, 403
    )


def test_a_control_of_another_risk_is_not_found_under_your_risk(w):
    """The owner's own risk in the address, another risk's control after it."""
    client = client_for(w, "owner")
    foreign = Control.objects.exclude(risk_id=w.risk1).order_by("pk").first()
    for pk in (foreign.pk, w.other_control):
        url = reverse("quarterly:control-update", args=[w.risk1, pk])
        before = digest()
        assert client.get(url).status_code == 404
        assert client.post(url, {"status": "complete", "note": "x", "version": 0}).status_code == 404
        assert digest() == before


@pytest.mark.parametrize("role", ["owner", "other_owner", "lead", "panel"])
def test_review_pages_of_any_update_are_the_teams_only(w, role):
    client = client_for(w, role)
    before = digest()
    for pk in (w.assessment2, w.other_assessment, w.closed_assessment1):
        version = Assessment.objects.get(pk=pk).version
        assert client.get(reverse("quarterly:review-detail", args=[pk])).status_code == 403
        assert client.get(reverse("quarterly:review-return", args=[pk])).status_code == 403
        assert client.post(reverse("quarterly:review-approve", args=[pk]),
                           {"version": version}).status_code == 403
        assert client.post(reverse("quarterly:review-return", args=[pk]),
                           {"version": version, "comment": "x"}).status_code == 403
    assert client.post(reverse("quarterly:period-close", args=[w.q3]),
                       {"incomplete": "on"}).status_code == 403
    assert digest() == before


def test_objects_that_do_not_exist_are_not_found_for_the_team(w):
    client = client_for(w, "planner")
    missing = 999_999
    urls = [
        reverse("risks:register", args=["no-such-register"]),
        reverse("risks:risk", args=[missing]),
        reverse("quarterly:update", args=[missing]),
        reverse("quarterly:control-update", args=[w.risk1, missing]),
        reverse("quarterly:review-detail", args=[missing]),
        reverse("quarterly:review-return", args=[missing]),
        reverse("quarterly:period-close", args=["no-such-period"]),
        reverse("quarterly:period-close", args=[w.q2]),  # closed already
        reverse("maturity:item", args=[missing]),
        reverse("maturity:item-edit", args=[missing]),
        reverse("maturity:action-edit", args=[missing]),
        reverse("maturity:unit", args=[missing]),
        reverse("maturity:assess", args=[w.unit, 1999]),
        reverse("maturity:assess", args=[w.unit, w.year + 1]),
        reverse("reports:detail", args=[missing]),
        reverse("reports:edit", args=[missing]),
        reverse("reports:pdf", args=[missing]),
    ]
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)


def test_an_item_owner_updates_their_item_only(w):
    """The other owner's post owns item 9: its actions, yes; item 1's, no."""
    client = client_for(w, "other_owner")
    item1 = PlanItem.objects.get(ref=1)
    action1 = PlanAction.objects.filter(item=item1).order_by("pk").first()
    before = digest()
    assert client.get(reverse("maturity:item-edit", args=[item1.pk])).status_code == 403
    assert client.post(reverse("maturity:item-edit", args=[item1.pk]),
                       {"update": "x"}).status_code == 403
    assert client.post(reverse("maturity:item-log-add", args=[item1.pk]),
                       {"date_day": "1", "date_month": "10", "date_year": "2021",
                        "text": "x"}).status_code == 403
    assert client.post(reverse("maturity:action-status", args=[action1.pk]),
                       {f"action-{action1.pk}-status": "complete"}).status_code == 403
    # Item-owner or not, the text and milestones of actions are the team's.
    assert client.get(reverse("maturity:action-edit", args=[w.action9])).status_code == 403
    assert client.get(reverse("maturity:action-create", args=[w.item9])).status_code == 403
    assert digest() == before
    with rolled_back():
        assert client.post(reverse("maturity:action-status", args=[w.action9]),
                           {f"action-{w.action9}-status": "complete"}).status_code == 302


def test_a_commander_assesses_their_own_unit_only(w):
    home = Unit.objects.get(pk=w.unit)
    other = Unit.objects.create(name="North BCU", business_group=home.business_group,
                                commander=Post.objects.create(name="BCU Cdr N"))
    client = client_for(w, "owner")
    url = reverse("maturity:assess", args=[other.pk, w.year])
    before = digest()
    assert client.get(reverse("maturity:unit", args=[other.pk])).status_code == 200
    assert client.get(url).status_code == 403
    assert client.post(url, {"comments": "x"}).status_code == 403
    # A past year is the team's to correct, not the commander's.
    assert client.get(reverse("maturity:assess", args=[w.unit, w.year - 1])).status_code == 403
    assert digest() == before


def test_reports_outside_your_scope(w):
    before = digest()
    panel = client_for(w, "panel")
    for name in ("reports:detail", "reports:pdf", "reports:edit"):
        assert panel.get(reverse(name, args=[w.draft_report])).status_code == 404, name
    assert panel.post(reverse("reports:publish", args=[w.draft_report])).status_code == 404
    assert panel.get(reverse("reports:edit", args=[w.published_report])).status_code == 403
    assert panel.post(reverse("reports:publish", args=[w.published_report])).status_code == 403
    for role in OUT_OF_SCOPE:
        client = client_for(w, role)
        for name in ("reports:detail", "reports:pdf", "reports:edit"):
            assert client.get(reverse(name, args=[w.draft_report])).status_code == 404, (role, name)
        # A published paper of their register: its public version, never to edit (issue 15).
        published = reverse("reports:pdf", args=[w.published_report])
        assert "-public-" in client.get(published)["Content-Disposition"], role
        assert client.get(reverse("reports:edit", args=[w.published_report])).status_code == 403
    assert digest() == before
