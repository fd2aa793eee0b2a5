"""The migrations of issue 14 fill in what existing rows carried forward: commentary the same as
the last approved update's, notes the same as the previous record's, records kept with "Keep
last quarter's status", and the checks of updates already submitted in the open quarter."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection

from controls.models import Control, ControlUpdate
from controls.services import carry_forward_controls, save_control_update
from risks.models import Assessment

risks_0008 = importlib.import_module("risks.migrations.0009_carried_forward_is_to_check")
controls_0007 = importlib.import_module("controls.migrations.0008_carried_forward_notes")
EDITOR = SimpleNamespace(connection=connection)  # what triggers_lifted reads of it


def backfill(migration):
    """As the migration runs it: with no check still pending from the test's own writes
    (PostgreSQL refuses to lift a table's triggers while its transaction has some)."""
    risks_0008.checked_now(EDITOR)
    migration.backfill(apps, EDITOR)


def test_the_backfill_finds_carried_commentary_and_submitted_checks(q3, risk1):
    rows = Assessment.objects.filter(period=q3)
    carried = set(rows.filter(commentary_carried_from__isnull=False).values_list("pk", flat=True))
    assert carried  # open_period set them
    submitted = rows.exclude(risk=risk1).first()
    rows.update(commentary_carried_from=None)
    Assessment.objects.filter(pk=submitted.pk).update(state="submitted")
    backfill(risks_0008)
    assert set(
        rows.filter(commentary_carried_from__isnull=False).values_list("pk", flat=True)
    ) == carried
    submitted.refresh_from_db()
    assert submitted.score_checked_at and submitted.progress_checked_at
    assert Assessment.objects.get(period=q3, risk=risk1).score_checked_at is None
    # The seed's closed quarters wrote their own commentary (nothing earlier was approved
    # with the same words), and the backfill leaves them so.
    assert not Assessment.objects.exclude(period=q3).filter(
        commentary_carried_from__isnull=False
    ).exists()


def test_the_backfill_finds_carried_notes_and_kept_records(q3, risk1, owner):
    first, second = Control.objects.filter(risk=risk1).order_by("order", "pk")
    previous = ControlUpdate.objects.get(control=first, period=q3.previous())
    save_control_update(control=first, period=q3, by=owner, status="complete",
                        note=previous.note, version=0)
    carry_forward_controls(risk=risk1, period=q3, by=owner)
    records = ControlUpdate.objects.filter(period=q3, control__risk=risk1)
    want = {r.control_id: (r.note_carried_from_id, r.confirmed_unchanged) for r in records}
    assert want == {first.pk: (previous.period_id, False), second.pk: (previous.period_id, True)}
    records.update(note_carried_from=None, confirmed_unchanged=False)
    backfill(controls_0007)
    got = {r.control_id: (r.note_carried_from_id, r.confirmed_unchanged) for r in records.all()}
    assert got == want
