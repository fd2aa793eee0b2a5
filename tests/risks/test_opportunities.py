"""Opportunities (issue 18, item 4): their rules in the database, the quarterly cycle through
the risks' own workflow services across two quarters, and the freeze of a closed quarter."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from risks.locking import StaleVersion
from risks.models import (
    Opportunity,
    OpportunityAction,
    OpportunityActionUpdate,
    OpportunityAssessment,
    PeriodClosed,
    ReportingPeriod,
)
from risks.opportunity_services import (
    add_action,
    save_opportunity,
    save_opportunity_update,
    submit_opportunity_update,
)
from risks.services import (
    IncompleteUpdate,
    InvalidTransition,
    approve_assessment,
    close_period,
    open_period,
    return_assessment,
)
from tests.factories import make_planner, make_post, make_register, make_user

Q3 = {"name": "2021/22 Q3", "slug": "2021-22-q3", "start": datetime.date(2021, 10, 1),
      "end": datetime.date(2021, 12, 31), "deadline": datetime.date(2021, 12, 3)}
Q4 = {"name": "2021/22 Q4", "slug": "2021-22-q4", "start": datetime.date(2022, 1, 1),
      "end": datetime.date(2022, 3, 31), "deadline": datetime.date(2022, 3, 4)}
ANSWERS = {"likelihood": 2, "benefit": 3, "trend": "improving", "progress": "on_track",
           "commentary": "Pilot returned patrol time."}


@pytest.fixture
def people(db):
    owner_post = make_post("Director of Innovation")
    return {
        "owner": make_user("inventor", posts=[owner_post]),
        "planner": make_planner(),
        "checker": make_planner("checker"),
        "post": owner_post,
    }


@pytest.fixture
def opportunity(people):
    register = make_register("innovation", name="Innovation")
    opp = save_opportunity(
        opportunity=None, register=register, leads=[], by=people["planner"],
        fields={"ref": 1, "title": "Mobile data", "description": "Reports from the street.",
                "owner": people["post"], "target_likelihood": 3, "target_benefit": 4,
                "is_active": True},
    )
    add_action(opportunity=opp, title="Roll out devices", owner=people["post"],
               due=datetime.date(2021, 12, 31), by=people["planner"])
    return opp


def run_quarter(opp, people, dates, answers, status="complete") -> ReportingPeriod:
    """Open the quarter, the owner saves and submits, another planner approves, close it."""
    period = open_period(**dates, by=people["planner"])
    a = OpportunityAssessment.objects.get(opportunity=opp, period=period)
    action = OpportunityAction.objects.get(opportunity=opp)
    a = save_opportunity_update(assessment=a, version=a.version, by=people["owner"],
                                changes=answers, statuses={action.pk: status})
    a = submit_opportunity_update(assessment=a, version=a.version, by=people["owner"])
    approve_assessment(assessment=a, version=a.version, by=people["checker"])
    close_period(period=period, by=people["planner"])
    return ReportingPeriod.objects.get(pk=period.pk)


def test_the_database_refuses_what_the_model_forbids(opportunity, people):
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.create(register=opportunity.register, ref=1, title="Twin",
                                   owner=people["post"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(target_benefit=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        Opportunity.objects.filter(pk=opportunity.pk).update(target_benefit=None)
    period = open_period(**Q3, by=people["planner"])
    a = OpportunityAssessment.objects.get(opportunity=opportunity, period=period)
    # Nothing reaches review unscored, nor comes back without a comment.
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityAssessment.objects.filter(pk=a.pk).update(state="submitted")
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityAssessment.objects.filter(pk=a.pk).update(state="returned")
    with pytest.raises(IntegrityError), transaction.atomic():
        OpportunityActionUpdate.objects.filter(period=period).update(status="done")


def test_opening_a_quarter_carries_each_opportunity_and_action_forward(opportunity, people):
    q3 = run_quarter(opportunity, people, Q3, ANSWERS)
    q4 = open_period(**Q4, by=people["planner"])
    draft = OpportunityAssessment.objects.get(opportunity=opportunity, period=q4)
    assert (draft.state, draft.likelihood, draft.benefit, draft.commentary) == (
        "draft", 2, 3, "Pilot returned patrol time.")
    assert draft.title == "Mobile data" and draft.owner_name == "Director of Innovation"
    assert OpportunityActionUpdate.objects.get(period=q4).status == "complete"
    assert q3.closed_incomplete is False
    record = draft.history.order_by("history_id").last()
    assert record.history_change_reason == "Carried forward"


def test_closing_requires_opportunities_approved_like_risks(opportunity, people):
    period = open_period(**Q3, by=people["planner"])
    with pytest.raises(ValidationError, match="1 update is not approved"):
        close_period(period=period, by=people["planner"])
    assert ReportingPeriod.objects.get(pk=period.pk).is_open
    closed = close_period(period=period, by=people["planner"], incomplete=True)
    assert closed.closed_incomplete is True


def test_the_workflow_is_the_risks_own(opportunity, people):
    period = open_period(**Q3, by=people["planner"])
    a = OpportunityAssessment.objects.get(opportunity=opportunity, period=period)
    with pytest.raises(IncompleteUpdate) as missing:
        submit_opportunity_update(assessment=a, version=a.version, by=people["owner"],
                                  changes={"commentary": ""})
    assert set(missing.value.missing) == {"likelihood", "trend", "progress", "commentary"}
    a.refresh_from_db()
    assert a.version == 1 and a.state == "draft"  # refused whole: nothing written
    a = submit_opportunity_update(assessment=a, version=1, by=people["owner"], changes=ANSWERS)
    assert a.state == "submitted" and a.submitted_by == people["owner"]
    with pytest.raises(StaleVersion):
        approve_assessment(assessment=a, version=1, by=people["checker"])
    with pytest.raises(ValidationError, match="Enter a comment"):
        return_assessment(assessment=a, version=a.version, by=people["checker"], comment=" ")
    a = return_assessment(assessment=a, version=a.version, by=people["checker"], comment="Say more.")
    assert a.state == "returned" and a.is_editable
    a = submit_opportunity_update(assessment=a, version=a.version, by=people["owner"],
                                  changes={**ANSWERS, "commentary": "More said."})
    # Nobody checks their own work: the team member who wrote it cannot approve it.
    writer = people["checker"]
    a = return_assessment(assessment=a, version=a.version, by=people["planner"], comment="Again.")
    a = save_opportunity_update(assessment=a, version=a.version, by=writer, changes=ANSWERS)
    a = submit_opportunity_update(assessment=a, version=a.version, by=people["owner"])
    with pytest.raises(InvalidTransition, match="another member"):
        approve_assessment(assessment=a, version=a.version, by=writer)
    a = approve_assessment(assessment=a, version=a.version, by=people["planner"])
    assert a.state == "approved" and a.reviewed_by == people["planner"]
    reasons = list(a.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons == ["Carried forward", "Saved draft", "Submitted", "Returned", "Saved draft",
                       "Submitted", "Returned", "Saved draft", "Submitted", "Approved"]
    with pytest.raises(InvalidTransition):
        submit_opportunity_update(assessment=a, version=a.version, by=people["owner"])


def test_a_closed_quarters_opportunity_data_is_frozen_by_every_path(opportunity, people):
    q3 = run_quarter(opportunity, people, Q3, ANSWERS)
    # The second quarter changes the opportunity, its answers and its action.
    q4 = open_period(**Q4, by=people["planner"])
    opp = save_opportunity(
        opportunity=opportunity, leads=[], by=people["planner"],
        fields={"title": "Mobile data for all officers", "target_benefit": 3},
    )
    a4 = OpportunityAssessment.objects.get(opportunity=opp, period=q4)
    action = OpportunityAction.objects.get(opportunity=opp)
    save_opportunity_update(assessment=a4, version=a4.version, by=people["owner"],
                            changes={**ANSWERS, "benefit": 4, "commentary": "Force-wide."},
                            statuses={action.pk: "delayed"})
    a3 = OpportunityAssessment.objects.get(opportunity=opp, period=q3)
    assert (a3.title, a3.target_benefit, a3.benefit, a3.commentary) == (
        "Mobile data", 4, 3, "Pilot returned patrol time.")
    assert OpportunityActionUpdate.objects.get(period=q3).status == "complete"
    a4.refresh_from_db()
    assert (a4.title, a4.target_benefit, a4.benefit) == ("Mobile data for all officers", 3, 4)
    assert OpportunityActionUpdate.objects.get(period=q4).status == "delayed"

    # Q3 is closed: the services, the model guards, bulk writes and raw SQL all refuse.
    with pytest.raises(PeriodClosed):
        save_opportunity_update(assessment=a3, version=a3.version, by=people["owner"],
                                changes={"commentary": "Rewritten"})
    with pytest.raises(PeriodClosed):
        a3.commentary = "Rewritten"
        a3.save()
    with pytest.raises(PeriodClosed):
        a3.delete()
    with pytest.raises(PeriodClosed):
        OpportunityAssessment.objects.filter(period=q3).update(commentary="Rewritten")
    with pytest.raises(PeriodClosed):
        OpportunityActionUpdate.objects.filter(period=q3).update(status="delayed")
    with pytest.raises(PeriodClosed):
        OpportunityActionUpdate.objects.filter(period=q3).delete()
    for sql in (
        "UPDATE risks_opportunityassessment SET commentary = 'x' WHERE period_id = %s",
        "DELETE FROM risks_opportunityassessment WHERE period_id = %s",
        "UPDATE risks_opportunityactionupdate SET status = 'delayed' WHERE period_id = %s",
        "DELETE FROM risks_opportunityactionupdate WHERE period_id = %s",
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [q3.pk])
    a3.refresh_from_db()
    assert a3.commentary == "Pilot returned patrol time."

    # And Q4 runs to its close, Q3 still as it was.
    a4.refresh_from_db()
    a4 = submit_opportunity_update(assessment=a4, version=a4.version, by=people["owner"])
    approve_assessment(assessment=a4, version=a4.version, by=people["checker"])
    close_period(period=q4, by=people["planner"])
    assert OpportunityAssessment.objects.get(opportunity=opp, period=q4).title == \
        "Mobile data for all officers"
    assert OpportunityAssessment.objects.get(opportunity=opp, period=q3).title == "Mobile data"


def test_history_of_opportunities_is_append_only(opportunity):
    record = opportunity.history.first()
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE risks_historicalopportunity SET title = 'x' WHERE history_id = %s",
                       [record.history_id])


def test_an_opportunity_added_mid_quarter_gets_its_draft_at_once(people):
    period = open_period(**Q3, by=people["planner"])
    opp = save_opportunity(
        opportunity=None, register=make_register("late"), leads=[], by=people["planner"],
        fields={"ref": 1, "title": "Late idea", "description": "", "owner": people["post"],
                "target_likelihood": None, "target_benefit": None, "is_active": True},
    )
    assert OpportunityAssessment.objects.get(opportunity=opp, period=period).title == "Late idea"
    with pytest.raises(ValidationError, match="already exists"):
        save_opportunity(
            opportunity=None, register=opp.register, leads=[], by=people["planner"],
            fields={"ref": 1, "title": "Twin", "description": "", "owner": people["post"],
                    "target_likelihood": None, "target_benefit": None, "is_active": True},
        )
