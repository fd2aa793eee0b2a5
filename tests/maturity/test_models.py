"""maturity/models.py: when an action is overdue, and what the database refuses."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from maturity.models import DimensionScore, SelfAssessment


def test_a_milestone_due_today_is_not_yet_overdue(item9):
    action = item9.actions.first()
    action.milestone_date = datetime.date(2022, 1, 31)
    assert not action.is_overdue(datetime.date(2022, 1, 31))
    assert action.is_overdue(datetime.date(2022, 2, 1))
    action.status = "complete"
    assert not action.is_overdue(datetime.date(2022, 2, 1))


def test_the_database_refuses_a_second_assessment_and_levels_outside_1_to_5(units, dimensions):
    unit = units["north"]
    a = SelfAssessment.objects.create(unit=unit, year=2021)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessment.objects.create(unit=unit, year=2021)
    for level in (0, 6):
        with pytest.raises(IntegrityError), transaction.atomic():
            DimensionScore.objects.create(assessment=a, dimension=dimensions[0], level=level)
    DimensionScore.objects.create(assessment=a, dimension=dimensions[0], level=5)
    with pytest.raises(IntegrityError), transaction.atomic():
        DimensionScore.objects.create(assessment=a, dimension=dimensions[0], level=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        SelfAssessment.objects.create(unit=unit, year=1999)
