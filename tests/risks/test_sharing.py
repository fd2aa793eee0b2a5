"""Shared and partnership risks: shared with other registers, which see the owner's position
and add their own commentary each quarter, frozen with it; never the owner's assessment."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from risks.models import Assessment, PeriodClosed, Register, Risk, RiskShare, SharedCommentary
from risks.services import close_period, open_period
from risks.sharing import share_risk, write_shared_commentary
from tests.factories import (
    make_assessment,
    make_period,
    make_planner,
    make_post,
    make_register,
    make_risk,
    make_user,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(client):
    period = make_period("2021-22-q3", name="2021/22 Q3", start=datetime.date(2021, 10, 1))
    head = make_post("Commander, South BCU")
    north = make_register("north-bcu", name="North BCU", kind="unit")
    south = make_register("south-bcu", name="South BCU", kind="unit", owner_post=head)
    risk = make_risk(north, title="COUNTY LINES")
    make_assessment(risk, period, state="approved", likelihood=3, impact=3)
    planner = make_planner()
    share_risk(risk=risk, register=south, partners="Kent Police", contracts="",
               dependencies="British Transport Police intelligence", by=planner)
    return period, risk, south, make_user("southhead", posts=[head]), planner


def test_a_shared_risk_is_seen_and_commented_on_by_the_sharing_register(client, shared):
    period, risk, south, south_head, planner = shared
    assert set(Risk.objects.visible_to(south_head)) == {risk}
    client.force_login(south_head)
    page = client.get(south.get_absolute_url()).text
    assert f'data-shared="{risk.pk}"' in page and "COUNTY LINES" in page
    url = f"/risks/{risk.pk}/shared/south-bcu/"
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "Lines run through our stations."}).status_code == 302
    assert "Lines run through our stations." in client.get(south.get_absolute_url()).text
    risk_page = client.get(risk.get_absolute_url()).text
    assert "Kent Police" in risk_page and "Lines run through our stations." in risk_page
    # The sharing register never changes the owner's assessment, nor shares it further.
    assert client.get(f"/risks/{risk.pk}/update/").status_code in (403, 404)
    assert client.get(f"/risks/{risk.pk}/share/").status_code == 403
    assert Assessment.objects.get(risk=risk).commentary == ""
    assert SharedCommentary.history.count() == 1


def test_sharing_is_refused_with_a_message_when_it_cannot_be(shared):
    period, risk, south, south_head, planner = shared
    with pytest.raises(ValidationError, match="already shared with South BCU"):
        share_risk(risk=risk, register=south, partners="", contracts="", dependencies="",
                   by=planner)
    with pytest.raises(ValidationError, match="register that owns it"):
        share_risk(risk=risk, register=risk.register, partners="", contracts="",
                   dependencies="", by=planner)
    share = RiskShare.objects.get()
    with pytest.raises(ValidationError, match="Only the heads of South BCU"):
        write_shared_commentary(share=share, text="x", by=make_user("nobody"))


def test_a_closed_quarters_shared_commentary_is_frozen_and_the_next_has_its_own(shared):
    period, risk, south, south_head, planner = shared
    share = RiskShare.objects.get()
    first = write_shared_commentary(share=share, text="Q3 view.", by=south_head)
    close_period(period=period, by=planner, incomplete=True)
    first.text = "changed"
    with pytest.raises(PeriodClosed):
        first.save()
    with pytest.raises(PeriodClosed):
        SharedCommentary.objects.filter(pk=first.pk).update(text="changed")
    q4 = open_period(name="2021/22 Q4", slug="2021-22-q4", start=datetime.date(2022, 1, 1),
                     end=datetime.date(2022, 3, 31), deadline=datetime.date(2022, 3, 4),
                     by=planner)
    second = write_shared_commentary(share=share, text="Q4 view.", by=south_head)
    assert second.period == q4 and second.pk != first.pk
    assert SharedCommentary.objects.get(pk=first.pk).text == "Q3 view."
    assert Register.objects.get(pk=south.pk).shared_risks.count() == 1
