import datetime

import pytest

from riskreg.boards.services import create_summary
from risks.models import Board, Post, Register, ReportingPeriod
from tests.factories import make_user


@pytest.fixture
def secretary(seed):
    """Holds the Risk and Assurance Board's secretariat post, and no risk."""
    return make_user("secretary", posts=[Post.objects.create(name="RAB secretariat")])


@pytest.fixture
def board(seed, secretary):
    """Oversees the corporate register; significant: a score of 8 or more, or in breach."""
    board = Board.objects.create(name="Risk and Assurance Board", slug="rab", min_score=8)
    board.registers.add(Register.objects.get(slug="corporate"))
    board.secretariat.add(Post.objects.get(name="RAB secretariat"))
    return board


@pytest.fixture
def q2_summary(board, planner):
    """A draft summary of 2021/22 Q2 (closed), for the meeting on 15 November 2021."""
    return create_summary(
        board=board, period=ReportingPeriod.objects.get(slug="2021-22-q2"),
        meeting_date=datetime.date(2021, 11, 15), protective_marking="OFFICIAL-SENSITIVE",
        by=planner,
    )
