import pytest
from django.db import IntegrityError, connection, transaction

from risks.models import Assessment, ReportingPeriod

TABLES = {
    "risks_assessment": "period_id",
    "controls_controlupdate": "period_id",
    "risks_reportingperiod": "id",
}


@pytest.mark.parametrize("table", TABLES)
def test_raw_sql_cannot_delete_a_closed_periods_rows(seed, table):
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
