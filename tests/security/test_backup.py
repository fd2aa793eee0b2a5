"""A backup made with `dumpdata` and restored with `loaddata` into an empty database gives the
same report, byte for byte, with its history and its frozen periods intact.

The restore writes rows of closed periods and history rows: the database's triggers allow
inserts (they refuse updates and deletes), and loaddata into an empty database only inserts.
Emptying the database is `flush`, which the triggers allow (see riskreg's flush command).
"""

import datetime

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from riskreg.report import document
from riskreg.report.models import Report
from risks.models import Assessment, ReportingPeriod
from risks.services import open_period
from tests.factories import make_planner

pytestmark = pytest.mark.django_db(transaction=True)

EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


def _counts():
    from django.apps import apps

    return {m._meta.label: m._base_manager.count()
            for label in ("risks", "controls", "maturity", "riskreg", "auth")
            for m in apps.get_app_config(label).get_models(include_auto_created=True)}


def test_a_restored_backup_gives_the_same_report_bytes(tmp_path):
    call_command("loaddata", "corporate_2021_10", "report_2021_10", verbosity=0)
    # Some life after the seed: the next quarter opened by the team, with its history.
    planner = make_planner()
    open_period(name="2021/22 Q3", slug="2021-22-q3", start=datetime.date(2021, 10, 1),
                end=datetime.date(2021, 12, 31), deadline=datetime.date(2021, 12, 3), by=planner)
    report = Report.objects.get(pk=1)
    pdf = document.pdf_bytes(report, use_cache=False)
    public_html = document.render(report, public=True)[0].body
    counts = _counts()
    assert counts["risks.HistoricalAssessment"] > 0

    backup = tmp_path / "backup.json"
    call_command("dumpdata", "--natural-foreign", "--natural-primary", exclude=EXCLUDE,
                 output=str(backup), verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    assert Report.objects.count() == 0 and Assessment.history.count() == 0
    call_command("loaddata", str(backup), verbosity=0)

    assert _counts() == counts
    restored = Report.objects.get(pk=1)
    assert document.render(restored, public=True)[0].body == public_html
    assert document.pdf_bytes(restored, use_cache=False) == pdf

    # Still frozen, still append-only.
    q2 = ReportingPeriod.objects.get(slug="2021-22-q2")
    for sql, params in (
        ("UPDATE risks_assessment SET commentary = 'x' WHERE period_id = %s", [q2.pk]),
        ("UPDATE risks_historicalassessment SET history_change_reason = 'x'", []),
    ):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)


def test_restoring_over_existing_data_is_refused_for_frozen_rows(tmp_path):
    """loaddata over a database that holds the rows would update them: the triggers refuse."""
    call_command("loaddata", "corporate_2021_10", verbosity=0)
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "risks.assessment", output=str(backup), verbosity=0)
    with pytest.raises(IntegrityError):
        call_command("loaddata", str(backup), verbosity=0)
