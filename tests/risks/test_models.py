"""The database keeps the models' invariants: it refuses rows the models forbid, and a closed
period's rows are frozen for the ORM and for raw SQL alike."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction

from risks.models import (
    Assessment,
    PeriodClosed,
    Post,
    ReportingPeriod,
    Risk,
    RiskLead,
)

# The October 2021 seed, loaded once for the module (tests/conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seed_once")]

HOP = "Head of Profession – CP, Inclusion & Engagement"


def risk(ref: int) -> Risk:
    return Risk.objects.get(register__slug="corporate", ref=ref)


def assessment(ref: int, period: str = "2021-22-q2") -> Assessment:
    return Assessment.objects.get(
        risk__register__slug="corporate", risk__ref=ref, period__slug=period
    )


# The database refuses rows the model forbids.


def _refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def _open_period() -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        name="2021/22 Q3",
        slug="2021-22-q3",
        start=datetime.date(2021, 10, 1),
        end=datetime.date(2021, 12, 31),
        deadline=datetime.date(2021, 11, 30),
    )


def test_database_refuses_a_likelihood_off_the_scale():
    r1 = risk(1)
    _refused(lambda: Risk.objects.filter(pk=r1.pk).update(target_likelihood=5))
    period = _open_period()
    _refused(lambda: Assessment.objects.create(risk=r1, period=period, likelihood=5, impact=2))
    _refused(lambda: Assessment.objects.create(risk=r1, period=period, likelihood=2, impact=0))


def test_database_refuses_a_duplicate_ref_in_a_register():
    owner = Post.objects.get(name="Commissioner")
    _refused(
        lambda: Risk.objects.create(
            register_id=1, ref=1, title="DUPLICATE", horizon="short", owner=owner
        )
    )


def test_database_refuses_a_second_assessment_per_risk_per_period():
    period = _open_period()
    Assessment.objects.create(risk=risk(2), period=period)
    _refused(lambda: Assessment.objects.create(risk=risk(2), period=period))


def test_database_refuses_a_target_likelihood_without_impact():
    owner = Post.objects.get(name="Commissioner")
    _refused(
        lambda: Risk.objects.create(
            register_id=1,
            ref=12,
            title="HALF SCORED",
            horizon="long",
            owner=owner,
            target_likelihood=2,
            target_impact=None,
        )
    )
    _refused(lambda: Risk.objects.filter(ref=1).update(target_impact=None))


def test_database_refuses_an_approved_limited_assessment_without_reasons():
    period = _open_period()
    _refused(
        lambda: Assessment.objects.create(
            risk=risk(4),
            period=period,
            likelihood=3,
            impact=2,
            progress="limited",
            state="approved",
            reviewed_at=datetime.datetime(2021, 12, 7, tzinfo=datetime.UTC),
        )
    )


def test_database_refuses_the_same_lead_twice_on_a_risk():
    _refused(
        lambda: RiskLead.objects.create(risk=risk(1), post=Post.objects.get(name=HOP), order=9)
    )


# A closed period is frozen.


def test_the_seed_period_is_closed_so_its_assessments_are_frozen():
    a = assessment(1)
    a.commentary = "changed"
    with pytest.raises(PeriodClosed):
        a.save()
    with pytest.raises(PeriodClosed):
        Assessment.objects.filter(pk=a.pk).update(commentary="changed")
    assert assessment(1).commentary.startswith("An improving trend")
    q1 = assessment(4, "2021-22-q1")
    q1.impact = 2
    with pytest.raises(PeriodClosed):
        q1.save()
    assert assessment(4, "2021-22-q1").impact == 3


TABLES = {
    "risks_assessment": "period_id",
    "controls_controlupdate": "period_id",
    "risks_reportingperiod": "id",
}


@pytest.mark.parametrize("table", TABLES)
def test_raw_sql_cannot_delete_a_closed_periods_rows(table):
    closed = ReportingPeriod.objects.get(slug="2021-22-q2")
    before = Assessment.objects.filter(period=closed).count()
    with (
        pytest.raises(IntegrityError, match="closed"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(f"DELETE FROM {table} WHERE {TABLES[table]} = %s", [closed.pk])  # noqa: S608
    assert Assessment.objects.filter(period=closed).count() == before == 11
    assert ReportingPeriod.objects.filter(pk=closed.pk).exists()
