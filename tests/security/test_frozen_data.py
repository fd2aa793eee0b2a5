"""Closed periods and history rows cannot change: not through the ORM, a bulk write, the admin,
or (in the database's own triggers) raw SQL.

2021/22 Q2 is closed in the seed; the security world opens Q3 and has history rows.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from controls.models import ControlUpdate
from riskreg.report.models import Report
from risks.models import Assessment, PeriodClosed, ReportingPeriod

from .conftest import STATE_APPS, admin_form_data, client_for, digest


def closed(w):
    q2 = ReportingPeriod.objects.get(slug=w.q2)
    return q2, Assessment.objects.get(pk=w.closed_assessment1), ControlUpdate.objects.filter(
        period=q2
    ).order_by("pk").first()


def history_models():
    for label in STATE_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.db_table.split("_", 1)[1].startswith("historical"):
                yield model


def refused():
    """The database refuses (IntegrityError); the savepoint keeps PostgreSQL's transaction usable."""

    class Refused:
        def __enter__(self):
            self.raises = pytest.raises(IntegrityError)
            self.raises.__enter__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()

        def __exit__(self, *exc):
            self.atomic.__exit__(*exc)
            return self.raises.__exit__(*exc)

    return Refused()


# Closed periods ----------------------------------------------------------------------------


def test_the_orm_refuses_to_save_or_delete_a_closed_periods_rows(w):
    q2, assessment, update = closed(w)
    for row, change in ((q2, "name"), (assessment, "commentary"), (update, "note")):
        setattr(row, change, "Rewritten")
        with pytest.raises(PeriodClosed), transaction.atomic():
            row.save()
        with pytest.raises(PeriodClosed), transaction.atomic():
            row.delete()


def test_moving_a_row_into_a_closed_period_is_refused(w):
    q2, _, _ = closed(w)
    draft = Assessment.objects.get(pk=w.assessment1)
    draft.period = q2
    with pytest.raises(PeriodClosed), transaction.atomic():
        draft.save()


def test_bulk_writes_refuse_a_closed_periods_rows(w):
    q2, assessment, update = closed(w)
    before = digest()
    attempts = [
        lambda: ReportingPeriod.objects.filter(pk=q2.pk).update(name="Rewritten"),
        lambda: ReportingPeriod.objects.filter(pk=q2.pk).delete(),
        lambda: Assessment.objects.filter(period=q2).update(commentary="Rewritten"),
        lambda: Assessment.objects.all().update(commentary="Rewritten"),
        lambda: Assessment.objects.filter(period=q2).delete(),
        lambda: Assessment.objects.bulk_update(
            [Assessment(pk=assessment.pk, commentary="Rewritten")], ["commentary"]
        ),
        lambda: Assessment.objects.bulk_create(
            [Assessment(risk_id=w.other_risk, period=q2, likelihood=1, impact=1)]
        ),
        lambda: ControlUpdate.objects.filter(period=q2).update(note="Rewritten"),
        lambda: ControlUpdate.objects.filter(pk=update.pk).delete(),
        lambda: ControlUpdate.objects.bulk_update(
            [ControlUpdate(pk=update.pk, note="Rewritten")], ["note"]
        ),
    ]
    for attempt in attempts:
        with pytest.raises(PeriodClosed), transaction.atomic():
            attempt()
    assert digest() == before


def test_the_database_refuses_updates_that_go_around_the_orms_guards(w):
    """_base_manager is a plain manager: no Python guard. The triggers still refuse."""
    q2, assessment, update = closed(w)
    with refused():
        ReportingPeriod._base_manager.filter(pk=q2.pk).update(name="Rewritten")
    with refused():
        Assessment._base_manager.filter(pk=assessment.pk).update(commentary="Rewritten")
    with refused():
        ControlUpdate._base_manager.filter(pk=update.pk).update(note="Rewritten")
    # Reopening the period first is refused as well.
    with refused():
        ReportingPeriod._base_manager.filter(pk=q2.pk).update(state="open")


def test_raw_sql_cannot_update_a_closed_period(w):
    q2, assessment, update = closed(w)
    statements = [
        ("UPDATE risks_assessment SET commentary = %s WHERE id = %s", ["x", assessment.pk]),
        ("UPDATE risks_assessment SET period_id = %s WHERE id = %s",
         [ReportingPeriod.objects.get(slug=w.q3).pk, assessment.pk]),
        ("UPDATE risks_reportingperiod SET state = %s WHERE id = %s", ["open", q2.pk]),
        ("UPDATE controls_controlupdate SET note = %s WHERE id = %s", ["x", update.pk]),
    ]
    for sql, params in statements:
        with refused(), connection.cursor() as cursor:
            cursor.execute(sql, params)
    assessment.refresh_from_db()
    assert assessment.period_id == q2.pk and assessment.commentary != "x"


only_on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's own triggers"
)


def _raw_sql_not_refused(statements) -> list[str]:
    changed = []
    for sql, params in statements:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(sql, params)
        except IntegrityError:
            continue
        changed.append(sql.split(" WHERE")[0])
    return changed


@pytest.mark.postgres
@only_on_postgresql
def test_on_postgresql_raw_sql_cannot_update_a_closed_period(w):
    q2, _, _ = closed(w)
    assert _raw_sql_not_refused([
        ("UPDATE risks_assessment SET likelihood = 4 WHERE period_id = %s", [q2.pk]),
        ("UPDATE risks_reportingperiod SET closed_at = NULL, state = 'open' WHERE id = %s",
         [q2.pk]),
        ("UPDATE controls_controlupdate SET status = 'complete' WHERE period_id = %s", [q2.pk]),
    ]) == []


@pytest.mark.postgres
@only_on_postgresql
def test_on_postgresql_raw_sql_cannot_delete_a_closed_periods_rows(w):
    """A delete is a change too: the issue asks the database to refuse raw SQL outright."""
    _, assessment, update = closed(w)
    assert _raw_sql_not_refused([
        ("DELETE FROM risks_assessment WHERE id = %s", [assessment.pk]),
        ("DELETE FROM controls_controlupdate WHERE id = %s", [update.pk]),
    ]) == []


def test_the_admin_cannot_change_or_delete_a_closed_periods_rows(w):
    client = client_for(w, "admin")
    q2, assessment, update = closed(w)
    before = digest()
    for model, obj in ((ReportingPeriod, q2), (Assessment, assessment), (ControlUpdate, update)):
        opts = model._meta
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        delete = reverse(f"admin:{opts.app_label}_{opts.model_name}_delete", args=[obj.pk])
        page = client.get(change)
        assert page.status_code == 200 and 'name="_save"' not in page.text, change
        assert client.post(change, {"commentary": "x", "note": "x", "name": "x"}).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
        # The changelist's "delete selected" action, with the closed row selected: refused,
        # or (a period, whose updates PROTECT it) a page that says what stops the deletion.
        changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        response = client.post(
            changelist, {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
        )
        assert response.status_code in (403, 200), changelist
        if response.status_code == 200:
            offered = 'value="delete_selected"' in client.get(changelist).text
            assert "Cannot delete" in response.text or not offered
    assert digest() == before


# History --------------------------------------------------------------------------------------


def test_every_history_table_refuses_update_and_delete_in_the_database(w):
    """A history table added later (or remade by a migration on SQLite) must get the triggers."""
    tables = {m._meta.db_table for m in history_models()}
    assert len(tables) >= 20
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
            found = {(t, "UPDATE" if "BEFORE UPDATE" in sql else "DELETE")
                     for t, sql in cursor.fetchall() if "append-only" in sql}
        else:
            cursor.execute(
                "SELECT event_object_table, event_manipulation FROM information_schema.triggers"
                " WHERE action_statement LIKE '%%riskreg_history_append_only%%'"
            )
            found = set(cursor.fetchall())
    missing = {(t, op) for t in tables for op in ("UPDATE", "DELETE")} - found
    assert sorted(missing) == []


def test_history_rows_cannot_be_changed_or_deleted(w):
    before = digest()
    for model in history_models():
        row = model._base_manager.order_by("pk").first()
        if row is None:
            continue
        pk = row.pk
        field = next(f for f in model._meta.concrete_fields if not f.primary_key)
        with refused():
            # Even "setting a field to what it holds" is an UPDATE, and refused.
            model._base_manager.filter(pk=pk).update(**{field.attname: getattr(row, field.attname)})
        with refused():
            model._base_manager.filter(pk=pk).delete()
        with refused():
            row.save()
        with refused(), connection.cursor() as cursor:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - our own table name
    assert digest() == before


def test_history_bulk_updates_are_refused(w):
    records = list(Assessment.history.all()[:3])
    for record in records:
        record.history_change_reason = "rewritten"
    with refused():
        Assessment.history.bulk_update(records, ["history_change_reason"])
    with refused():
        Assessment.history.all().update(history_user=None)


def test_history_is_still_written(w):
    """Append-only, not read-only: a change adds its record."""
    draft = Assessment.objects.get(pk=w.assessment1)
    count = draft.history.count()
    draft.commentary = "A new line."
    draft.save()
    assert draft.history.count() == count + 1


def test_no_history_table_has_an_admin_of_its_own(w):
    registered = {m._meta.db_table for m in admin.site._registry}
    assert not registered & {m._meta.db_table for m in history_models()}


def test_the_admins_history_pages_are_read_only(w):
    """simple_history's version page shows a version; its "revert" form is refused.

    Without this, the revert form (which checks only the view permission) rewrote a
    published report, and answered a closed period's row with a server error.
    """
    client = client_for(w, "admin")
    report = Report.objects.get(pk=w.published_report)
    title = report.title
    version = Report.history.filter(id=report.pk).first()
    url = reverse("admin:riskreg_report_simple_history", args=[report.pk, version.history_id])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text
    data = admin_form_data(report, w.users["admin"])
    data["title"] = "Rewritten through the history page"
    before = digest()
    assert client.post(url, data).status_code == 403
    assessment = Assessment.objects.get(pk=w.closed_assessment1)
    version = Assessment.history.filter(id=assessment.pk).first()
    url = reverse("admin:risks_assessment_simple_history", args=[assessment.pk, version.history_id])
    data = admin_form_data(assessment, w.users["admin"])
    data["commentary"] = "Rewritten"
    assert client.post(url, data).status_code == 403
    assert digest() == before
    report.refresh_from_db()
    assert report.title == title
