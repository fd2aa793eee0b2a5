"""Escalation and de-escalation between registers: who proposes and decides, what an accepted
one creates, the record it leaves, and the freeze of its quarter."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from risks.escalations import decide_escalation, flagged, propose_escalation, targets
from risks.models import Assessment, Escalation, PeriodClosed, Register, ReportingPeriod, Risk
from risks.services import close_period, open_period
from tests.factories import (
    make_assessment,
    make_planner,
    make_post,
    make_register,
    make_risk,
    make_user,
)

pytestmark = pytest.mark.django_db


class Org:
    """Corporate → Frontline Policing → North BCU and South BCU, and a board beside them."""

    def __init__(self):
        posts = {name: make_post(name) for name in (
            "Commissioner", "Chief of staff", "AC Frontline", "FLP risk lead", "BCU Commander North",
            "BCU Commander South", "Robbery lead", "Board chair")}
        self.posts = posts
        self.corporate = make_register("corporate", name="Corporate", kind="corporate",
                                       owner_post=posts["Commissioner"],
                                       lead_post=posts["Chief of staff"])
        self.group = make_register("flp", name="Frontline Policing", kind="business_group",
                                   parent=self.corporate, owner_post=posts["AC Frontline"],
                                   lead_post=posts["FLP risk lead"])
        self.north = make_register("north-bcu", name="North BCU", kind="unit", parent=self.group,
                                   owner_post=posts["BCU Commander North"])
        self.south = make_register("south-bcu", name="South BCU", kind="unit", parent=self.group,
                                   owner_post=posts["BCU Commander South"])
        self.board = make_register("rab", name="Risk and Assurance Board", kind="board",
                                   lead_post=posts["Board chair"])
        self.period = make_period_open()
        self.risk = make_risk(self.north, owner=posts["Robbery lead"], title="STREET ROBBERY")
        self.south_risk = make_risk(self.south, owner=posts["BCU Commander South"])
        make_assessment(self.risk, self.period, likelihood=4, impact=3)
        make_assessment(self.south_risk, self.period)
        self.owner = make_user("robbery", posts=[posts["Robbery lead"]])
        self.north_head = make_user("north", posts=[posts["BCU Commander North"]])
        self.group_lead = make_user("flp", posts=[posts["FLP risk lead"]])
        self.group_head = make_user("acflp", posts=[posts["AC Frontline"]])
        self.corporate_lead = make_user("cos", posts=[posts["Chief of staff"]])
        self.planner = make_planner()


def make_period_open():
    return ReportingPeriod.objects.create(
        name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
        end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3),
    )


@pytest.fixture
def org():
    return Org()


def test_a_unit_risk_may_go_up_to_its_business_group_or_a_board(org):
    assert targets(org.risk) == {"up": [org.group, org.board], "down": []}
    assert targets(Risk.objects.get(pk=org.risk.pk))["up"][0].kind == Register.Kind.BUSINESS_GROUP


def test_escalated_up_twice_accepted_then_de_escalated_with_every_step_recorded(org):
    up = propose_escalation(risk=org.risk, to_register=org.group, direction="up",
                            reason="Robbery is rising across both BCUs.", by=org.owner)
    assert up.state == "proposed" and up.period == org.period
    decided = decide_escalation(escalation=up, accept=True, reason="A group-wide pattern.",
                                by=org.group_lead)
    group_risk = decided.result_risk
    assert group_risk.register == org.group and group_risk.title == "STREET ROBBERY"
    assert group_risk.owner == org.posts["AC Frontline"]  # the receiving register's owner
    assert Assessment.objects.filter(risk=group_risk, period=org.period, state="draft").exists()
    org.risk.refresh_from_db()
    assert org.risk.is_active  # the unit keeps its own risk, shown as escalated

    # The business group's lead proposes it on to the corporate register.
    on = propose_escalation(risk=group_risk, to_register=org.corporate, direction="up",
                            reason="Needs the corporate register.", by=org.group_lead)
    corporate_risk = decide_escalation(escalation=on, accept=True, reason="Agreed at SMB.",
                                       by=org.corporate_lead).result_risk
    assert corporate_risk.register == org.corporate

    # Back down to the business group: the corporate risk retires, the group's carries on.
    assert targets(corporate_risk)["down"] == [org.group]
    down = propose_escalation(risk=corporate_risk, to_register=org.group, direction="down",
                              reason="Back within tolerance.", by=org.corporate_lead)
    back = decide_escalation(escalation=down, accept=True, reason="The group manages it.",
                             by=org.group_lead)
    assert back.result_risk == group_risk
    corporate_risk.refresh_from_db()
    assert not corporate_risk.is_active
    assert [e.state for e in Escalation.objects.order_by("pk")] == ["accepted"] * 3
    reasons = list(Escalation.history.filter(id=up.pk).order_by("history_id")
                   .values_list("history_change_reason", "history_user__username"))
    assert reasons == [("Proposed", "robbery"), ("Accepted", "flp")]
    assert group_risk.history.first().history_change_reason == "Escalated from North BCU risk 1"


def test_a_proposal_is_refused_with_a_message_when_it_cannot_be_made(org):
    with pytest.raises(ValidationError, match="cannot escalate a risk to Corporate"):
        propose_escalation(risk=org.risk, to_register=org.corporate, direction="up",
                           reason="Skip a level.", by=org.owner)
    with pytest.raises(ValidationError, match="Say why"):
        propose_escalation(risk=org.risk, to_register=org.group, direction="up", reason=" ",
                           by=org.owner)
    with pytest.raises(ValidationError, match="Only the risk's owner"):
        propose_escalation(risk=org.risk, to_register=org.group, direction="up", reason="x",
                           by=org.corporate_lead)
    propose_escalation(risk=org.risk, to_register=org.group, direction="up", reason="x",
                       by=org.north_head)
    with pytest.raises(ValidationError, match="already has a proposal waiting"):
        propose_escalation(risk=org.risk, to_register=org.board, direction="up", reason="y",
                           by=org.owner)
    assert Escalation.objects.count() == 1


def test_only_the_receiving_register_lead_or_the_team_decide(org):
    up = propose_escalation(risk=org.risk, to_register=org.group, direction="up", reason="x",
                            by=org.owner)
    for person in (org.owner, org.north_head, org.corporate_lead):
        with pytest.raises(ValidationError, match="Only the lead of Frontline Policing"):
            decide_escalation(escalation=up, accept=True, reason="ok", by=person)
    with pytest.raises(ValidationError, match="reason"):
        decide_escalation(escalation=up, accept=False, reason="", by=org.planner)
    declined = decide_escalation(escalation=up, accept=False, reason="Local issue.", by=org.planner)
    assert declined.state == "declined" and declined.result_risk is None
    with pytest.raises(ValidationError, match="already declined"):
        decide_escalation(escalation=up, accept=True, reason="ok", by=org.planner)


def test_a_closed_quarter_keeps_its_escalations_and_the_next_quarter_has_its_own(org):
    done = propose_escalation(risk=org.risk, to_register=org.group, direction="up",
                              reason="x", by=org.owner)
    decide_escalation(escalation=done, accept=True, reason="ok", by=org.group_lead)
    waiting = propose_escalation(risk=org.south_risk, to_register=org.board, direction="up",
                                 reason="y", by=org.planner)
    close_period(period=org.period, by=org.planner, incomplete=True)
    with pytest.raises(ValidationError, match="closed"):
        decide_escalation(escalation=waiting, accept=True, reason="late", by=org.planner)
    done.refresh_from_db()
    done.decision_reason = "changed"
    with pytest.raises(PeriodClosed):
        done.save()
    with pytest.raises(PeriodClosed):
        Escalation.objects.filter(pk=done.pk).update(decision_reason="changed")

    q4 = open_period(name="2021/22 Q4", slug="2021-22-q4", start=datetime.date(2022, 1, 1),
                     end=datetime.date(2022, 3, 31), deadline=datetime.date(2022, 3, 4),
                     by=org.planner)
    again = propose_escalation(risk=org.south_risk, to_register=org.board, direction="up",
                               reason="Still needed.", by=org.planner)
    assert again.period == q4
    accepted = decide_escalation(escalation=again, accept=True, reason="ok", by=org.planner)
    assert accepted.result_risk.register == org.board
    waiting.refresh_from_db()
    assert waiting.state == "proposed" and waiting.period == org.period


def test_risks_meeting_a_registers_criteria_are_flagged_until_proposed(org):
    Register.objects.filter(pk=org.north.pk).update(escalate_at_score=12)
    org.north.refresh_from_db()
    rows = Assessment.objects.of_register(org.north).shown(org.period, None)
    assert [a.risk_id for a in flagged(rows, org.north, org.period)] == [org.risk.pk]
    propose_escalation(risk=org.risk, to_register=org.group, direction="up", reason="x",
                       by=org.owner)
    assert list(flagged(rows, org.north, org.period)) == []


def test_tolerance_breach_is_a_criterion(org):
    Register.objects.filter(pk=org.south.pk).update(escalate_on_breach=True)
    org.south.refresh_from_db()
    rows = Assessment.objects.of_register(org.south).shown(org.period, None)
    assert list(flagged(rows, org.south, org.period)) == []
    Assessment.objects.filter(risk=org.south_risk).update(tolerance=4)  # score 6 > 4
    assert [a.risk_id for a in flagged(rows, org.south, org.period)] == [org.south_risk.pk]


def test_heads_read_their_branch_and_owners_what_they_own(org):
    def seen(user):
        return set(Register.objects.visible_to(user).values_list("slug", flat=True))

    assert seen(org.group_lead) == {"flp", "north-bcu", "south-bcu"}
    assert seen(org.group_head) == {"flp", "north-bcu", "south-bcu"}
    assert seen(org.north_head) == {"north-bcu"}
    assert seen(org.owner) == {"north-bcu"}
    assert seen(org.corporate_lead) == {"corporate", "flp", "north-bcu", "south-bcu"}
    assert set(Risk.objects.visible_to(org.group_lead)) == {org.risk, org.south_risk}
