"""Key risk indicators: the thresholds' order in the database, the RAG the database computes
from the limits a value records, the freeze of a closed quarter's values, and who sees them."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from risks.models import Indicator, IndicatorValue, PeriodClosed, ReportingPeriod
from tests.factories import (
    make_assessment,
    make_panel,
    make_period,
    make_planner,
    make_post,
    make_risk,
    make_user,
)

pytestmark = pytest.mark.django_db


def make_indicator(risk=None, **fields):
    fields.setdefault("name", "Knife crime offences")
    fields.setdefault("unit", "offences")
    fields.setdefault("direction", "higher_worse")
    fields.setdefault("green_limit", Decimal(100))
    fields.setdefault("amber_limit", Decimal(120))
    return Indicator.objects.create(risk=risk or make_risk(), **fields)


def make_value(indicator, period, value, **fields):
    v = IndicatorValue(indicator=indicator, period=period, value=Decimal(value), **fields)
    v.record(indicator)
    v.save()
    return v


@pytest.mark.parametrize(("direction", "green", "amber"), [
    ("higher_worse", 120, 100), ("higher_worse", 100, 100),
    ("lower_worse", 80, 90), ("lower_worse", 90, 90), ("sideways", 1, 2),
])
def test_thresholds_out_of_order_with_the_direction_are_refused_by_the_database(
    direction, green, amber
):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_indicator(direction=direction, green_limit=green, amber_limit=amber)


@pytest.mark.parametrize(("direction", "value", "rag"), [
    ("higher_worse", "99.5", "green"), ("higher_worse", "100", "green"),
    ("higher_worse", "100.01", "amber"), ("higher_worse", "120", "amber"),
    ("higher_worse", "121", "red"),
    ("lower_worse", "95", "green"), ("lower_worse", "90", "green"),
    ("lower_worse", "89.99", "amber"), ("lower_worse", "80", "amber"), ("lower_worse", "0", "red"),
    ("lower_worse", "-3", "red"),
])
def test_the_rag_follows_from_the_limits_the_value_records(direction, value, rag):
    limits = {"green_limit": 100, "amber_limit": 120} if direction == "higher_worse" else {
        "green_limit": 90, "amber_limit": 80}
    indicator = make_indicator(direction=direction, **limits)
    saved = make_value(indicator, make_period(), value)
    assert saved.rag == rag  # refreshed on save, computed by the database
    assert IndicatorValue.objects.get(pk=saved.pk).rag == rag
    assert IndicatorValue.objects.out_of_threshold().filter(pk=saved.pk).exists() == (rag != "green")


def test_one_value_per_indicator_per_quarter():
    indicator, period = make_indicator(), make_period()
    make_value(indicator, period, "1")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_value(indicator, period, "2")


def test_a_closed_quarters_values_are_frozen_by_model_queryset_and_database():
    indicator, period = make_indicator(), make_period()
    value = make_value(indicator, period, "130")
    ReportingPeriod.objects.filter(pk=period.pk).update(state="closed", closed_at=timezone.now())
    value.value = Decimal(1)
    with pytest.raises(PeriodClosed):
        value.save()
    with pytest.raises(PeriodClosed):
        value.delete()
    with pytest.raises(PeriodClosed):
        IndicatorValue.objects.filter(pk=value.pk).update(value=1)
    with pytest.raises(PeriodClosed):
        make_value(make_indicator(indicator.risk, name="Other"), period, "1")
    for sql in ("UPDATE risks_indicatorvalue SET value = 1 WHERE id = %s",
                "DELETE FROM risks_indicatorvalue WHERE id = %s"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [value.pk])
    assert IndicatorValue.objects.get(pk=value.pk).value == 130


def test_readers_see_a_quarters_values_once_its_update_is_approved():
    owner_post, other = make_post(), make_post()
    risk = make_risk(owner=owner_post)
    indicator = make_indicator(risk)
    approved_q = make_period()
    make_assessment(risk, approved_q, state="approved")
    seen = make_value(indicator, approved_q, "1")
    ReportingPeriod.objects.filter(pk=approved_q.pk).update(state="closed", closed_at=timezone.now())
    draft_q = make_period()
    make_assessment(risk, draft_q)
    unseen = make_value(indicator, draft_q, "2")
    owner, stranger = make_user(posts=[owner_post]), make_user(posts=[other])
    make_risk(risk.register, owner=other)  # a risk of the register: the stranger reads it
    both = {seen.pk, unseen.pk}
    assert set(IndicatorValue.objects.visible_to(make_planner()).values_list("pk", flat=True)) == both
    assert set(IndicatorValue.objects.visible_to(owner).values_list("pk", flat=True)) == both
    assert set(IndicatorValue.objects.visible_to(make_panel()).values_list("pk", flat=True)) == {seen.pk}
    assert set(IndicatorValue.objects.visible_to(stranger).values_list("pk", flat=True)) == {seen.pk}
    assert not IndicatorValue.objects.visible_to(make_user()).exists()


def test_the_thresholds_in_words():
    assert make_indicator().thresholds == "Green up to 100, amber up to 120, red above 120 offences"
    lower = make_indicator(name="Answered", unit="%", direction="lower_worse", green_limit=90,
                           amber_limit=Decimal("82.5"))
    assert lower.thresholds == "Green down to 90, amber down to 82.5, red below 82.5%"
