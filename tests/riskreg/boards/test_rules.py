"""A board's rules: which approved updates of one quarter its summary shows, and why."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from riskreg.boards.models import BoardSummaryChoice
from riskreg.boards.rows import build
from riskreg.boards.services import (
    SummaryPublished,
    choose_risk,
    create_summary,
    publish_summary,
    undo_choice,
)
from risks.models import Board, ReportingPeriod
from tests.factories import make_assessment, make_period, make_planner, make_register, make_risk


@pytest.fixture
def world(db):
    """One open quarter; a register with risks scored 2, 4, 6, 9, 16 (approved), one of 12
    submitted (a draft to readers), and one of 9 approved in another quarter only."""
    planner = make_planner()
    register = make_register("unit")
    other = make_period("earlier", start=datetime.date(2029, 10, 1))
    risk7 = make_risk(register, ref=7, title="EARLIER ONLY")
    make_assessment(risk7, other, likelihood=3, impact=3, state="approved")
    ReportingPeriod.objects.filter(pk=other.pk).update(state="closed", closed_at=timezone.now())
    period = make_period("q", start=datetime.date(2030, 1, 1))
    risks = {}
    for ref, (lik, imp) in enumerate([(1, 2), (2, 2), (2, 3), (3, 3), (4, 4)], 1):
        risks[ref] = make_risk(register, ref=ref, title=f"RISK {ref}")
        make_assessment(risks[ref], period, likelihood=lik, impact=imp, state="approved")
    risks[6] = make_risk(register, ref=6, title="SUBMITTED")
    make_assessment(risks[6], period, likelihood=3, impact=4, state="submitted")
    risks[7] = risk7
    board = Board.objects.create(name="Unit COG", slug="unit-cog", tolerance_breached=False)
    board.registers.add(register)
    summary = create_summary(board=board, period=period, meeting_date=datetime.date(2030, 4, 2),
                             protective_marking="OFFICIAL", by=planner)
    return {"planner": planner, "period": period, "register": register, "risks": risks,
            "board": board, "summary": summary}


def refs(summary):
    return [row.assessment.ref for row in build(summary).rows]


def test_no_rule_no_risk(world):
    assert refs(world["summary"]) == []


def test_score_at_or_above(world):
    Board.objects.filter(pk=world["board"].pk).update(min_score=6)
    world["summary"].board.refresh_from_db()
    data = build(world["summary"])
    # Highest first; the submitted update (12) is never shown, nor another quarter's
    assert [row.assessment.ref for row in data.rows] == [5, 4, 3]
    assert data.rows[0].reasons == ["Score 16 (at or above 6)"]
    # risk 6's update is submitted, not approved: counted as such, never shown
    assert data.without_approved == 1


def test_bands(world):
    world["board"].bands = ["medium", "very_high"]
    world["board"].save()
    data = build(world["summary"])
    assert [(r.assessment.ref, r.reasons) for r in data.rows] == [
        (5, ["Very high band"]), (2, ["Medium band"]),
    ]


def test_unknown_band_is_refused_by_clean(world):
    world["board"].bands = ["purple"]
    with pytest.raises(ValidationError):
        world["board"].clean()


def test_min_score_on_scale_in_the_database(world):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Board.objects.filter(pk=world["board"].pk).update(min_score=17)


def test_tolerance_breached(world):
    from risks.models import Assessment

    Assessment.objects.filter(risk=world["risks"][3]).update(tolerance=4)  # 6 > 4: in breach
    Assessment.objects.filter(risk=world["risks"][4]).update(tolerance=9)  # 9, not above
    world["board"].tolerance_breached = True
    world["board"].save()
    data = build(world["summary"])
    assert [(r.assessment.ref, r.reasons) for r in data.rows] == [
        (3, ["In breach: score 6 above tolerance 4"]),
    ]
    assert data.in_breach == 1


def test_own_register_always_in(world):
    own = make_register("board-own")
    low = make_risk(own, ref=1, title="BOARD RISK")
    make_assessment(low, world["period"], likelihood=1, impact=1, state="approved")
    world["board"].own_register = own
    world["board"].save()
    data = build(world["summary"])
    assert [(r.assessment.title, r.reasons) for r in data.rows] == [
        ("BOARD RISK", ["In the board's own register"]),
    ]


def test_secretariat_adds_and_removes_with_reasons(world):
    Board.objects.filter(pk=world["board"].pk).update(min_score=9)
    summary = world["summary"]
    summary.board.refresh_from_db()
    planner = world["planner"]
    choose_risk(summary=summary, risk=world["risks"][1], action="add", reason="Rising fast.",
                by=planner)
    choose_risk(summary=summary, risk=world["risks"][5], action="remove",
                reason="Discussed in depth last meeting.", by=planner)
    data = build(summary)
    assert [(r.assessment.ref, r.added) for r in data.rows] == [(4, ""), (1, "Rising fast.")]
    assert [(r.assessment.ref, r.removed) for r in data.removed] == [
        (5, "Discussed in depth last meeting."),
    ]
    # A second choice for a risk replaces the first; undoing it restores the rules' choice
    choice = choose_risk(summary=summary, risk=world["risks"][5], action="add",
                         reason="Back on.", by=planner)
    assert BoardSummaryChoice.objects.filter(summary=summary).count() == 2
    undo_choice(summary=summary, choice_id=choice.pk, by=planner)
    assert 5 in refs(summary)
    assert choice.history.count() == 3  # created, changed, deleted: every step recorded


@pytest.mark.parametrize("risk_key, reason, field", [
    (6, "Only submitted.", "risk"),  # no approved update this quarter
    (7, "Earlier only.", "risk"),
    (1, "   ", "reason"),
])
def test_choices_refused(world, risk_key, reason, field):
    with pytest.raises(ValidationError) as exc:
        choose_risk(summary=world["summary"], risk=world["risks"][risk_key], action="add",
                    reason=reason, by=world["planner"])
    assert field in exc.value.error_dict
    assert not BoardSummaryChoice.objects.exists()


def test_risk_of_a_register_not_overseen_is_refused(world):
    stranger = make_risk(make_register("elsewhere"), ref=1)
    make_assessment(stranger, world["period"], state="approved")
    with pytest.raises(ValidationError):
        choose_risk(summary=world["summary"], risk=stranger, action="add", reason="Why not.",
                    by=world["planner"])


def test_reason_required_in_the_database(world):
    with transaction.atomic(), pytest.raises(IntegrityError):
        BoardSummaryChoice.objects.create(summary=world["summary"], risk=world["risks"][1],
                                          action="add", reason="")


def test_published_summary_refuses_every_write(world):
    summary = publish_summary(summary=world["summary"], version=world["summary"].version,
                              by=world["planner"])
    assert summary.snapshot and bytes(summary.pdf).startswith(b"%PDF")
    with pytest.raises(SummaryPublished):
        choose_risk(summary=summary, risk=world["risks"][1], action="add", reason="Late.",
                    by=world["planner"])


def test_one_summary_per_board_meeting(world):
    with pytest.raises(ValidationError):
        create_summary(board=world["board"], period=world["period"],
                       meeting_date=world["summary"].meeting_date,
                       protective_marking="OFFICIAL", by=world["planner"])
