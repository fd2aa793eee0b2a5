"""controls/risk_page.py: the risk page shows the risk's controls in the quarter it shows, to
everyone who may read the risk (issue 16): readers the approved quarter, never a draft; a
closed quarter as it recorded them."""

from django.urls import reverse

from controls.models import Control
from controls.services import save_control_update


def page(client, risk, query=""):
    return client.get(reverse("risks:risk", args=[risk.pk]) + query)


def test_readers_see_the_approved_quarters_controls_and_never_a_draft(
    client, q3, risk1, owner, panel, control
):
    save_control_update(control=control, period=q3, by=owner, status="complete",
                        note="Draft: forty lines closed.", version=0)
    client.force_login(owner)
    mine = page(client, risk1).text
    assert "Controls in 2021/22 Q3" in mine and "Draft: forty lines closed." in mine
    client.force_login(panel)
    theirs = page(client, risk1).text
    assert "Controls in 2021/22 Q2" in theirs and control.title in theirs
    assert "Draft: forty lines closed." not in theirs and "Controls in 2021/22 Q3" not in theirs
    assert page(client, risk1, "?period=2021-22-q3").status_code == 404
    assert page(client, risk1, "?period=no-such-quarter").status_code == 404


def test_a_closed_quarter_shows_its_controls_as_it_recorded_them(client, q3, risk1, planner, control):
    old_title = control.title
    Control.objects.filter(pk=control.pk).update(title="Renamed since")
    client.force_login(planner)
    assert "Renamed since" in page(client, risk1, "?period=2021-22-q3").text
    closed = page(client, risk1, "?period=2021-22-q2").text
    assert "Controls in 2021/22 Q2" in closed and old_title in closed and "Renamed since" not in closed


def test_the_risk_page_shows_its_pillars_and_appetite_to_readers(client, q3, risk1, panel):
    risk1.appetite = "Low appetite for serious violence."
    risk1.save()
    client.force_login(panel)
    html = page(client, risk1).text
    assert "Low appetite for serious violence." in html
    for pillar in risk1.pillars.all():
        assert pillar.name in html
