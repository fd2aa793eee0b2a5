"""risks/changes.py: how each risk moved from one quarter to another. (Its page:
tests/risks/views/test_registers.py; what changed since last quarter:
tests/riskreg/quarterly/test_changes.py.)"""

import pytest

from risks.changes import compare
from risks.models import Register, ReportingPeriod

Q2 = "2021-22-q2"


@pytest.fixture
def q3(q3_with_changes):
    """2021/22 Q3 with changes since Q2 (tests/conftest.py)."""
    return q3_with_changes


@pytest.fixture
def corporate(seed):
    return Register.objects.get(slug="corporate")


def test_compare_says_how_each_risk_moved(corporate, q3):
    q2 = ReportingPeriod.objects.get(slug=Q2)
    moves = {m.risk.ref: m for m in compare(corporate, q2, q3)}
    assert moves[1].kind == "down" and moves[1].words == "Score fell from 6 to 3"
    assert moves[1].band_changed
    assert moves[2].kind == "same" and moves[2].words == "No change"
    assert moves[10].kind == "unscored"
    assert [m.risk.ref for m in compare(corporate, q2, q3)][:3] == [1, 2, 3]
